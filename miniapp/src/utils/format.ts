import { chineseDateTime, parseIsoDate, shanghaiDate, shanghaiYear, type IsoDate } from '@shared/calendar'
import type { MemberCategory } from '@shared/common'
import { PROBATIONARY_MEMBER } from '@shared/common'

/** `2001-07-01` → `2001年7月1日`, the way dates are written on Party documents. */
export function formatDateCn(isoDate: string | null | undefined): string {
  if (!isoDate) return '—'
  const parts = parseIsoDate(isoDate)
  if (!parts) return isoDate
  return `${parts.year}年${parts.month}月${parts.day}日`
}

/**
 * The Beijing calendar day of an instant: `2026-06-14T19:30:00Z` (03:30 on the 15th in Beijing) → `2026-06-15`.
 * Never slice an ISO instant for its day: that is the UTC day, wrong from 00:00 to 08:00 in China.
 */
export function beijingDate(instant: string | Date): IsoDate {
  return shanghaiDate(new Date(instant))
}

/** An instant's Beijing day the way documents write it: `2026年6月15日`. */
export function formatInstantDateCn(instant: string | null | undefined): string {
  return instant ? formatDateCn(beijingDate(instant)) : '—'
}

/** `6月15日 03:30` (or `2026年6月15日 03:30` with its year) in Beijing time, whatever the phone's time zone. */
export function beijingDateTime(instant: string | Date, { withYear = false } = {}): string {
  return withYear ? `${shanghaiYear(new Date(instant))}年${chineseDateTime(instant)}` : chineseDateTime(instant)
}

/** `1970-05` → `1970年5月` (出生年月: officers are shown the month, never the day). */
export function formatMonthCn(isoMonth: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})$/.exec(isoMonth ?? '')
  return m ? `${m[1]}年${Number(m[2])}月` : '—'
}

/** 党龄 counts from 转正日期, so a 预备党员 has none yet. */
export function formatPartyStanding(years: number | null, category: MemberCategory): string {
  if (years !== null) return `${years}年`
  return category === PROBATIONARY_MEMBER ? '预备期内，转正后开始计算' : '—'
}

/** 上午好 / 下午好 / 晚上好 by the phone's clock. */
/** The hour in China Standard Time, whatever time zone the phone or browser is set to. */
export function shanghaiHour(instant: Date): number {
  return (instant.getUTCHours() + 8) % 24
}

export function greeting(hour: number): string {
  if (hour < 5) return '您好'
  if (hour < 12) return '上午好'
  if (hour < 18) return '下午好'
  return '晚上好'
}
