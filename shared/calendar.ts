/**
 * The Asia/Shanghai calendar. A "day" in this project is always a China
 * Standard Time calendar day, whatever the process time zone (Vercel runs in UTC).
 *
 * China has kept UTC+8 without daylight saving since 1991, so a fixed offset is
 * exact for every instant this system records; historical dates (入党日期 in the
 * 1980s) are stored as plain calendar dates and never converted.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar date as `YYYY-MM-DD`. */
export type IsoDate = string;
/** A calendar month as `YYYY-MM`. */
export type IsoMonth = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** Parses `YYYY-MM-DD`, rejecting impossible dates such as 2026-02-30. */
export function parseIsoDate(value: string): DateParts | null {
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1800 || year > 2999 || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== null;
}

/**
 * A date as people type or write it — 1985.3.1, 1985/03/01, 1985年3月1日, 19850301 — as 1985-03-01;
 * anything that does not read as a real day comes back trimmed, for the field's own check to refuse.
 * The form fields and the roster import both read dates with it.
 */
export function normalizeDateText(raw: string): string {
  const text = raw.trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return text;
  const iso = `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : text;
}

export function parseIsoMonth(value: string): { year: number; month: number } | null {
  const m = ISO_MONTH.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 1800 || year > 2999 || month < 1 || month > 12) return null;
  return { year, month };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function formatIsoDate({ year, month, day }: DateParts): IsoDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** The Shanghai calendar day an instant falls on. */
export function shanghaiDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as people in China read it: `2026-06-15 10:00` (Beijing time). */
export function shanghaiDateTime(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2026-06-15T01:30:00Z` → `6月15日 09:30`, in Beijing time whatever the phone's zone (meetings, study events). */
export function chineseDateTime(instant: string | Date): string {
  const d = new Date(new Date(instant).getTime() + CST_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A sitting's time on one line: `6月15日 09:30–10:30` (the end's clock time only). */
export function chineseTimeRange(startsAt: string, endsAt: string): string {
  return `${chineseDateTime(startsAt)}–${chineseDateTime(endsAt).split(' ')[1]}`;
}

export function shanghaiMonth(instant: Date): IsoMonth {
  return shanghaiDate(instant).slice(0, 7);
}

export function shanghaiYear(instant: Date): number {
  return Number(shanghaiDate(instant).slice(0, 4));
}

/** The instant a Shanghai calendar day begins (00:00 CST), as a UTC Date. */
export function shanghaiDayStart(date: IsoDate): Date {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  return new Date(Date.UTC(p.year, p.month - 1, p.day) - CST_OFFSET_MS);
}

/** Adds whole days to a calendar date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  return new Date(Date.UTC(p.year, p.month - 1, p.day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the week `date` falls in (weeks run Monday to Sunday, as people in China count them). */
export function weekStart(date: IsoDate): IsoDate {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** Whole days from `from` to `to` (negative if `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((shanghaiDayStart(to).getTime() - shanghaiDayStart(from).getTime()) / DAY_MS);
}

/**
 * Adds calendar months; a day that does not exist in the target month falls on
 * that month's last day (31 Jan + 1 month = 28/29 Feb), as people count it.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  const index = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return formatIsoDate({ year, month, day: Math.min(p.day, daysInMonth(year, month)) });
}

export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

export function monthStart(month: IsoMonth): IsoDate {
  return `${month}-01`;
}

export function monthEnd(month: IsoMonth): IsoDate {
  const p = parseIsoMonth(month);
  if (!p) throw new RangeError(`not a month: ${month}`);
  return formatIsoDate({ year: p.year, month: p.month, day: daysInMonth(p.year, p.month) });
}

/** Every calendar day from `from` to `to`, inclusive. */
export function eachDay(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/**
 * Whole years elapsed from `from` to `on` by calendar arithmetic: the count goes
 * up on the anniversary itself (29 Feb anniversaries on 28 Feb in common years).
 */
export function wholeYearsBetween(from: IsoDate, on: IsoDate): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(on);
  if (!a || !b) throw new RangeError(`not a date: ${from} / ${on}`);
  let years = b.year - a.year;
  const anniversaryDay = Math.min(a.day, daysInMonth(b.year, a.month));
  if (b.month < a.month || (b.month === a.month && b.day < anniversaryDay)) years -= 1;
  return years;
}
