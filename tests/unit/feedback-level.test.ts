/** Who handles a 投诉建议: the township, or the county one level up (a committee never answers complaints about itself). */
import { describe, expect, it } from 'vitest';
import { feedbackHandledBy } from '../../shared/feedback.js';

describe('feedbackHandledBy', () => {
  it('a member’s or secretary’s feedback on the app or on village work goes to their township', () => {
    expect(feedbackHandledBy('app', { role: 'member', hasTownship: true })).toBe('township');
    expect(feedbackHandledBy('work', { role: 'secretary', hasTownship: true })).toBe('township');
  });
  it('anything about the township committee’s own work goes to the county, whoever sends it', () => {
    for (const role of ['member', 'secretary', 'staff', 'applicant', 'county'] as const) {
      expect(feedbackHandledBy('township', { role, hasTownship: role !== 'applicant' && role !== 'county' })).toBe('county');
    }
  });
  it('staff’s own feedback, and that of someone with no township, goes to the county', () => {
    expect(feedbackHandledBy('work', { role: 'staff', hasTownship: true })).toBe('county');
    expect(feedbackHandledBy('app', { role: 'county', hasTownship: false })).toBe('county');
    expect(feedbackHandledBy('app', { role: 'applicant', hasTownship: false })).toBe('county');
  });
});
