import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/calendar.js';
import {
  calendarLevel,
  careReasonsOf,
  checkIn,
  currentStreak,
  formatMinutes,
  parseSignInQrText,
  SESSION_CAP_MINUTES,
  signInQrText,
  startSession,
} from '../../shared/study.js';
import { sessionCredit } from '../../shared/study-timer.js';

describe('study rules', () => {
  it('counts a streak back from today, across month and year boundaries', () => {
    expect(currentStreak(['2026-06-29', '2026-06-30', '2026-07-01', '2026-07-02'], '2026-07-02')).toBe(4);
    expect(currentStreak(['2025-12-30', '2025-12-31', '2026-01-01'], '2026-01-01')).toBe(3);
    // Today not yet met: the streak up to yesterday still stands.
    expect(currentStreak(['2026-06-30', '2026-07-01'], '2026-07-02')).toBe(2);
    // A gap breaks it.
    expect(currentStreak(['2026-06-29', '2026-07-01'], '2026-07-03')).toBe(0);
    expect(currentStreak([], '2026-07-03')).toBe(0);
    // 29 February in a leap year is a day like any other.
    expect(currentStreak(['2028-02-28', '2028-02-29', '2028-03-01'], '2028-03-01')).toBe(3);
  });

  it('a streak of n consecutive days ending today is n, whatever the start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 400 }), (offset, n) => {
        const today = addDays('2024-01-01', offset);
        const days = Array.from({ length: n }, (_, i) => addDays(today, -i));
        expect(currentStreak(days, today)).toBe(n);
      }),
    );
  });

  it('credits timed sessions from server timestamps, whole minutes, capped', () => {
    const start = new Date('2026-06-15T10:00:00+08:00');
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
    // The page confirmed presence a minute before each finish.
    const credit = (minutes: number) => sessionCredit({ startedAt: start, lastSeenAt: at(Math.max(0, minutes - 1)) }, at(minutes)).minutes;
    expect(credit(0.9)).toBe(0);
    expect(credit(37.5)).toBe(37);
    expect(credit(SESSION_CAP_MINUTES + 500)).toBe(SESSION_CAP_MINUTES);
    expect(sessionCredit({ startedAt: start, lastSeenAt: null }, at(-5)).minutes).toBe(0);
  });

  it('refuses client-sent durations and start times in the contracts', () => {
    expect(startSession.body!.safeParse({ way: 'platform', topic: '党章', minutes: 90 }).success).toBe(false);
    expect(startSession.body!.safeParse({ way: 'platform', topic: '党章' }).success).toBe(true);
    expect(checkIn.body!.safeParse({ way: 'platform', topic: '党章', minutes: 30, day: '2026-01-01' }).success).toBe(false);
    expect(checkIn.body!.safeParse({ way: 'platform', topic: '党章', minutes: 61 }).success).toBe(false);
    expect(checkIn.body!.safeParse({ way: 'platform', topic: '   ', minutes: 30 }).success).toBe(false);
  });

  it('colours the calendar by minutes', () => {
    expect([0, 1, 29, 30, 59, 60, 200].map(calendarLevel)).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });

  it('round-trips the sign-in QR text and rejects anything else', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJldiI6MX0.signature-part';
    expect(parseSignInQrText(signInQrText(42, token))).toEqual({ eventId: 42, token });
    expect(parseSignInQrText('https://example.com')).toBeNull();
    expect(parseSignInQrText('dangjian:study-sign-in:abc:' + token)).toBeNull();
    expect(parseSignInQrText('dangjian:study-sign-in:5:short')).toBeNull();
  });

  it('formats durations the way members read them', () => {
    expect(formatMinutes(45)).toBe('45分钟');
    expect(formatMinutes(60)).toBe('1小时');
    expect(formatMinutes(80)).toBe('1小时20分钟');
  });
});

describe('care list reasons (careReasonsOf)', () => {
  const base = { age: 50, hasAccount: true, attended: true, branchHeldAny: true, excusedForWorkAway: false };
  it('names each reason from the facts, working away instead of absent', () => {
    expect(careReasonsOf(base)).toEqual([]);
    expect(careReasonsOf({ ...base, age: 70, hasAccount: false })).toEqual(['elderly_no_account']);
    expect(careReasonsOf({ ...base, age: 69, hasAccount: false })).toEqual([]);
    expect(careReasonsOf({ ...base, attended: false })).toEqual(['long_absence']);
    expect(careReasonsOf({ ...base, attended: false, branchHeldAny: false })).toEqual([]);
    expect(careReasonsOf({ ...base, attended: false, excusedForWorkAway: true })).toEqual(['working_away']);
    expect(careReasonsOf({ ...base, age: 80, hasAccount: false, attended: false, excusedForWorkAway: true })).toEqual(['elderly_no_account', 'working_away']);
  });
});
