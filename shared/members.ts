/** Members and organizations: schemas and pure rules shared by the API and the mini-program. */
import { z } from 'zod';
import { addMonths, addYears, isIsoDate, wholeYearsBetween, type IsoDate } from './calendar.js';
import {
  gender,
  genders,
  idParam,
  urlInt,
  isoDate,
  isoMonth,
  memberCategories,
  memberStatuses,
  mobilePhone,
  organizationKinds,
  personName,
  text,
  idNumber as idNumberSchema,
  type MemberCategory,
} from './common.js';
import type { FieldIssue } from './errors.js';
import { checkIdNumber } from './idcard.js';
import { endpoint } from './http.js';

/** 党龄: whole years since 转正日期 by calendar arithmetic; a 预备党员 has none yet. */
export function partyStandingYears(confirmedAt: IsoDate | null, today: IsoDate): number | null {
  if (!confirmedAt || confirmedAt > today) return null;
  return wholeYearsBetween(confirmedAt, today);
}

/**
 * 党龄 range as bounds on 转正日期, so the filter runs in SQL with an index-friendly
 * comparison and agrees with `partyStandingYears` (anniversary counts, 29 Feb → 28 Feb).
 * standing ≥ min  ⇔  转正日期 ≤ today − min years;  standing ≤ max  ⇔  转正日期 > today − (max+1) years.
 */
export function confirmedAtBoundsForStanding(
  today: IsoDate,
  min: number | undefined,
  max: number | undefined,
): { confirmedOnOrBefore?: IsoDate; confirmedAfter?: IsoDate } {
  return {
    confirmedOnOrBefore: min === undefined ? undefined : addYears(today, -min),
    confirmedAfter: max === undefined ? undefined : addYears(today, -(max + 1)),
  };
}

/** 预备期 is one calendar year from 入党日期. */
export function probationEndsAt(joinedAt: IsoDate): IsoDate {
  return addYears(joinedAt, 1);
}

/**
 * A 预备党员 is flagged for the secretary when their 预备期 ended more than this
 * many months ago and no 转正 was recorded. Six months: the Party Constitution
 * allows one extension of 6–12 months, so anything later than the shortest
 * extension deserves a look (转正, 延长预备期 or 取消预备党员资格 must be decided).
 */
export const PROBATION_OVERDUE_MONTHS = 6;

export function isProbationOverdue(category: MemberCategory, joinedAt: IsoDate, today: IsoDate): boolean {
  if (category !== '预备党员' || !isIsoDate(joinedAt)) return false;
  return addMonths(probationEndsAt(joinedAt), PROBATION_OVERDUE_MONTHS) < today;
}

export const MINIMUM_JOINING_AGE = 18;

export const organization = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  kind: z.enum(organizationKinds),
});
export type Organization = z.infer<typeof organization>;

/** What a member may see of themselves, and officers of members in their scope. */
export const memberProfile = z.object({
  id: z.number().int(),
  name: z.string(),
  gender,
  ethnicity: z.string(),
  /** 出生年月 only: with the masked number it leaves the ID number underivable (see `disclosedIdentity`). */
  birthMonth: isoMonth,
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
  education: z.string().nullable(),
  organizationId: z.number().int(),
  organizationName: z.string(),
  category: z.enum(memberCategories),
  joinedAt: isoDate,
  confirmedAt: isoDate.nullable(),
  status: z.enum(memberStatuses),
  /** 党龄 in whole years, from 转正日期. */
  partyStandingYears: z.number().int().nullable(),
});
export type MemberProfile = z.infer<typeof memberProfile>;

export const organizations = endpoint({
  method: 'GET',
  path: '/api/organizations',
  summary: '组织列表（党委及其下属支部）',
  access: 'authenticated',
  response: z.object({ organizations: z.array(organization) }),
  idempotent: true,
});

// ---------------------------------------------------------------------------
// The member record as people fill it in (registration form, Excel row)
// ---------------------------------------------------------------------------

const requiredDate = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .refine(isIsoDate, { message: `${label}格式应为 YYYY-MM-DD 且为有效日期` });

const optionalDate = (label: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.string({ error: `${label}格式应为 YYYY-MM-DD` }).trim().refine(isIsoDate, { message: `${label}格式应为 YYYY-MM-DD 且为有效日期` }).nullable(),
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
} as const;
export type MemberFieldKey = keyof typeof MEMBER_FIELD_LABELS;

export const memberRecordShape = {
  name: personName,
  gender: z.enum(genders, { error: '请选择性别（男或女）' }),
  ethnicity: text(20, '民族').min(1, '请填写民族'),
  birthDate: requiredDate('出生日期'),
  idNumber: z.string({ error: '请填写身份证号' }).min(1, '请填写身份证号').pipe(idNumberSchema),
  phone: z.string({ error: '请填写联系电话' }).min(1, '请填写联系电话').pipe(mobilePhone),
  organizationId: z.number({ error: '请选择所在支部' }).int().positive('请选择所在支部').max(2_147_483_647),
  category: z.enum(memberCategories, { error: '人员类别应为“正式党员”或“预备党员”' }),
  joinedAt: requiredDate('入党日期'),
  confirmedAt: optionalDate('转正日期').optional(),
};

export interface MemberFacts {
  gender: string;
  birthDate: string;
  idNumber: string;
  category: string;
  joinedAt: string;
  confirmedAt?: string | null;
}

/**
 * Rules across fields, shared by the form, the server and the import. They
 * tolerate invalid single fields (those are reported by the field schemas), so
 * a form or a spreadsheet row gets every problem at once.
 */
export function memberRecordIssues(v: MemberFacts): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: MemberFieldKey, message: string) => issues.push({ path: [field], message });
  const id = checkIdNumber(v.idNumber ?? '');
  if (id.ok) {
    if (isIsoDate(v.birthDate) && id.info.birthDate !== v.birthDate) {
      add('idNumber', `身份证号中的出生日期（${id.info.birthDate}）与填写的出生日期不一致`);
    }
    if ((v.gender === '男' || v.gender === '女') && id.info.gender !== v.gender) {
      add('gender', `身份证号显示性别为“${id.info.gender}”，与填写的性别不一致`);
    }
  }
  const confirmedAt = v.confirmedAt || null;
  if (v.category === '正式党员' && !confirmedAt) add('confirmedAt', '正式党员请填写转正日期');
  if (v.category === '预备党员' && confirmedAt) add('confirmedAt', '预备党员尚未转正，转正日期应留空');
  if (isIsoDate(v.birthDate) && isIsoDate(v.joinedAt)) {
    if (v.joinedAt <= v.birthDate || wholeYearsBetween(v.birthDate, v.joinedAt) < MINIMUM_JOINING_AGE) {
      add('joinedAt', `入党时应年满${MINIMUM_JOINING_AGE}周岁，请核对入党日期和出生日期`);
    }
  }
  if (confirmedAt && isIsoDate(confirmedAt) && isIsoDate(v.joinedAt) && confirmedAt < v.joinedAt) {
    add('confirmedAt', '转正日期不能早于入党日期');
  }
  return issues;
}

/** Dates against today (the zod contracts have no clock: the server passes the injected clock's date). */
export function memberTodayIssues(v: Pick<MemberFacts, 'birthDate' | 'joinedAt' | 'confirmedAt'>, today: IsoDate): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: MemberFieldKey, message: string) => issues.push({ path: [field], message });
  if (isIsoDate(v.birthDate) && v.birthDate > today) add('birthDate', '出生日期不能晚于今天');
  if (isIsoDate(v.joinedAt) && v.joinedAt > today) add('joinedAt', '入党日期不能晚于今天');
  if (v.confirmedAt && isIsoDate(v.confirmedAt) && v.confirmedAt > today) add('confirmedAt', '转正日期不能晚于今天');
  return issues;
}

/** The registration form and an import row: shape, formats and the clock-free cross-field rules. */
export const memberRecordInput = z
  .object(memberRecordShape)
  .strict()
  .superRefine((v, ctx) => {
    for (const issue of memberRecordIssues(v)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
export type MemberRecordInput = z.input<typeof memberRecordInput>;
export type MemberRecord = z.output<typeof memberRecordInput>;

const memberRecordFields = z.object(memberRecordShape);

const asText = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * Every problem of one record at once, as `{ path: [field], message }`: field
 * formats (the contract's own schemas), then the rules across fields and
 * against today. The registration form and the Excel import both use it, so
 * the app, the import report and the server never disagree.
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
  for (const issue of [...memberRecordIssues(facts), ...memberTodayIssues(facts, today)]) {
    const field = String(issue.path[0]);
    if (flagged.has(field)) continue;
    flagged.add(field);
    issues.push(issue);
  }
  if (parsed.success && issues.length === 0) return { ok: true, value: parsed.data, issues: [] };
  return { ok: false, issues };
}

// ---------------------------------------------------------------------------
// Roster
// ---------------------------------------------------------------------------

const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optionalQueryInt = (min: number, max: number) =>
  z.preprocess(emptyToUndefined, urlInt(min, max, '数值').optional());

/** Filters of the roster list and of the export. */
export const rosterFilterShape = {
  /** Name (part of it) or the last digits of the phone number. */
  q: z.preprocess(emptyToUndefined, text(20, '搜索内容').optional()),
  organizationId: optionalQueryInt(1, 2_147_483_647),
  category: z.preprocess(emptyToUndefined, z.enum(memberCategories).optional()),
  status: z.preprocess(emptyToUndefined, z.enum(memberStatuses).optional()),
  standingMin: optionalQueryInt(0, 100),
  standingMax: optionalQueryInt(0, 100),
  /** Only 预备党员 whose 预备期 is long overdue. */
  overdue: z.preprocess(emptyToUndefined, z.enum(['1', 'true']).optional()),
};

export const rosterFilter = z.object(rosterFilterShape);
export type RosterFilter = z.output<typeof rosterFilter>;

export const memberListQuery = z
  .object({
    ...rosterFilterShape,
    page: z.preprocess(emptyToUndefined, urlInt(1, 10_000, '页码').default(1)),
    pageSize: z.preprocess(emptyToUndefined, urlInt(1, 100, '每页条数').default(20)),
  })
  .strict();
export type MemberListQuery = z.input<typeof memberListQuery>;

export const memberListItem = z.object({
  id: z.number().int(),
  name: z.string(),
  gender,
  organizationId: z.number().int(),
  organizationName: z.string(),
  category: z.enum(memberCategories),
  status: z.enum(memberStatuses),
  joinedAt: isoDate,
  confirmedAt: isoDate.nullable(),
  partyStandingYears: z.number().int().nullable(),
  phoneMasked: z.string(),
  idNumberMasked: z.string(),
  probationOverdue: z.boolean(),
});
export type MemberListItem = z.infer<typeof memberListItem>;

export const listMembers = endpoint({
  method: 'GET',
  path: '/api/members',
  summary: '党员花名册（党委工作人员看全镇，支部书记看本支部，党员只看本人）',
  access: 'member',
  query: memberListQuery,
  response: z.object({
    items: z.array(memberListItem),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  }),
  idempotent: true,
});

export const memberDetail = memberProfile.extend({
  /** Full number for officers and the member themselves; lists only ever carry the masked one. */
  phone: z.string(),
  version: z.number().int(),
  probationEndsAt: isoDate.nullable(),
  probationOverdue: z.boolean(),
  hasAccount: z.boolean(),
});
export type MemberDetail = z.infer<typeof memberDetail>;

export const getMember = endpoint({
  method: 'GET',
  path: '/api/members/:id',
  summary: '党员详情',
  access: 'member',
  params: idParam,
  response: memberDetail,
  idempotent: true,
});

/** Staff corrections. The ID number is not editable here (it identifies the person). */
export const memberUpdateBody = z
  .object({
    version: z.number().int().positive().max(2_147_483_647),
    name: memberRecordShape.name.optional(),
    gender: memberRecordShape.gender.optional(),
    ethnicity: memberRecordShape.ethnicity.optional(),
    birthDate: memberRecordShape.birthDate.optional(),
    phone: memberRecordShape.phone.optional(),
    education: z.preprocess((v) => (v === '' ? null : v), text(20, '学历').nullable()).optional(),
    organizationId: memberRecordShape.organizationId.optional(),
    category: memberRecordShape.category.optional(),
    joinedAt: memberRecordShape.joinedAt.optional(),
    confirmedAt: memberRecordShape.confirmedAt,
    status: z.enum(memberStatuses, { error: '党籍状态无效' }).optional(),
  })
  .strict();
export type MemberUpdateBody = z.input<typeof memberUpdateBody>;

export const updateMember = endpoint({
  method: 'PATCH',
  path: '/api/members/:id',
  summary: '修改党员信息（党委工作人员；写入审计日志）',
  access: 'staff',
  params: idParam,
  body: memberUpdateBody,
  response: memberDetail,
  idempotent: true,
});

export const revealIdNumber = endpoint({
  method: 'POST',
  path: '/api/members/:id/reveal-id',
  summary: '查看完整身份证号（党委工作人员；每次查看写入审计日志）',
  access: 'staff',
  params: idParam,
  response: z.object({ idNumber: z.string() }),
});

// ---------------------------------------------------------------------------
// A member's own data (PIPL arts. 44–45: the right to see and copy one's personal information)
// ---------------------------------------------------------------------------

/** Rows of one kind, as stored (camelCase keys); the export is a document, not a screen. */
const exportRows = z.array(z.record(z.string(), z.unknown()));

export const myDataExport = z.object({
  exportedAt: z.string(),
  /** What the file is and why the ID and phone numbers in it are masked. */
  notice: z.string(),
  account: z.record(z.string(), z.unknown()),
  member: z.record(z.string(), z.unknown()).nullable(),
  registrations: exportRows,
  study: z.object({ sessions: exportRows, entries: exportRows, days: exportRows }),
  birthdaySignIns: exportRows,
  /** Each with its timeline (`events`). */
  transfers: exportRows,
  commendations: exportRows,
  /** Audit-log entries about the member's record: edits, ID-number views, earlier exports. */
  accessLog: exportRows,
});
export type MyDataExport = z.infer<typeof myDataExport>;

export const MY_DATA_EXPORT_NOTICE =
  '这是本系统保存的关于您本人的全部信息（个人信息保护法第四十五条）。身份证号和手机号按小程序中的显示方式脱敏；如需核对完整号码，请联系所在支部或镇党委。';

export const exportMyData = endpoint({
  method: 'GET',
  path: '/api/me/export',
  summary: '下载我的个人数据（档案、登记、学习、政治生日、转接、表彰、查阅记录）',
  access: 'member',
  response: myDataExport,
  idempotent: true,
});

// ---------------------------------------------------------------------------
// Excel import / export
// ---------------------------------------------------------------------------

/** The roster columns, in the order and with the headers townships use. */
export const ROSTER_COLUMNS = [
  { key: 'name', header: '姓名', width: 10, example: '张建国' },
  { key: 'gender', header: '性别', width: 6, example: '男' },
  { key: 'ethnicity', header: '民族', width: 8, example: '汉族' },
  { key: 'birthDate', header: '出生日期', width: 12, example: '1949-12-31' },
  { key: 'idNumber', header: '身份证号', width: 22, example: '11010519491231002X' },
  { key: 'phone', header: '联系电话', width: 14, example: '13800138000' },
  { key: 'organizationName', header: '所在支部', width: 16, example: '东风村党支部' },
  { key: 'category', header: '人员类别', width: 10, example: '正式党员' },
  { key: 'joinedAt', header: '入党日期', width: 12, example: '1975-07-01' },
  { key: 'confirmedAt', header: '转正日期', width: 12, example: '1976-07-01' },
] as const;
export type RosterColumnKey = (typeof ROSTER_COLUMNS)[number]['key'];

export const importIssue = z.object({
  /** Spreadsheet row number as Excel shows it (the header is row 1). */
  row: z.number().int(),
  /** Chinese column header, or '' for a problem with the whole row or file. */
  column: z.string(),
  message: z.string(),
});
export type ImportIssue = z.infer<typeof importIssue>;

export const MAX_IMPORT_ROWS = 5_000;

export const importMembers = endpoint({
  method: 'POST',
  path: '/api/members/import',
  summary: '导入党员花名册 .xlsx（全部通过才导入；按身份证号更新，不会重复）',
  access: 'staff',
  rawBody: true,
  response: z.object({ total: z.number().int(), inserted: z.number().int(), updated: z.number().int() }),
});

export const exportQuery = z
  .object({
    ...rosterFilterShape,
    /** Staff only: unmasked ID and phone numbers (audited). */
    full: z.preprocess(emptyToUndefined, z.enum(['1', 'true']).optional()),
  })
  .strict();

export const exportMembers = endpoint({
  method: 'GET',
  path: '/api/members/export',
  summary: '导出花名册 .xlsx（按筛选条件；完整身份证号仅限党委工作人员，写入审计日志）',
  access: 'officer',
  query: exportQuery,
  response: null,
  idempotent: true,
});

export const importTemplate = endpoint({
  method: 'GET',
  path: '/api/members/import-template',
  summary: '下载花名册导入模板 .xlsx',
  access: 'officer',
  response: null,
  idempotent: true,
});

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
