/**
 * Codes, labels and rules shared by every domain, and (re-exported from fields.ts) the field schemas every
 * contract is made of. The schemas live in their own module so a client build, which leaves contracts'
 * schemas out (miniapp/config/client-contracts.cjs), can keep these labels in its main package without zod:
 * only the pages that validate a form before sending (member registration) pull fields.ts, and zod, in.
 */
import { codeEnum } from './fields.js';

export * from './fields.js';

/*
 * Stored enum values are English codes; people see the Chinese labels beside each tuple
 * (`*_LABELS`). Renaming a label is then one edit here, never a data migration.
 */

/** The code a typed word or spreadsheet cell names: the code itself or its label, case and spaces ignored. */
export function codeOf<C extends string>(labels: Readonly<Record<C, string>>, input: unknown, aliases: Readonly<Record<string, C>> = {}): C | undefined {
  if (typeof input !== 'string') return undefined;
  const key = input.replace(/\s+/g, '').toLowerCase();
  if (key === '') return undefined;
  for (const [code, label] of Object.entries(labels) as [C, string][]) {
    if (code.toLowerCase() === key || label.replace(/\s+/g, '').toLowerCase() === key) return code;
  }
  return aliases[key];
}

/** The label of a stored code, or the value itself when it is no known code (never an empty cell). */
export function labelOf<C extends string>(labels: Readonly<Record<C, string>>, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return (labels as Record<string, string>)[code] ?? code;
}

/** A copy of `row` with the named fields' codes replaced by their labels (for files people read: exports, letters). */
export function withLabels<R extends Record<string, unknown>>(row: R, fields: Readonly<Record<string, Readonly<Record<string, string>>>>): R {
  const out: Record<string, unknown> = { ...row };
  for (const [field, labels] of Object.entries(fields)) {
    const v = out[field];
    if (typeof v === 'string') out[field] = labels[v] ?? v;
  }
  return out as R;
}

export const MALE = 'male';
export const FEMALE = 'female';
export const genders = [MALE, FEMALE] as const;
export type Gender = (typeof genders)[number];
export const GENDER_LABELS: Record<Gender, string> = { male: '男', female: '女' };
export const gender = codeEnum(genders, GENDER_LABELS);

/**
 * `county` is the county organization department (县委组织部): its account's organization is the county
 * at the root of the tree; it reads every township (and sees the county rollups) but does not act on a
 * township's records. `staff` is a township committee's staff (乡镇党委), inside their township only.
 */
export const roles = ['applicant', 'member', 'secretary', 'staff', 'county'] as const;
export type Role = (typeof roles)[number];
export const ROLE_LABELS: Record<Role, string> = {
  applicant: '待登记用户',
  member: '党员',
  secretary: '支部书记',
  staff: '党委工作人员',
  county: '县委组织部',
};

export const FULL_MEMBER = 'full';
export const PROBATIONARY_MEMBER = 'probationary';
export const memberCategories = [FULL_MEMBER, PROBATIONARY_MEMBER] as const;
export type MemberCategory = (typeof memberCategories)[number];
export const MEMBER_CATEGORY_LABELS: Record<MemberCategory, string> = { full: '正式党员', probationary: '预备党员' };
export const memberCategory = codeEnum(memberCategories, MEMBER_CATEGORY_LABELS);

/**
 * 取消预备党员资格 (《中国共产党发展党员工作细则》): the person is no longer a Party member. Set by the
 * township's 发展党员 step (or a staff correction); the row and its history stay, off the active roster.
 */
export const PROBATION_CANCELLED = 'probation_cancelled';
export const memberStatuses = ['active', 'transferred_out', 'deceased', 'suspended', PROBATION_CANCELLED] as const;
export type MemberStatus = (typeof memberStatuses)[number];
export const MEMBER_STATUS_LABELS: Record<MemberStatus, string> = {
  active: '在册',
  transferred_out: '已转出',
  deceased: '已故',
  suspended: '停止党籍',
  probation_cancelled: '取消预备党员资格',
};

export const educations = ['小学', '初中', '高中', '中专', '大专', '本科', '研究生'] as const;

/**
 * The tree: the county (县) at the root, township committees (乡镇党委, the tenants) under it, branches
 * under them. `committee` is the township: the nearest committee above an organization is its township.
 */
export const organizationKinds = ['committee', 'branch', 'county'] as const;
export type OrganizationKind = (typeof organizationKinds)[number];
export const [TOWNSHIP_KIND, BRANCH_KIND, COUNTY_KIND] = organizationKinds;

/**
 * The one percentage rule: `part` of `whole` as a whole percent (half up); null when there is
 * nothing to count. Every rate the app shows (dashboard, study summary, targets) uses it, so the
 * same numbers read the same everywhere.
 */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part * 100) / whole) : null;
}
