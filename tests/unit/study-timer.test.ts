import { describe, expect, it } from 'vitest';
import { SESSION_CAP_MINUTES } from '../../shared/study.js';
import { creditDeadline, isCounting, PRESENCE_GRACE_MINUTES, sessionCredit, splitAtMidnight } from '../../shared/study-timer.js';

const cst = (s: string) => new Date(`${s}+08:00`);
const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);

describe('midnight splits (Asia/Shanghai)', () => {
  it('23:30 → 00:40 credits 30 minutes to the first day and 40 to the second', () => {
    expect(splitAtMidnight(cst('2026-06-15T23:30:00'), cst('2026-06-16T00:40:00'))).toEqual([
      { day: '2026-06-15', minutes: 30 },
      { day: '2026-06-16', minutes: 40 },
    ]);
  });
  it('a session inside one day, or starting exactly at midnight, is one day', () => {
    expect(splitAtMidnight(cst('2026-06-15T10:00:00'), cst('2026-06-15T10:37:40'))).toEqual([{ day: '2026-06-15', minutes: 37 }]);
    expect(splitAtMidnight(cst('2026-06-16T00:00:00'), cst('2026-06-16T00:20:00'))).toEqual([{ day: '2026-06-16', minutes: 20 }]);
  });
  it('ending exactly at midnight credits nothing to the next day', () => {
    expect(splitAtMidnight(cst('2026-06-15T23:10:00'), cst('2026-06-16T00:00:00'))).toEqual([{ day: '2026-06-15', minutes: 50 }]);
  });
  it('the parts always add up to the whole minutes, seconds included', () => {
    const start = cst('2026-06-15T23:29:31');
    const end = cst('2026-06-16T01:05:10');
    const parts = splitAtMidnight(start, end);
    expect(parts.map((p) => p.day)).toEqual(['2026-06-15', '2026-06-16']);
    expect(parts.reduce((n, p) => n + p.minutes, 0)).toBe(Math.floor((end.getTime() - start.getTime()) / 60_000));
  });
  it('31 December → 1 January and 28 February → 1 March are ordinary midnights', () => {
    expect(splitAtMidnight(cst('2026-12-31T23:45:00'), cst('2027-01-01T00:15:00'))).toEqual([
      { day: '2026-12-31', minutes: 15 },
      { day: '2027-01-01', minutes: 15 },
    ]);
    expect(splitAtMidnight(cst('2028-02-28T23:50:00'), cst('2028-02-29T00:10:00')).map((p) => p.day)).toEqual(['2028-02-28', '2028-02-29']);
  });
  it('nothing for an empty or backwards interval', () => {
    expect(splitAtMidnight(cst('2026-06-15T10:00:00'), cst('2026-06-15T10:00:30'))).toEqual([]);
    expect(splitAtMidnight(cst('2026-06-15T10:00:00'), cst('2026-06-15T09:00:00'))).toEqual([]);
  });
});

describe('presence credit', () => {
  const start = cst('2026-06-15T20:00:00');
  it('credit ends at the last confirmation plus the grace, not at the finish', () => {
    const s = { startedAt: start, lastSeenAt: plus(start, 18) };
    expect(creditDeadline(s)).toEqual(plus(start, 18 + PRESENCE_GRACE_MINUTES));
    const next = sessionCredit(s, cst('2026-06-16T09:00:00'));
    expect(next).toMatchObject({ status: 'expired', minutes: 23, days: [{ day: '2026-06-15', minutes: 23 }] });
  });
  it('a finish within the grace credits up to the finish', () => {
    const s = { startedAt: start, lastSeenAt: plus(start, 33) };
    expect(sessionCredit(s, plus(start, 37))).toMatchObject({ status: 'finished', minutes: 37 });
    expect(isCounting(s, plus(start, 38))).toBe(true);
    expect(isCounting(s, plus(start, 38.01))).toBe(false);
  });
  it('a session never confirmed (an old page) credits the grace at most', () => {
    expect(sessionCredit({ startedAt: start, lastSeenAt: null }, plus(start, 600)).minutes).toBe(PRESENCE_GRACE_MINUTES);
  });
  it('the cap bounds even a confirmed session', () => {
    const s = { startedAt: start, lastSeenAt: plus(start, 119) };
    expect(sessionCredit(s, plus(start, 124))).toMatchObject({ status: 'expired', minutes: SESSION_CAP_MINUTES });
  });
  it('a long session across midnight is capped as a whole and split by day', () => {
    const late = cst('2026-06-15T23:00:00');
    const s = { startedAt: late, lastSeenAt: plus(late, 150) };
    expect(sessionCredit(s, plus(late, 151)).days).toEqual([
      { day: '2026-06-15', minutes: 60 },
      { day: '2026-06-16', minutes: 60 },
    ]);
  });
});
