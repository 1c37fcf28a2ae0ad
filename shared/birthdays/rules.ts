/**
 * 政治生日: the anniversary of 入党日期 (the day the branch meeting admitted the
 * member as 预备党员), never of 转正. Pure date rules. Every date is an Asia/Shanghai day.
 */
import { addYears, daysBetween, daysInMonth, formatIsoDate, parseIsoDate, wholeYearsBetween, type IsoDate } from '../calendar.js';

/** 入党誓词, as in the current Party Constitution (党章 第六条). */
export const OATH_TEXT =
  '我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。';

/** The oath in the phrases it is read aloud in, one per line (the pause at each comma). */
export const OATH_PHRASES: readonly string[] = OATH_TEXT.replace(/。$/, '')
  .split('，')
  .map((phrase, i, all) => phrase + (i === all.length - 1 ? '。' : '，'));

export const birthdayWindows = ['month', 'quarter'] as const;
export type BirthdayWindow = (typeof birthdayWindows)[number];
export const BIRTHDAY_WINDOW_LABELS: Record<BirthdayWindow, string> = { month: '入党当月', quarter: '入党所在季度' };

function yearOf(date: IsoDate): number {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  return p.year;
}

/** The political birthday in `year`: 29 February falls on 28 February in common years. */
export function anniversaryInYear(joinedAt: IsoDate, year: number): IsoDate {
  return addYears(joinedAt, year - yearOf(joinedAt));
}

/** "入党N周年" of the anniversary in `year` (0 in the year of admission itself). */
export function anniversaryNumber(joinedAt: IsoDate, year: number): number {
  return year - yearOf(joinedAt);
}

/** Whole years since 入党日期 on a given day (goes up on the political birthday itself). */
export function yearsSinceJoining(joinedAt: IsoDate, on: IsoDate): number {
  return Math.max(0, wholeYearsBetween(joinedAt, on));
}

export interface DateWindow {
  opens: IsoDate;
  closes: IsoDate;
}

/** The sign-in window around an anniversary: its calendar month, or its calendar quarter. */
export function windowAround(anniversary: IsoDate, window: BirthdayWindow): DateWindow {
  const p = parseIsoDate(anniversary);
  if (!p) throw new RangeError(`not a date: ${anniversary}`);
  const firstMonth = window === 'month' ? p.month : Math.floor((p.month - 1) / 3) * 3 + 1;
  const lastMonth = window === 'month' ? p.month : firstMonth + 2;
  return {
    opens: formatIsoDate({ year: p.year, month: firstMonth, day: 1 }),
    closes: formatIsoDate({ year: p.year, month: lastMonth, day: daysInMonth(p.year, lastMonth) }),
  };
}

export interface BirthdayOccasion extends DateWindow {
  /** The anniversary year; a sign-in is recorded against it. */
  year: number;
  anniversary: IsoDate;
  /** 入党N周年. */
  years: number;
}

/** The occasion of `year`, or null when there is none (the year of admission or earlier). */
export function occasionInYear(joinedAt: IsoDate, year: number, window: BirthdayWindow): BirthdayOccasion | null {
  const years = anniversaryNumber(joinedAt, year);
  if (years < 1) return null;
  const anniversary = anniversaryInYear(joinedAt, year);
  return { year, anniversary, years, ...windowAround(anniversary, window) };
}

export interface BirthdayStatus {
  /** The occasion whose window contains today, if any: sign-in is open. */
  open: BirthdayOccasion | null;
  /** The next window that has not opened yet (after today). */
  upcoming: BirthdayOccasion;
  /** The next political birthday on or after today. */
  next: BirthdayOccasion;
  daysUntilNext: number;
  /** Today is the political birthday itself. */
  isToday: boolean;
}

/**
 * Where a member stands on `today`. A window always lies inside the calendar
 * year of its anniversary (month or quarter), so only this year and the next
 * need looking at; a member admitted today has their first birthday next year.
 */
export function birthdayStatus(joinedAt: IsoDate, today: IsoDate, window: BirthdayWindow): BirthdayStatus {
  const year = yearOf(today);
  const first = yearOf(joinedAt) + 1;
  const candidates: BirthdayOccasion[] = [];
  for (let y = Math.max(year, first); candidates.length < 2; y++) {
    const occasion = occasionInYear(joinedAt, y, window);
    if (occasion) candidates.push(occasion);
  }
  const [a, b] = candidates as [BirthdayOccasion, BirthdayOccasion];
  const open = a.opens <= today && today <= a.closes ? a : null;
  const upcoming = a.opens > today ? a : b;
  const next = a.anniversary >= today ? a : b;
  return { open, upcoming, next, daysUntilNext: daysBetween(today, next.anniversary), isToday: next.anniversary === today };
}

/** Milestones highlighted in the branch's list: every tenth anniversary. */
export function isMilestone(years: number): boolean {
  return years > 0 && years % 10 === 0;
}

/** "2027年3月1日", as the refusal and the pages say a date. */
export function chineseDate(date: IsoDate): string {
  const p = parseIsoDate(date);
  if (!p) return date;
  return `${p.year}年${p.month}月${p.day}日`;
}

/** Why sign-in is refused today, in words a member understands. */
export function windowClosedMessage(status: BirthdayStatus): string {
  const opens = chineseDate(status.upcoming.opens);
  return `您的政治生日签到将于${opens}开放（入党${status.upcoming.years}周年）`;
}
