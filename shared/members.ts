/** Members and organizations: schemas and pure rules shared by the API and the mini-program. */
import { z } from 'zod';
import { addYears, wholeYearsBetween, type IsoDate } from './calendar.js';
import { gender, idParam, isoDate, isoMonth, memberCategory, memberStatuses, organizationKinds, text, urlInt } from './common.js';
import { endpoint } from './http.js';
import { memberRecordShape, probationExtensionShape } from './member-record.js';
import { emptyToUndefined, rosterFilterShape } from './roster-filter.js';

export * from './member-facts.js';
export * from './member-record.js';
export * from './members-excel.js';
export * from './roster-filter.js';

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
  category: memberCategory,
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
  ownership: 'none',
  response: z.object({ organizations: z.array(organization) }),
  idempotent: true,
});

// ---------------------------------------------------------------------------
// Roster
// ---------------------------------------------------------------------------

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
  category: memberCategory,
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
  ownership: 'none',
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
  /** 预备党员 only: the day the 预备期 ends (with its extension), the earliest 转正日期. */
  probationEndsAt: isoDate.nullable(),
  probationOverdue: z.boolean(),
  /** 延长预备期: months (6–12) and the day the branch meeting decided it, if it was extended. */
  probationExtensionMonths: z.number().int().nullable(),
  probationExtendedOn: isoDate.nullable(),
  hasAccount: z.boolean(),
});
export type MemberDetail = z.infer<typeof memberDetail>;

export const getMember = endpoint({
  method: 'GET',
  path: '/api/members/:id',
  summary: '党员详情',
  access: 'member',
  ownership: 'member',
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
    ...probationExtensionShape,
    status: z.enum(memberStatuses, { error: '党籍状态无效' }).optional(),
  })
  .strict();
export type MemberUpdateBody = z.input<typeof memberUpdateBody>;

export const updateMember = endpoint({
  method: 'PATCH',
  path: '/api/members/:id',
  summary: '修改党员信息（党委工作人员；写入审计日志）',
  access: 'staff',
  ownership: 'member',
  idempotencyKey: 'optional',
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
  ownership: 'member',
  params: idParam,
  response: z.object({ idNumber: z.string() }),
});

// ---------------------------------------------------------------------------
// A member's own data (PIPL arts. 44–45: the right to see and copy one's personal information)
// ---------------------------------------------------------------------------

/** Rows of one kind (keys are the schema's names; coded values as the app's labels); the export is a document, not a screen. */
const exportRows = z.array(z.record(z.string(), z.unknown()));

export const myDataExport = z.object({
  exportedAt: z.string(),
  /** What the file is and why the ID and phone numbers in it are masked. */
  notice: z.string(),
  account: z.record(z.string(), z.unknown()),
  member: z.record(z.string(), z.unknown()).nullable(),
  /** One per kind of record (登记, 学习记录, 政治生日签到, 组织关系转接, 表彰, 组织生活出席, 投诉建议…), each from the domain that keeps it. */
  sections: z.array(z.object({ key: z.string(), title: z.string(), rows: exportRows })),
  /** Audit-log entries about the member's record: edits, ID-number views, earlier exports. */
  accessLog: exportRows,
});
export type MyDataExport = z.infer<typeof myDataExport>;

export const MY_DATA_EXPORT_NOTICE =
  '这是本系统保存的关于您本人的全部信息（个人信息保护法第四十五条）。身份证号和手机号按小程序中的显示方式脱敏；如需核对完整号码，请联系所在支部或镇党委。';

export const exportMyData = endpoint({
  method: 'GET',
  path: '/api/me/export',
  summary: '下载我的个人数据（档案及各项记录、查阅记录）',
  access: 'member',
  ownership: 'self',
  /** `xlsx`: a file for the member to read (a sheet per kind of record, Chinese headings, Beijing time); `json` for machines. */
  query: z.object({ format: z.enum(['json', 'xlsx']).default('json') }).strict(),
  response: myDataExport,
  idempotent: true,
});

