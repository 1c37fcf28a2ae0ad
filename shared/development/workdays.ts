/**
 * Working days (工作日) for the 公示 period: Monday to Friday, except the official
 * public holidays, plus the weekend days the State Council turns into working days
 * (调休上班). The county keeps the list (table work_calendar_days); this year's
 * official arrangement is seeded from 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
 */
import { addDays, parseIsoDate, type IsoDate } from '../calendar.js';

export const workCalendarKinds = ['holiday', 'workday'] as const;
export type WorkCalendarKind = (typeof workCalendarKinds)[number];
export const WORK_CALENDAR_KIND_LABELS: Record<WorkCalendarKind, string> = { holiday: '放假', workday: '调休上班' };

export interface WorkCalendarDay {
  day: IsoDate;
  kind: WorkCalendarKind;
  note: string;
}

const span = (from: IsoDate, to: IsoDate, note: string): WorkCalendarDay[] => {
  const days: WorkCalendarDay[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push({ day: d, kind: 'holiday', note });
  return days;
};
const work = (day: IsoDate, note: string): WorkCalendarDay => ({ day, kind: 'workday', note });

/** 国务院办公厅关于2026年部分节假日安排的通知: 2026 年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休安排. */
export const OFFICIAL_WORK_CALENDAR_2026: readonly WorkCalendarDay[] = [
  ...span('2026-01-01', '2026-01-03', '元旦'),
  work('2026-01-04', '元旦调休'),
  ...span('2026-02-15', '2026-02-23', '春节'),
  work('2026-02-14', '春节调休'),
  work('2026-02-28', '春节调休'),
  ...span('2026-04-04', '2026-04-06', '清明节'),
  ...span('2026-05-01', '2026-05-05', '劳动节'),
  work('2026-05-09', '劳动节调休'),
  ...span('2026-06-19', '2026-06-21', '端午节'),
  ...span('2026-09-25', '2026-09-27', '中秋节'),
  ...span('2026-10-01', '2026-10-07', '国庆节'),
  work('2026-09-20', '国庆节调休'),
  work('2026-10-10', '国庆节调休'),
];

export interface WorkCalendar {
  holidays: ReadonlySet<IsoDate>;
  workdays: ReadonlySet<IsoDate>;
  /**
   * The years the county has entered a list for. A year without one counts Monday to Friday only, which
   * is wrong around its holidays: `unlistedYears` names such years so the rules can say so.
   */
  years?: ReadonlySet<number>;
}

export function workCalendarOf(days: readonly Pick<WorkCalendarDay, 'day' | 'kind'>[]): WorkCalendar {
  return {
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.day)),
    workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.day)),
    years: new Set(days.map((d) => Number(d.day.slice(0, 4)))),
  };
}

/** The years between `from` and `to` (inclusive) the county has entered no holiday list for. */
export function unlistedYears(from: IsoDate, to: IsoDate, cal: WorkCalendar): number[] {
  if (!cal.years) return [];
  const out: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) if (!cal.years.has(y)) out.push(y);
  return out;
}

/** What the pages and messages say about a period in such years. */
export function unlistedYearsNote(years: readonly number[]): string {
  return years.length === 0 ? '' : `${years.join('、')}年的节假日安排尚未由县委组织部录入，暂按周一至周五计算工作日，遇节假日请以实际为准`;
}

/** A day the State Council turns into a working day (调休上班) is a Saturday or a Sunday. */
export function isWeekend(day: IsoDate): boolean {
  const p = parseIsoDate(day);
  if (!p) throw new RangeError(`not a date: ${day}`);
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

export function isWorkingDay(day: IsoDate, cal: WorkCalendar): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  return !isWeekend(day);
}

/**
 * The day a period of `count` working days starting on `start` ends: the start
 * counts when it is itself a working day (a 公示 posted on Monday morning runs
 * Monday to Friday).
 */
export function nthWorkingDay(start: IsoDate, count: number, cal: WorkCalendar): IsoDate {
  let seen = 0;
  let day = start;
  for (;;) {
    if (isWorkingDay(day, cal)) seen += 1;
    if (seen >= count) return day;
    day = addDays(day, 1);
  }
}
