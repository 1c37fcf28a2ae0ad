/**
 * Study oversight contracts: what an officer may see of study (国办函〔2026〕12号:
 * 学习时长 is no basis of assessment, nothing is ranked). Study belongs to the
 * member: officers see aggregates (how many members recorded study this week,
 * minutes per branch), the roster (by name, for ticking attendance and 代录) and
 * a care list of members who may need help taking part. No per-member minutes,
 * no ordering by study, no completion rates per branch.
 */
import { z } from 'zod';
import { daysBetween, isIsoDate } from '../calendar.js';
import { idParam, isoDate } from '../common.js';
import { endpoint } from '../http.js';
import { SUMMARY_MAX_DAYS } from './rules.js';

/** A member is on the care list at this age or older without a bound account (likely no smartphone). */
export const CARE_ELDERLY_AGE = 70;
/** No collective study or branch meeting attended for this many days while the branch held some. */
export const CARE_ABSENCE_DAYS = 90;

export const careReasons = ['elderly_no_account', 'long_absence', 'working_away'] as const;
export type CareReason = (typeof careReasons)[number];
export const CARE_REASON_LABELS: Record<CareReason, string> = {
  elderly_no_account: `${CARE_ELDERLY_AGE}岁以上、未绑定微信账号（可能没有智能手机）`,
  long_absence: `近${CARE_ABSENCE_DAYS}天未参加支部集中学习和组织生活`,
  working_away: `近${CARE_ABSENCE_DAYS}天因外出务工请假（流动党员，可线上参加或送学上门）`,
};

/** What the branch's records say of one member over the last CARE_ABSENCE_DAYS (derived, never typed in again). */
export interface CareFacts {
  age: number;
  hasAccount: boolean;
  /** Came to a collective study or a branch meeting in the window. */
  attended: boolean;
  /** The branch held collective study or a meeting in the window (absence means nothing otherwise). */
  branchHeldAny: boolean;
  /** Excused from a meeting in the window for 外出务工. */
  excusedForWorkAway: boolean;
}

/** Why a member may need help taking part: the care list's one rule (no study minutes in it, ever). */
export function careReasonsOf(f: CareFacts): CareReason[] {
  const reasons: CareReason[] = [];
  if (f.age >= CARE_ELDERLY_AGE && !f.hasAccount) reasons.push('elderly_no_account');
  if (f.excusedForWorkAway) reasons.push('working_away');
  else if (f.branchHeldAny && !f.attended) reasons.push('long_absence');
  return reasons;
}

export const careMember = z.object({
  memberId: z.number().int(),
  name: z.string(),
  age: z.number().int(),
  hasAccount: z.boolean(),
  reasons: z.array(z.enum(careReasons)),
});
export type CareMember = z.infer<typeof careMember>;

export const organizationWeek = endpoint({
  method: 'GET',
  path: '/api/study/organizations/:id/week',
  summary: '支部本周学习概况（只有人数和分钟合计，不列个人学习时长）、花名册（按姓名）与关怀名单',
  access: 'officer',
  ownership: 'branch',
  params: idParam,
  query: z.object({}).strict(),
  response: z.object({
    organization: z.object({ id: z.number().int(), name: z.string() }),
    /** Monday of the current week (Asia/Shanghai) and today. */
    weekStart: isoDate,
    today: isoDate,
    memberCount: z.number().int(),
    /** Members who recorded any study this week (a count, never who). */
    studiedMembers: z.number().int(),
    totalMinutes: z.number().int(),
    /** Collective study this week: events held and attendances. */
    events: z.number().int(),
    attendances: z.number().int(),
    /** Active members by name, for ticking attendance and 代录: no study figures. */
    roster: z.array(z.object({ memberId: z.number().int(), name: z.string() })),
    /** Members who may need help taking part, by name, with the reasons. */
    care: z.array(careMember),
  }),
  idempotent: true,
});

const dateRange = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] })
  .refine((q) => !q.from || !q.to || !isIsoDate(q.from) || !isIsoDate(q.to) || daysBetween(q.from, q.to) < SUMMARY_MAX_DAYS, {
    message: `日期范围最长${SUMMARY_MAX_DAYS}天`,
    path: ['to'],
  });

export const summary = endpoint({
  method: 'GET',
  path: '/api/study/summary',
  summary: '全镇学习汇总：各支部（固定顺序）学习人次与分钟合计、每日学习人数',
  access: 'staff',
  ownership: 'township',
  query: dateRange,
  response: z.object({
    from: isoDate,
    to: isoDate,
    /** Branches in their fixed order (sortOrder), never by a figure. */
    branches: z.array(
      z.object({
        organizationId: z.number().int(),
        name: z.string(),
        memberCount: z.number().int(),
        /** Member-days with any study recorded. */
        studiedMemberDays: z.number().int(),
        totalMinutes: z.number().int(),
      }),
    ),
    trend: z.array(z.object({ day: isoDate, studiedMembers: z.number().int() })),
    memberCount: z.number().int(),
  }),
  idempotent: true,
});
