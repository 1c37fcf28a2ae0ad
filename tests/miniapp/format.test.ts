import { describe, expect, test } from 'vitest'
import { beijingDate, beijingDateTime, formatDateCn, formatInstantDateCn, formatMonthCn, formatPartyStanding, greeting, shanghaiHour } from '@/utils/format'

describe('formatDateCn', () => {
  test('writes dates the way Party documents do', () => {
    expect(formatDateCn('2001-07-01')).toBe('2001年7月1日')
    expect(formatDateCn('1996-02-29')).toBe('1996年2月29日')
  })
  test('shows a dash for a missing date and leaves malformed text alone', () => {
    expect(formatDateCn(null)).toBe('—')
    expect(formatDateCn('2026-02-30')).toBe('2026-02-30')
  })
})

describe('formatMonthCn', () => {
  test('writes 出生年月 without the day, a dash when missing', () => {
    expect(formatMonthCn('1970-05')).toBe('1970年5月')
    expect(formatMonthCn('1999-12')).toBe('1999年12月')
    expect(formatMonthCn(null)).toBe('—')
    expect(formatMonthCn('1970-05-20')).toBe('—')
  })
})

describe('formatPartyStanding', () => {
  test('counts whole years, and explains why a probationary member has none', () => {
    expect(formatPartyStanding(57, 'full')).toBe('57年')
    expect(formatPartyStanding(0, 'full')).toBe('0年')
    expect(formatPartyStanding(null, 'probationary')).toBe('预备期内，转正后开始计算')
  })
})

test('greeting follows the time of day', () => {
  expect(greeting(8)).toBe('上午好')
  expect(greeting(15)).toBe('下午好')
  expect(greeting(20)).toBe('晚上好')
})

describe('greeting by the hour in China, whatever the device time zone', () => {
  test('23:59 and 00:01 CST, and a UTC morning that is a Chinese evening', () => {
    expect(shanghaiHour(new Date('2026-06-15T23:59:00+08:00'))).toBe(23)
    expect(shanghaiHour(new Date('2026-06-16T00:01:00+08:00'))).toBe(0)
    expect(greeting(shanghaiHour(new Date('2026-11-26T11:26:00Z')))).toBe('晚上好')
    expect(greeting(shanghaiHour(new Date('2026-11-26T01:00:00Z')))).toBe('上午好')
  })
})

describe('the Beijing day of an instant, whatever the device time zone', () => {
  // 03:30 in Beijing is 19:30 UTC the day before: the UTC text says the 14th.
  const lateNight = '2026-06-14T19:30:00.000Z'
  test('dates and file names use the Beijing day', () => {
    expect(beijingDate(lateNight)).toBe('2026-06-15')
    expect(`我的数据-${beijingDate(lateNight)}.json`).toBe('我的数据-2026-06-15.json')
    expect(formatInstantDateCn(lateNight)).toBe('2026年6月15日')
    expect(formatInstantDateCn(null)).toBe('—')
    expect(beijingDateTime(lateNight)).toBe('6月15日 03:30')
  })
  test('the first and last minutes of a Beijing day', () => {
    expect(beijingDate('2026-06-14T16:00:00.000Z')).toBe('2026-06-15')
    expect(beijingDate('2026-06-14T15:59:59.999Z')).toBe('2026-06-14')
    expect(beijingDateTime('2026-12-31T16:05:00Z')).toBe('1月1日 00:05')
    // The year turns with the Beijing day, not the UTC one.
    expect(beijingDateTime('2026-12-31T16:05:00Z', { withYear: true })).toBe('2027年1月1日 00:05')
    expect(beijingDateTime('2026-12-31T15:59:00Z', { withYear: true })).toBe('2026年12月31日 23:59')
  })
})
