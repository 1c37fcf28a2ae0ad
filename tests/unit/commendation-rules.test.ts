import { describe, expect, it } from 'vitest';
import { duplicateTitleMessage } from '../../shared/commendation-rules.js';

describe('one title per subject per year', () => {
  const existing = { id: 12, category: 'outstanding_member' as const, year: 2026, subjectName: '张三', title: '2026年度优秀共产党员', level: 'township' as const, awardedOn: '2026-06-28', campaignName: null };
  it('names the record already there (number, title, level, date)', () => {
    const m = duplicateTitleMessage(existing);
    expect(m).toContain('张三已获得2026年度优秀共产党员');
    expect(m).toContain('记录编号12');
    expect(m).toContain('镇级');
    expect(m).toContain('2026-06-28');
    expect(m).not.toContain('表彰活动');
  });
  it('names the campaign when the first record came from one', () => {
    expect(duplicateTitleMessage({ ...existing, campaignName: '2026年七一表彰' })).toContain('表彰活动“2026年七一表彰”');
  });
});
