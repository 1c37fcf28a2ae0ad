/**
 * The member record as people fill it in (registration form, Excel row, staff
 * edit): field schemas with Chinese messages, and one check that reports every
 * problem of a record at once. The rules across fields live in member-facts.ts.
 */
import { z } from 'zod';
import { isIsoDate, type IsoDate } from './calendar.js';
import { codeEnum, GENDER_LABELS, genders, MEMBER_CATEGORY_LABELS, memberCategories, mobilePhone, personName, text, idNumber as idNumberSchema } from './common.js';
import type { FieldIssue } from './errors.js';
import { memberFactIssues, PROBATION_EXTENSION_MAX_MONTHS, PROBATION_EXTENSION_MIN_MONTHS, type MemberFacts } from './member-facts.js';

const requiredDate = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .refine(isIsoDate, { message: `${label}请按“年-月-日”填写，如 1985-03-01` });

export const optionalDate = (label: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.string({ error: `${label}请按“年-月-日”填写，如 1985-03-01` }).trim().refine(isIsoDate, { message: `${label}请按“年-月-日”填写，如 1985-03-01` }).nullable(),
  );

/** Field labels as the form and the roster spreadsheet name them. */
export const MEMBER_FIELD_LABELS = {
  name: '姓名',
  gender: '性别',
  ethnicity: '民族',
  birthDate: '出生日期',
  idNumber: '身份证号',
  phone: '联系电话',
  organizationId: '所在支部',
  category: '人员类别',
  joinedAt: '入党日期',
  confirmedAt: '转正日期',
  probationExtensionMonths: '延长预备期',
  probationExtendedOn: '延长预备期决定日期',
} as const;
export type MemberFieldKey = keyof typeof MEMBER_FIELD_LABELS;

export const memberRecordShape = {
  name: personName,
  gender: codeEnum(genders, GENDER_LABELS, { error: '请选择性别（男或女）' }),
  ethnicity: text(20, '民族').min(1, '请填写民族'),
  birthDate: requiredDate('出生日期'),
  idNumber: z.string({ error: '请填写身份证号' }).min(1, '请填写身份证号').pipe(idNumberSchema),
  phone: z.string({ error: '请填写联系电话' }).min(1, '请填写联系电话').pipe(mobilePhone),
  organizationId: z.number({ error: '请选择所在支部' }).int().positive('请选择所在支部').max(2_147_483_647),
  category: codeEnum(memberCategories, MEMBER_CATEGORY_LABELS, { error: '人员类别应为“正式党员”或“预备党员”' }),
  joinedAt: requiredDate('入党日期'),
  confirmedAt: optionalDate('转正日期').optional(),
};

/** 延长预备期: months (6–12) and the branch meeting's decision day; null clears a mistaken entry. */
export const probationExtensionShape = {
  probationExtensionMonths: z
    .number({ error: '延长预备期的月数应为数字' })
    .int('延长预备期的月数应为整数')
    .min(PROBATION_EXTENSION_MIN_MONTHS, `预备期延长时间为${PROBATION_EXTENSION_MIN_MONTHS}至${PROBATION_EXTENSION_MAX_MONTHS}个月`)
    .max(PROBATION_EXTENSION_MAX_MONTHS, `预备期延长时间为${PROBATION_EXTENSION_MIN_MONTHS}至${PROBATION_EXTENSION_MAX_MONTHS}个月`)
    .nullable()
    .optional(),
  probationExtendedOn: optionalDate('延长预备期决定日期').optional(),
};

/** The zod side of the member-fact rules (no clock: the server runs them again with today). */
export function refineMemberFacts(v: MemberFacts, ctx: z.RefinementCtx): void {
  for (const issue of memberFactIssues(v, null)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}

/** The registration form and an import row: shape, formats and the clock-free cross-field rules. */
export const memberRecordInput = z.object(memberRecordShape).strict().superRefine(refineMemberFacts);
export type MemberRecordInput = z.input<typeof memberRecordInput>;
export type MemberRecord = z.output<typeof memberRecordInput>;

const memberRecordFields = z.object(memberRecordShape);

const asText = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * Every problem of one record at once, as `{ path: [field], message }`: field
 * formats (the contract's own schemas), then the member-fact rules with today.
 * The registration form and the Excel import both use it, so the app, the
 * import report and the server never disagree. One problem per field.
 */
export function checkMemberRecord(
  input: Record<string, unknown>,
  today: IsoDate,
): { ok: true; value: MemberRecord; issues: [] } | { ok: false; issues: FieldIssue[] } {
  const parsed = memberRecordFields.safeParse(input);
  const issues: FieldIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
  const facts: MemberFacts = {
    gender: asText(input.gender),
    birthDate: asText(input.birthDate),
    idNumber: asText(input.idNumber).toUpperCase(),
    category: asText(input.category),
    joinedAt: asText(input.joinedAt),
    confirmedAt: asText(input.confirmedAt) || null,
  };
  const flagged = new Set(issues.map((i) => String(i.path[0])));
  for (const issue of memberFactIssues(facts, today)) {
    const field = String(issue.path[0]);
    if (flagged.has(field)) continue;
    flagged.add(field);
    issues.push(issue);
  }
  if (parsed.success && issues.length === 0) return { ok: true, value: parsed.data, issues: [] };
  return { ok: false, issues };
}
