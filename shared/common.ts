/** Schemas shared by every domain's contract. */
import { z } from 'zod';
import { isIsoDate, parseIsoMonth } from './calendar.js';
import { checkIdNumber, ID_PROBLEM_MESSAGES, normalizeIdNumber } from './idcard.js';
import { isMainlandMobile, normalizePhone } from './phone.js';

export const isoDate = z
  .string()
  .refine(isIsoDate, { message: '日期请按“年-月-日”填写，如 2026-11-30' });

export const isoMonth = z
  .string()
  .refine((v) => parseIsoMonth(v) !== null, { message: '月份请按“年-月”填写，如 2026-06' });

export const INT4_MAX = 2_147_483_647;

const CANONICAL_INT = /^(?:0|[1-9][0-9]{0,9})$/;

/**
 * A whole number written in a path or a query string: plain decimal digits, the
 * way the app writes them. `0x24`, `+36`, `36.0`, `3.6e1`, ` 36`, `036`, `0b100100`
 * all name 36 to `Number()`, so each one would be a second spelling of the same
 * record; they are refused (400) instead. Client code may pass a number: it is
 * checked as the digits it becomes in the URL.
 */
export function urlInt(min: number, max: number, label = '编号') {
  return z.union([z.string(), z.number()]).transform((raw, ctx) => {
    const text = typeof raw === 'number' ? String(raw) : raw;
    const value = CANONICAL_INT.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) {
      ctx.addIssue({ code: 'custom', message: `${label}应为 ${min}–${max} 之间的整数（只写数字）` });
      return z.NEVER;
    }
    return value;
  });
}

/** A record id in a path or a query string: `^[1-9][0-9]*$` within int4. */
export const urlId = urlInt(1, INT4_MAX);

/** A record id inside a JSON body (the JSON reader refuses `36.0` and `3.6e1` spellings). */
export const bodyId = z.number().int().positive().max(INT4_MAX);

export const idParam = z.object({ id: urlId });

export const mobilePhone = z
  .string()
  .max(20)
  .transform(normalizePhone)
  .refine(isMainlandMobile, { message: '请输入正确的11位手机号码' });

export const idNumber = z
  .string()
  .max(32)
  .transform(normalizeIdNumber)
  .superRefine((value, ctx) => {
    const check = checkIdNumber(value);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: ID_PROBLEM_MESSAGES[check.problem] });
  });

/** A person's name: Chinese names, minority names with "·", no control characters. */
export const personName = z
  .string()
  .trim()
  .min(1, '请填写姓名')
  .max(40, '姓名过长')
  .refine((v) => !/[\p{Cc}\p{Cf}]/u.test(v), { message: '姓名含有无效字符' });

/** Free text typed by a person: trimmed, bounded, without control characters except newlines. */
export function text(max: number, label = '内容') {
  return z
    .string()
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .refine((v) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v), { message: `${label}含有无效字符` });
}

export const okResponse = z.object({ ok: z.literal(true) });

export const genders = ['男', '女'] as const;
export type Gender = (typeof genders)[number];
export const gender = z.enum(genders);

export const roles = ['applicant', 'member', 'secretary', 'staff'] as const;
export type Role = (typeof roles)[number];
export const ROLE_LABELS: Record<Role, string> = {
  applicant: '待登记用户',
  member: '党员',
  secretary: '支部书记',
  staff: '党委工作人员',
};

export const memberCategories = ['正式党员', '预备党员'] as const;
export type MemberCategory = (typeof memberCategories)[number];

export const memberStatuses = ['active', 'transferred_out', 'deceased', 'suspended'] as const;
export type MemberStatus = (typeof memberStatuses)[number];
export const MEMBER_STATUS_LABELS: Record<MemberStatus, string> = {
  active: '在册',
  transferred_out: '已转出',
  deceased: '已故',
  suspended: '停止党籍',
};

export const educations = ['小学', '初中', '高中', '中专', '大专', '本科', '研究生'] as const;

export const organizationKinds = ['committee', 'branch'] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

/**
 * The one percentage rule: `part` of `whole` as a whole percent (half up); null when there is
 * nothing to count. Every rate the app shows (dashboard, study summary, targets) uses it, so the
 * same numbers read the same everywhere.
 */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part * 100) / whole) : null;
}
