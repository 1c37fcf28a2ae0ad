/** Members and organizations: schemas and pure rules. */
import { z } from 'zod';
import { wholeYearsBetween, type IsoDate } from './calendar.js';
import { gender, isoDate, memberCategories, memberStatuses, organizationKinds } from './common.js';
import { endpoint } from './http.js';

/** 党龄: whole years since 转正日期 by calendar arithmetic; a 预备党员 has none yet. */
export function partyStandingYears(confirmedAt: IsoDate | null, today: IsoDate): number | null {
  if (!confirmedAt || confirmedAt > today) return null;
  return wholeYearsBetween(confirmedAt, today);
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
  birthDate: isoDate,
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
