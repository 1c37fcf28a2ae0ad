import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveSettings } from '../../shared/settings.js';
import {
  anniversaryInYear,
  anniversaryNumber,
  birthdayStatus,
  chineseDate,
  isMilestone,
  OATH_PHRASES,
  OATH_TEXT,
  signIn,
  windowAround,
  windowClosedMessage,
  yearsSinceJoining,
} from '../../shared/birthdays.js';
import { isMedalEligible } from '../../shared/medals.js';
import { addDays, formatIsoDate, shanghaiDate } from '../../shared/calendar.js';
import { partyStandingYears } from '../../shared/members.js';

describe('political birthday = anniversary of 入党日期', () => {
  it('29 February falls on 28 February in common years and stays on the 29th in leap years', () => {
    expect(anniversaryInYear('1996-02-29', 2025)).toBe('2025-02-28');
    expect(anniversaryInYear('1996-02-29', 2028)).toBe('2028-02-29');
    expect(anniversaryInYear('1996-02-29', 2100)).toBe('2100-02-28'); // not a leap year
    expect(anniversaryInYear('1996-02-29', 2000)).toBe('2000-02-29'); // a leap year
    // Counted up on the 28th in a common year, not on 1 March.
    expect(yearsSinceJoining('1996-02-29', '2025-02-27')).toBe(28);
    expect(yearsSinceJoining('1996-02-29', '2025-02-28')).toBe(29);
    const status = birthdayStatus('1996-02-29', '2027-02-28', 'month');
    expect(status.isToday).toBe(true);
    expect(status.open).toMatchObject({ year: 2027, anniversary: '2027-02-28', years: 31, opens: '2027-02-01', closes: '2027-02-28' });
    expect(birthdayStatus('1996-02-29', '2028-02-28', 'month').isToday).toBe(false);
    expect(birthdayStatus('1996-02-29', '2028-02-29', 'month').isToday).toBe(true);
  });

  it('counts 入党N周年 from 入党日期 and 党龄 from 转正日期', () => {
    // Admitted 2001-06-15, 转正 2002-06-15: on the 2026 birthday, 25 years since joining, 24 years of 党龄.
    expect(anniversaryNumber('2001-06-15', 2026)).toBe(25);
    expect(yearsSinceJoining('2001-06-15', '2026-06-15')).toBe(25);
    expect(yearsSinceJoining('2001-06-15', '2026-06-14')).toBe(24);
    expect(partyStandingYears('2002-06-15', '2026-06-15')).toBe(24);
    expect(partyStandingYears(null, '2026-06-15')).toBeNull();
  });

  it('an anniversary on 1 January and on 31 December, across the CST/UTC day boundary', () => {
    // 2026-12-31 16:30 UTC is already 1 January 2027 in Shanghai.
    const newYearCst = shanghaiDate(new Date('2026-12-31T16:30:00Z'));
    expect(newYearCst).toBe('2027-01-01');
    const jan = birthdayStatus('1990-01-01', newYearCst, 'month');
    expect(jan.isToday).toBe(true);
    expect(jan.open).toMatchObject({ year: 2027, years: 37, opens: '2027-01-01', closes: '2027-01-31' });
    // The same instant is still 31 December in UTC: a UTC-based rule would be a day early.
    const dec = birthdayStatus('1990-12-31', newYearCst, 'month');
    expect(dec.isToday).toBe(false);
    expect(dec.open).toBeNull();
    expect(dec.next.anniversary).toBe('2027-12-31');
    expect(dec.upcoming.opens).toBe('2027-12-01');
    // 15:59 UTC on the 31st is 23:59 CST on the 31st: the December birthday, inside its window.
    const lastMinute = shanghaiDate(new Date('2026-12-31T15:59:00Z'));
    expect(lastMinute).toBe('2026-12-31');
    const decToday = birthdayStatus('1990-12-31', lastMinute, 'month');
    expect(decToday.isToday).toBe(true);
    expect(decToday.open).toMatchObject({ year: 2026, years: 36, closes: '2026-12-31' });
    expect(birthdayStatus('1990-01-01', lastMinute, 'month').open).toBeNull();
  });

  it('members admitted 50+ years ago: the 50th anniversary is a milestone; the medal follows 党龄 (转正), not 入党', () => {
    expect(anniversaryNumber('1968-07-01', 2026)).toBe(58);
    expect(isMilestone(50)).toBe(true);
    expect(isMilestone(60)).toBe(true);
    expect(isMilestone(10)).toBe(true);
    expect(isMilestone(25)).toBe(false);
    expect(isMilestone(0)).toBe(false);
    // 入党 1976-09-01 (50 years in 2026), 转正 1977-09-01: 党龄 reaches 50 only on 2027-09-01,
    // after 七一 2027, so the medal list is 2028's (tests/unit/medals.test.ts).
    expect(isMedalEligible('1977-09-01', 2026)).toBe(false);
    expect(isMedalEligible('1977-09-01', 2027)).toBe(false);
    expect(isMedalEligible('1977-09-01', 2028)).toBe(true);
    expect(isMedalEligible('1969-07-01', 2026)).toBe(true);
    expect(isMedalEligible(null, 2026)).toBe(false);
  });

  it('入党日期 = today: no political birthday yet; the first is next year', () => {
    const status = birthdayStatus('2026-06-15', '2026-06-15', 'month');
    expect(status.open).toBeNull();
    expect(status.isToday).toBe(false);
    expect(status.next).toMatchObject({ year: 2027, anniversary: '2027-06-15', years: 1 });
    expect(status.upcoming.opens).toBe('2027-06-01');
    expect(status.daysUntilNext).toBe(365);
    expect(windowClosedMessage(status)).toContain('2027年6月1日');
  });

  it('the window is the anniversary month, or its quarter, per the township setting', () => {
    expect(windowAround('2026-05-20', 'month')).toEqual({ opens: '2026-05-01', closes: '2026-05-31' });
    expect(windowAround('2026-05-20', 'quarter')).toEqual({ opens: '2026-04-01', closes: '2026-06-30' });
    expect(windowAround('2026-12-31', 'quarter')).toEqual({ opens: '2026-10-01', closes: '2026-12-31' });
    expect(birthdayStatus('2001-05-20', '2026-06-30', 'quarter').open).toMatchObject({ year: 2026, anniversary: '2026-05-20' });
    expect(birthdayStatus('2001-05-20', '2026-06-30', 'month').open).toBeNull();
    expect(effectiveSettings(undefined, { birthdayWindow: 'quarter' }).birthdayWindow).toBe('quarter');
    expect(effectiveSettings(undefined, { birthdayWindow: 'nonsense' }).birthdayWindow).toBe('month');
    expect(effectiveSettings(null, null).birthdayWindow).toBe('month');
  });

  it('outside the window, says when it opens (this year or next)', () => {
    const before = birthdayStatus('2001-09-10', '2026-06-15', 'month');
    expect(before.open).toBeNull();
    expect(windowClosedMessage(before)).toBe(`您的政治生日签到将于2026年9月1日开放（入党25周年）`);
    const after = birthdayStatus('2001-03-10', '2026-06-15', 'month');
    expect(windowClosedMessage(after)).toBe(`您的政治生日签到将于2027年3月1日开放（入党26周年）`);
    expect(chineseDate('2027-03-01')).toBe('2027年3月1日');
  });

  it('property: every day of the year, the status is consistent', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 729 }),
        fc.constantFrom('month' as const, 'quarter' as const),
        (joined, offset, window) => {
          const joinedAt = joined.toISOString().slice(0, 10);
          const today = addDays('2026-01-01', offset);
          const s = birthdayStatus(joinedAt, today, window);
          expect(s.next.anniversary >= today).toBe(true);
          expect(s.upcoming.opens > today).toBe(true);
          expect(s.next.years).toBeGreaterThanOrEqual(1);
          if (s.open) expect(s.open.opens <= today && today <= s.open.closes).toBe(true);
          expect(s.isToday).toBe(s.next.anniversary === today);
          // The anniversary always shares the 入党 month.
          expect(s.next.anniversary.slice(5, 7)).toBe(joinedAt.slice(5, 7));
          expect(yearsSinceJoining(joinedAt, s.next.anniversary)).toBe(s.next.years);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the oath and the sign-in contract', () => {
  it('the oath is the Party Constitution text, split into phrases for reading aloud', () => {
    expect(OATH_TEXT.startsWith('我志愿加入中国共产党')).toBe(true);
    expect(OATH_TEXT.endsWith('永不叛党。')).toBe(true);
    expect(OATH_PHRASES.join('')).toBe(OATH_TEXT);
    expect(OATH_PHRASES).toHaveLength(12);
  });

  it('requires oathConfirmed: true, bounds the reflection at 1000 characters and refuses extra fields', () => {
    const body = signIn.body;
    if (!body) throw new Error('sign-in has a body schema');
    expect(body.safeParse({ oathConfirmed: true }).success).toBe(true);
    expect(body.safeParse({ oathConfirmed: false }).success).toBe(false);
    expect(body.safeParse({}).success).toBe(false);
    expect(body.safeParse({ oathConfirmed: true, reflection: '字'.repeat(1000) }).success).toBe(true);
    expect(body.safeParse({ oathConfirmed: true, reflection: '字'.repeat(1001) }).success).toBe(false);
    expect(body.safeParse({ oathConfirmed: true, memberId: 5 }).success).toBe(false);
    expect(formatIsoDate({ year: 2026, month: 6, day: 1 })).toBe('2026-06-01');
  });
});
