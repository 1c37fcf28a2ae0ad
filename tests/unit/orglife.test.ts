/** The organizational-life due engine on its edges (shared/orglife/due.ts): Shanghai period ends, the fixed 主题党日, mid-period branches and members, 学时 figures. */
import { describe, expect, it } from 'vitest';
import { effectiveSettings } from '../../shared/settings.js';
import { shanghaiDate } from '../../shared/calendar.js';
import {
  branchEstablishedOn,
  dueItems,
  excellentAllowed,
  meetsStudyHours,
  orglifeSettings,
  partyDayIn,
  periodOf,
  reminderItems,
  requiredStudyHours,
  restDayReason,
  studyCareListOpen,
  studyHoursOf,
  talkDueInYear,
  type DueInput,
  type DueKind,
} from '../../shared/orglife.js';

const settings = orglifeSettings(effectiveSettings(undefined, {}));
const base = (today: string, over: Partial<DueInput> = {}): DueInput => ({
  today,
  year: Number(today.slice(0, 4)),
  settings,
  branchCreatedOn: '2010-01-01',
  meetings: [],
  appraisalCompletedOn: null,
  members: [],
  ...over,
});
const item = (input: DueInput, kind: DueKind, key: string) => dueItems(input).items.find((i) => i.kind === kind && i.period.key === key);

describe('periods and their ends at Shanghai midnight', () => {
  it('the last second of March (CST) is still in the first quarter; the next second is the second quarter', () => {
    const lastSecond = shanghaiDate(new Date('2026-03-31T15:59:59Z'));
    const firstSecond = shanghaiDate(new Date('2026-03-31T16:00:00Z'));
    expect(lastSecond).toBe('2026-03-31');
    expect(firstSecond).toBe('2026-04-01');
    expect(item(base(lastSecond), 'general_assembly', '2026-Q1')?.status).toBe('due_soon');
    expect(item(base(firstSecond), 'general_assembly', '2026-Q1')?.status).toBe('overdue');
    expect(item(base(firstSecond), 'general_assembly', '2026-Q2')?.status).toBe('due');
  });

  it('a month ends on its own last day (February in a common and a leap year)', () => {
    expect(periodOf('monthly', '2026-02-10')).toMatchObject({ start: '2026-02-01', end: '2026-02-28', label: '2026年2月' });
    expect(periodOf('monthly', '2028-02-10').end).toBe('2028-02-29');
    expect(periodOf('quarterly', '2026-11-30')).toMatchObject({ key: '2026-Q4', start: '2026-10-01', end: '2026-12-31', label: '2026年第四季度' });
    expect(item(base('2026-02-28'), 'branch_committee', '2026-02')?.status).toBe('due_soon');
    expect(item(base('2026-03-01'), 'branch_committee', '2026-02')?.status).toBe('overdue');
  });

  it('"即将到期" starts the configured number of days before the end', () => {
    expect(item(base('2026-06-25'), 'branch_committee', '2026-06')?.status).toBe('due');
    expect(item(base('2026-06-26'), 'branch_committee', '2026-06')?.status).toBe('due_soon');
    const wide = { ...base('2026-06-20'), settings: orglifeSettings(effectiveSettings(undefined, { orglifeDueSoonDays: 15 })) };
    expect(item(wide, 'branch_committee', '2026-06')?.status).toBe('due_soon');
    expect(reminderItems(dueItems(base('2026-06-28')).items).map((i) => i.kind)).toEqual(
      expect.arrayContaining(['branch_committee', 'group_meeting', 'general_assembly', 'party_lecture', 'party_day']),
    );
  });

  it('a meeting held in the period makes it done; one held the day after does not', () => {
    const held = base('2026-07-02', { meetings: [{ type: 'branch_committee', day: '2026-06-30' }, { type: 'party_lecture', day: '2026-07-01' }] });
    expect(item(held, 'branch_committee', '2026-06')?.status).toBe('done');
    expect(item(held, 'party_lecture', '2026-Q2')?.status).toBe('overdue');
    expect(item(held, 'party_lecture', '2026-Q3')?.status).toBe('done');
  });

  it('frequencies are settings: a township asking for a monthly 党课 gets one item per month', () => {
    const monthly = { ...base('2026-03-15'), settings: orglifeSettings(effectiveSettings(undefined, { orglifeFrequencies: { party_lecture: 'monthly', bogus: 'daily' } })) };
    expect(dueItems(monthly).items.filter((i) => i.kind === 'party_lecture').map((i) => i.period.key)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(orglifeSettings(effectiveSettings(undefined, { orglifeFrequencies: { party_lecture: 'hourly' } })).frequencies.party_lecture).toBe('quarterly');
  });
});

describe('主题党日 on the township\'s fixed day', () => {
  it('reads partyDayOfMonth (1–28), falling back to the default for anything else', () => {
    expect(orglifeSettings(effectiveSettings(undefined, { partyDayOfMonth: 18 })).partyDayOfMonth).toBe(18);
    expect(orglifeSettings(effectiveSettings(undefined, { partyDayOfMonth: 31 })).partyDayOfMonth).toBe(10);
    expect(orglifeSettings(effectiveSettings(undefined, { partyDayOfMonth: '5' })).partyDayOfMonth).toBe(10);
    expect(orglifeSettings(effectiveSettings(undefined, { partyDayOfMonth: 0 })).partyDayOfMonth).toBe(10);
  });

  it('a fixed day on a weekend or holiday stays that day, flagged, and a 主题党日 on another day of the month still counts', () => {
    expect(partyDayIn(periodOf('monthly', '2026-10-01'), 10)).toEqual({ day: '2026-10-10', restDay: 'weekend' });
    expect(partyDayIn(periodOf('monthly', '2026-10-01'), 1)).toEqual({ day: '2026-10-01', restDay: 'holiday' });
    expect(partyDayIn(periodOf('monthly', '2026-06-01'), 10)).toEqual({ day: '2026-06-10', restDay: null });
    expect(restDayReason('2026-05-03')).toBe('holiday');
    const october = base('2026-10-20', { meetings: [{ type: 'party_day', day: '2026-10-12' }] });
    expect(item(october, 'party_day', '2026-10')).toMatchObject({ status: 'done', plannedDay: '2026-10-10', restDay: 'weekend' });
    // Past the fixed day but within the month: still only due, not overdue.
    expect(item(base('2026-06-12'), 'party_day', '2026-06')?.status).toBe('due');
  });
});

describe('a branch set up mid-quarter', () => {
  it('is not asked for periods that began before it existed', () => {
    const input = base('2026-06-15', { branchCreatedOn: '2026-05-10' });
    const keys = (kind: DueKind) => dueItems(input).items.filter((i) => i.kind === kind).map((i) => i.period.key);
    expect(keys('branch_committee')).toEqual(['2026-06']);
    expect(keys('general_assembly')).toEqual([]);
    expect(keys('life_meeting')).toEqual([]);
    // The next quarter is asked in full.
    expect(dueItems({ ...input, today: '2026-07-01' }).items.filter((i) => i.kind === 'general_assembly').map((i) => i.period.key)).toEqual(['2026-Q3']);
  });

  it('the branch\'s 成立日期 comes from its settings when recorded', () => {
    expect(branchEstablishedOn({ establishedOn: '2003-07-01' }, '2026-12-01')).toBe('2003-07-01');
    expect(branchEstablishedOn({ establishedOn: '2003-02-30' }, '2026-12-01')).toBe('2026-12-01');
    expect(branchEstablishedOn(null, '2026-12-01')).toBe('2026-12-01');
  });
});

describe('谈心谈话 with every member each year', () => {
  const people = [
    { memberId: 1, name: '王一', joinedAt: '2010-01-01', talkedOn: '2026-03-01' },
    { memberId: 2, name: '李二', joinedAt: '2026-07-01', talkedOn: null },
    { memberId: 3, name: '张三', joinedAt: '2026-10-08', talkedOn: null },
    { memberId: 4, name: '赵四', joinedAt: '2012-05-05', talkedOn: '2025-12-30' },
  ];

  it('a member who joined mid-year is due by the year end; one who joined in the last quarter is due next year', () => {
    expect(talkDueInYear('2026-09-30', 2026)).toBe(true);
    expect(talkDueInYear('2026-10-01', 2026)).toBe(false);
    const r = dueItems(base('2026-11-01', { members: people }));
    expect(r.untalked.map((m) => m.name)).toEqual(['李二', '赵四']);
    expect(r.items.find((i) => i.kind === 'talks')?.status).toBe('due');
    expect(dueItems(base('2027-01-05', { year: 2026, members: people })).items.find((i) => i.kind === 'talks')?.status).toBe('overdue');
  });

  it('is done when everyone due has had a talk this year', () => {
    const all = people.map((m) => ({ ...m, talkedOn: '2026-04-01' }));
    expect(dueItems(base('2026-11-01', { members: all })).items.find((i) => i.kind === 'talks')?.status).toBe('done');
  });
});

describe('民主评议 and 学时 figures', () => {
  it('the appraisal counts in the year it was completed', () => {
    expect(item(base('2026-12-31', { appraisalCompletedOn: '2026-12-20' }), 'appraisal', '2026')?.status).toBe('done');
    expect(item(base('2026-12-31'), 'appraisal', '2026')?.status).toBe('due_soon');
    expect(item(base('2027-01-01', { year: 2026 }), 'appraisal', '2026')?.status).toBe('overdue');
  });

  it('优秀 is at most one third of those assessed', () => {
    expect(excellentAllowed(3, 9)).toBe(true);
    expect(excellentAllowed(4, 9)).toBe(false);
    expect(excellentAllowed(3, 10)).toBe(true);
    expect(excellentAllowed(1, 2)).toBe(false);
    expect(excellentAllowed(0, 0)).toBe(true);
  });

  it('32 学时 for members and 56 for secretaries and committee members, 1 hour = 1 学时', () => {
    expect(requiredStudyHours(false)).toBe(32);
    expect(requiredStudyHours(true)).toBe(56);
    expect(meetsStudyHours(32 * 60, false)).toBe(true);
    expect(meetsStudyHours(32 * 60 - 1, false)).toBe(false);
    expect(meetsStudyHours(32 * 60, true)).toBe(false);
    expect(meetsStudyHours(56 * 60, true)).toBe(true);
    expect(studyHoursOf(240)).toBe(4);
    expect(studyHoursOf(90)).toBe(1.5);
    expect(studyCareListOpen('2026-09-30')).toBe(false);
    expect(studyCareListOpen('2026-10-01')).toBe(true);
  });
});
