import { describe, expect, it } from 'vitest';
import {
  isMedalEligible,
  isNewlyEligible,
  latestEligibleConfirmation,
  MEDAL_CUTOFF_MONTH_DAY,
  medalCutoff,
  medalReachesOn,
  medalStateOf,
  standingAtCutoff,
} from '../../shared/medals.js';

describe('光荣在党50年: 党龄 (from 转正) reaches 50 by 1 July of the year', () => {
  it('the cutoff is 1 July', () => {
    expect(MEDAL_CUTOFF_MONTH_DAY).toBe('07-01');
    expect(medalCutoff(2026)).toBe('2026-07-01');
  });

  it('1 July of the 50th year is in; 2 July is next year', () => {
    expect(isMedalEligible('1976-07-01', 2026)).toBe(true);
    expect(isNewlyEligible('1976-07-01', 2026)).toBe(true);
    expect(standingAtCutoff('1976-07-01', 2026)).toBe(50);
    expect(isMedalEligible('1976-07-02', 2026)).toBe(false);
    expect(standingAtCutoff('1976-07-02', 2026)).toBe(49);
    expect(isMedalEligible('1976-07-02', 2027)).toBe(true);
    expect(isNewlyEligible('1976-07-02', 2027)).toBe(true);
  });

  it('31 December of the 50th year no longer counts for that year (the old year-end cutoff)', () => {
    expect(isMedalEligible('1976-12-31', 2026)).toBe(false);
    expect(isNewlyEligible('1976-12-31', 2027)).toBe(true);
  });

  it('29 February 转正: fifty years on is never a leap year, so 50 is reached on 28 February', () => {
    expect(medalReachesOn('1976-02-29')).toBe('2026-02-28');
    expect(isNewlyEligible('1976-02-29', 2026)).toBe(true);
    expect(isMedalEligible('1976-02-29', 2025)).toBe(false);
    expect(medalReachesOn('1972-02-29')).toBe('2022-02-28');
    expect(standingAtCutoff('1976-02-29', 2026)).toBe(50);
  });

  it('members who reached 50 in earlier years stay eligible (until awarded) but are not newly eligible', () => {
    expect(isMedalEligible('1969-07-01', 2026)).toBe(true);
    expect(isNewlyEligible('1969-07-01', 2026)).toBe(false);
    expect(isMedalEligible(null, 2026)).toBe(false);
    expect(isNewlyEligible(null, 2026)).toBe(false);
  });

  it('the SQL bound agrees with the rule around the cutoff', () => {
    const bound = latestEligibleConfirmation(2026);
    expect(bound).toBe('1976-07-01');
    for (const d of ['1976-06-30', '1976-07-01', '1976-07-02', '1976-02-29', '1975-12-31']) {
      expect(d <= bound, d).toBe(isMedalEligible(d, 2026));
    }
  });

  it('the branch list says 已颁发 / 待颁发, or nothing when not eligible', () => {
    expect(medalStateOf('1969-07-01', 2026, true)).toBe('awarded');
    expect(medalStateOf('1969-07-01', 2026, false)).toBe('pending');
    expect(medalStateOf('1990-07-01', 2026, false)).toBeNull();
  });
});
