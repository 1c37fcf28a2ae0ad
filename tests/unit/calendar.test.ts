import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  chineseDateTime,
  chineseTimeRange,
  normalizeDateText,
  addMonths,
  addYears,
  daysBetween,
  eachDay,
  isIsoDate,
  monthEnd,
  shanghaiDate,
  shanghaiDayStart,
  shanghaiMonth,
  wholeYearsBetween,
} from '../../shared/calendar.js';

describe('Asia/Shanghai calendar day, whatever the process time zone', () => {
  it('23:59 CST is still that day, 00:01 CST is the next (UTC says otherwise)', () => {
    expect(shanghaiDate(new Date('2026-06-15T23:59:00+08:00'))).toBe('2026-06-15');
    expect(shanghaiDate(new Date('2026-06-16T00:01:00+08:00'))).toBe('2026-06-16');
    // 00:01 CST is 16:01 UTC of the previous day.
    expect(new Date('2026-06-16T00:01:00+08:00').toISOString().slice(0, 10)).toBe('2026-06-15');
  });

  it('month and year boundaries follow CST', () => {
    expect(shanghaiMonth(new Date('2026-06-30T23:59:59+08:00'))).toBe('2026-06');
    expect(shanghaiMonth(new Date('2026-06-30T16:00:00Z'))).toBe('2026-07');
    expect(shanghaiDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('a day starts at 00:00 CST = 16:00 UTC the day before', () => {
    expect(shanghaiDayStart('2026-01-01').toISOString()).toBe('2025-12-31T16:00:00.000Z');
  });

  it('any instant falls inside the day that shanghaiDate names', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), (instant) => {
        const day = shanghaiDate(instant);
        const start = shanghaiDayStart(day).getTime();
        return instant.getTime() >= start && instant.getTime() < start + 86_400_000;
      }),
    );
  });
});

describe('calendar arithmetic', () => {
  it('rejects impossible dates', () => {
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('26-01-01')).toBe(false);
  });

  it('adds months and years the way people count them', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(monthEnd('2028-02')).toBe('2028-02-29');
    expect(eachDay('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  });

  it('addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: -20_000, max: 20_000 }), (offset, n) => {
        const from = addDays('1950-01-01', offset);
        return daysBetween(from, addDays(from, n)) === n;
      }),
    );
  });

  it('whole years go up on the anniversary, not 365 days later', () => {
    expect(wholeYearsBetween('2000-06-15', '2026-06-14')).toBe(25);
    expect(wholeYearsBetween('2000-06-15', '2026-06-15')).toBe(26);
    // 2020-02-29 + 365 days is 2021-02-28, which is also the anniversary in a common year.
    expect(wholeYearsBetween('2020-02-29', '2021-02-27')).toBe(0);
    expect(wholeYearsBetween('2020-02-29', '2021-02-28')).toBe(1);
    expect(wholeYearsBetween('2020-02-29', '2024-02-28')).toBe(3);
    expect(wholeYearsBetween('2020-02-29', '2024-02-29')).toBe(4);
  });
});

describe('normalizeDateText: dates as people type them', () => {
  it('reads the usual forms as an ISO day', () => {
    for (const typed of ['1985.3.1', '1985/03/01', '1985年3月1日', ' 1985-3-1 ', '19850301', '1985 年 3 月 1 日']) {
      expect(normalizeDateText(typed), typed).toBe('1985-03-01');
    }
  });

  it('leaves anything that is not a real day as typed (trimmed), for the field check to refuse', () => {
    expect(normalizeDateText(' 1985.2.30 ')).toBe('1985.2.30');
    expect(normalizeDateText('三月一日')).toBe('三月一日');
    expect(normalizeDateText('')).toBe('');
  });
});

describe('times shown to people (Beijing time, whatever the phone\'s zone)', () => {
  it('23:59 and 00:01 CST fall on their own Beijing days', () => {
    expect(chineseDateTime('2026-06-14T15:59:00Z')).toBe('6月14日 23:59');
    expect(chineseDateTime('2026-06-14T16:01:00Z')).toBe('6月15日 00:01');
    expect(chineseDateTime(new Date('2026-12-31T16:00:00Z'))).toBe('1月1日 00:00');
  });

  it('a sitting on one line: the end shows its clock time only', () => {
    expect(chineseTimeRange('2026-06-15T01:30:00Z', '2026-06-15T02:30:00Z')).toBe('6月15日 09:30–10:30');
  });
});
