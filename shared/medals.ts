/**
 * “光荣在党50年”纪念章: the rule and the endpoint contracts.
 *
 * The medal goes to members whose 党龄 — counted from 转正日期, not 入党日期 —
 * reaches 50 full years; it is presented each year around 七一 and once in a
 * member's life. Staff record each presentation; the member then leaves the
 * year's list for good.
 */
import { z } from 'zod';
import { addYears, type IsoDate } from './calendar.js';
import { idParam, isoDate, text, urlInt } from './common.js';
import { endpoint } from './http.js';
import { partyStandingYears } from './members.js';

export const MEDAL_STANDING_YEARS = 50;

/**
 * The 七一 cutoff (光荣在党50年: 党龄 reaches 50 years by 1 July of the year).
 * A member is on a year's list when the 50th anniversary of their 转正 falls on
 * or before this day of that year. 29 February 转正 dates reach it on 28
 * February in common years (shared/calendar.ts addYears), well before the cutoff.
 */
export const MEDAL_CUTOFF_MONTH_DAY = '07-01';

export function medalCutoff(year: number): IsoDate {
  return `${year}-${MEDAL_CUTOFF_MONTH_DAY}`;
}

/** The day 党龄 reaches 50 years, or null for a 预备党员 (no 转正日期). */
export function medalReachesOn(confirmedAt: IsoDate | null): IsoDate | null {
  return confirmedAt ? addYears(confirmedAt, MEDAL_STANDING_YEARS) : null;
}

/** Eligible for `year`'s medal: 党龄 is 50 or more on that year's 1 July. */
export function isMedalEligible(confirmedAt: IsoDate | null, year: number): boolean {
  const reaches = medalReachesOn(confirmedAt);
  return reaches != null && reaches <= medalCutoff(year);
}

/** Newly eligible in `year`: reaches 50 after last year's cutoff and by this year's. */
export function isNewlyEligible(confirmedAt: IsoDate | null, year: number): boolean {
  return isMedalEligible(confirmedAt, year) && !isMedalEligible(confirmedAt, year - 1);
}

/** The latest 转正日期 on `year`'s list, as a bound for the SQL filter (same rule as isMedalEligible). */
export function latestEligibleConfirmation(year: number): IsoDate {
  return addYears(medalCutoff(year), -MEDAL_STANDING_YEARS);
}

/** 党龄 on the year's cutoff, as the list shows it. */
export function standingAtCutoff(confirmedAt: IsoDate | null, year: number): number | null {
  return partyStandingYears(confirmedAt, medalCutoff(year));
}

/** For the branch's birthday list: 已颁发, 待颁发, or not (yet) eligible. */
export const medalStates = ['awarded', 'pending'] as const;
export type MedalState = (typeof medalStates)[number];
export const MEDAL_STATE_LABELS: Record<MedalState, string> = { awarded: '已颁发', pending: '待颁发' };

export function medalStateOf(confirmedAt: IsoDate | null, year: number, awarded: boolean): MedalState | null {
  if (awarded) return 'awarded';
  return isMedalEligible(confirmedAt, year) ? 'pending' : null;
}

// ---------------------------------------------------------------- contracts

export const medalAward = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  name: z.string(),
  organizationName: z.string(),
  /** The year of the presentation (the 七一 it belongs to). */
  year: z.number().int(),
  awardedOn: isoDate,
  presentedBy: z.string(),
  note: z.string().nullable(),
});
export type MedalAward = z.infer<typeof medalAward>;

export const medalEligibleRow = z.object({
  memberId: z.number().int(),
  name: z.string(),
  organizationName: z.string(),
  joinedAt: isoDate,
  confirmedAt: isoDate,
  /** The day 党龄 reaches 50 years. */
  reachesOn: isoDate,
  /** 党龄 on 1 July of the year. */
  partyStandingYears: z.number().int(),
  /** Reaches 50 in this year's window (after last 1 July, by this one). */
  newlyEligible: z.boolean(),
});

export const medalEligible = endpoint({
  method: 'GET',
  path: '/api/birthdays/medal-eligible',
  summary: '“光荣在党50年”纪念章：到当年7月1日党龄满50年且尚未颁发的在册党员（全镇），当年新满50年的标出；附当年已颁发名单',
  access: 'staff',
  ownership: 'township',
  query: z.object({ year: urlInt(1950, 2999, '年份').optional() }).strict(),
  response: z.object({
    year: z.number().int(),
    cutoff: isoDate,
    members: z.array(medalEligibleRow),
    total: z.number().int(),
    newlyEligible: z.number().int(),
    awarded: z.array(medalAward),
  }),
  idempotent: true,
});

export const recordMedalAward = endpoint({
  method: 'POST',
  path: '/api/birthdays/medal-awards',
  summary: '登记颁发“光荣在党50年”纪念章（党委工作人员；每名党员一生一次，重复提交返回原记录）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  body: z
    .object({
      memberId: z.number().int().positive().max(2_147_483_647),
      awardedOn: isoDate,
      presentedBy: text(60, '颁发人').pipe(z.string().min(1, '请填写颁发人')),
      note: text(200, '备注').optional(),
    })
    .strict(),
  response: z.object({ award: medalAward, alreadyRecorded: z.boolean() }),
  idempotent: true,
});

export const memberMedal = endpoint({
  method: 'GET',
  path: '/api/members/:id/medal',
  summary: '某党员的“光荣在党50年”纪念章：是否已颁发，何时满50年（本人、本支部书记、党委）',
  access: 'member',
  ownership: 'member',
  params: idParam,
  response: z.object({ memberId: z.number().int(), award: medalAward.nullable(), reachesOn: isoDate.nullable() }),
  idempotent: true,
});
