import { describe, expect, it } from 'vitest';
import { percent } from '../../shared/common.js';
import { progressPercent } from '../../shared/commendations.js';

describe('one percentage rule for every rate the app shows', () => {
  it('is a whole percent, rounded half up, and null when there is nothing to count', () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(2, 3)).toBe(67);
    expect(percent(1, 8)).toBe(13); // 12.5
    expect(percent(5, 5)).toBe(100);
    expect(percent(0, 7)).toBe(0);
    expect(percent(3, 0)).toBeNull();
  });

  it('the dashboard, the study summary and the commendation targets show the same numbers the same way', () => {
    // 2 of 3 members met the target: the dashboard once said 67, the study summary 66.7, the targets 66.
    // The dashboard and the study summary now call percent() itself; the target bar is built on it.
    expect(percent(2, 3)).toBe(67);
    expect(progressPercent(2, 3)).toBe(67);
  });

  it('keeps what the target bar adds: it stops at 100 and needs a target', () => {
    expect(progressPercent(15, 12)).toBe(100);
    expect(progressPercent(3, null)).toBeNull();
    expect(progressPercent(3, 0)).toBeNull();
  });
});
