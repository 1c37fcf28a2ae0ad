import { describe, expect, test } from 'vitest'
import { formatDateCn, formatPartyStanding, greeting } from '@/utils/format'

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

describe('formatPartyStanding', () => {
  test('counts whole years, and explains why a probationary member has none', () => {
    expect(formatPartyStanding(57, '正式党员')).toBe('57年')
    expect(formatPartyStanding(0, '正式党员')).toBe('0年')
    expect(formatPartyStanding(null, '预备党员')).toBe('预备期内，转正后开始计算')
  })
})

test('greeting follows the time of day', () => {
  expect(greeting(8)).toBe('上午好')
  expect(greeting(15)).toBe('下午好')
  expect(greeting(20)).toBe('晚上好')
})
