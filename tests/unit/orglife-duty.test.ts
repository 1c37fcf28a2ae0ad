/** 党课 duty and the dashboard's organizational-life figures (shared/orglife/duty.ts, figures.ts), and the quota setting. */
import { describe, expect, it } from 'vitest';
import { effectiveSettings, ownSettings } from '../../shared/settings.js';
import {
  DEFAULT_LECTURE_QUOTA,
  dueItems,
  lectureProgress,
  orglifeSettings,
  ownBranchAttendance,
  quarterFigures,
  type LectureRecord,
} from '../../shared/orglife.js';

const LEADER = 7;
const lecture = (over: Partial<LectureRecord>): LectureRecord => ({ type: 'party_lecture', day: '2026-03-21', organizationId: 1, speakerMemberId: LEADER, ...over });

describe('党课 duty: a leader\'s own 党课 at their villages in the year', () => {
  it('counts the leader\'s 党课 at an assigned village', () => {
    expect(lectureProgress(LEADER, [1, 2], [lecture({}), lecture({ organizationId: 2, day: '2026-05-21' })], 2026, 2)).toEqual({ delivered: 2, elsewhere: 0, quota: 2, met: true });
  });

  it('leaves out another speaker\'s, a meeting that is not a 党课, and another year\'s', () => {
    const records = [lecture({ speakerMemberId: 8 }), lecture({ speakerMemberId: null }), lecture({ type: 'branch_committee' }), lecture({ day: '2025-12-31' }), lecture({ day: '2027-01-01' })];
    expect(lectureProgress(LEADER, [1], records, 2026, 1)).toEqual({ delivered: 0, elsewhere: 0, quota: 1, met: false });
  });

  it('shows a 党课 given at a branch they are not assigned apart, without counting it', () => {
    expect(lectureProgress(LEADER, [1], [lecture({ organizationId: 3 }), lecture({})], 2026, 2)).toEqual({ delivered: 1, elsewhere: 1, quota: 2, met: false });
  });

  it('the year runs on the Shanghai calendar day the meeting was held (its `day`)', () => {
    expect(lectureProgress(LEADER, [1], [lecture({ day: '2026-01-01' }), lecture({ day: '2026-12-31' })], 2026, 2).delivered).toBe(2);
  });

  it('双重组织生活: expected and attended at their own branch', () => {
    expect(ownBranchAttendance([{ status: 'present' }, { status: 'excused' }, { status: 'absent' }, { status: 'present' }])).toEqual({ expected: 4, attended: 2 });
    expect(ownBranchAttendance([])).toEqual({ expected: 0, attended: 0 });
  });

  it('the quota is a township setting: two by default, the township\'s own over the county\'s, 1 to 12', () => {
    expect(effectiveSettings(undefined, {}).lectureQuotaPerYear).toBe(DEFAULT_LECTURE_QUOTA);
    expect(DEFAULT_LECTURE_QUOTA).toBe(2);
    expect(effectiveSettings({ lectureQuotaPerYear: 3 }, {}).lectureQuotaPerYear).toBe(3);
    expect(effectiveSettings({ lectureQuotaPerYear: 3 }, { lectureQuotaPerYear: 4 }).lectureQuotaPerYear).toBe(4);
    expect(effectiveSettings(undefined, { lectureQuotaPerYear: 0 }).lectureQuotaPerYear).toBe(DEFAULT_LECTURE_QUOTA);
    expect(ownSettings.safeParse({ lectureQuotaPerYear: 13 }).success).toBe(false);
    expect(ownSettings.safeParse({ lectureQuotaPerYear: 12 }).success).toBe(true);
  });
});

describe('the dashboard\'s quarter figures', () => {
  const settings = orglifeSettings(effectiveSettings(undefined, {}));
  const items = (today: string, meetings: Array<{ type: 'branch_committee' | 'party_lecture'; day: string }>) =>
    dueItems({ today, year: Number(today.slice(0, 4)), settings, branchCreatedOn: '2010-01-01', meetings, appraisalCompletedOn: null, members: [] }).items;

  it('asks only this quarter\'s monthly and quarterly items that have begun, never the yearly ones', () => {
    const f = quarterFigures(items('2026-05-15', [{ type: 'branch_committee', day: '2026-04-05' }]), '2026-05-15');
    // April and May: 支委会, 党小组会, 主题党日 each (6), plus the quarter's 支部党员大会 and 党课 (2).
    expect(f.due).toBe(8);
    expect(f.done).toBe(1);
    expect(f.overdue).toBe(2);
  });

  it('a new quarter starts at Shanghai midnight: on 1 July the figures are July\'s and Q3\'s alone', () => {
    const f = quarterFigures(items('2026-07-01', []), '2026-07-01');
    expect(f).toEqual({ due: 5, done: 0, overdue: 0 });
  });
});
