/** The county's holiday list by year: a 公示 in a year the county has not entered says so plainly. */
import { describe, expect, it } from 'vitest';
import { putWorkCalendarBody, stepWindow, type DevelopmentHistory, type DevelopmentStep } from '../../shared/development.js';
import { isWeekend, OFFICIAL_WORK_CALENDAR_2026, unlistedYears, workCalendarOf } from '../../shared/development/workdays.js';

const cal = workCalendarOf(OFFICIAL_WORK_CALENDAR_2026);
const upTo = (notice: string): DevelopmentHistory => ({
  birthDate: '1995-05-01',
  steps: (
    [
      ['application', '2024-11-10'],
      ['talk', '2024-11-20'],
      ['activist', '2024-12-01'],
      ['candidate', '2025-12-01'],
      ['political_review', '2025-12-02'],
      ['training', '2025-12-03'],
      ['committee_review', '2025-12-10'],
      ['pre_review', '2025-12-15'],
      ['notice', notice],
    ] as [DevelopmentStep, string][]
  ).map(([step, date]) => ({ step, date })),
});

describe('years without a holiday list', () => {
  it('the calendar knows which years are listed', () => {
    expect(unlistedYears('2026-12-28', '2027-01-04', cal)).toEqual([2027]);
    expect(unlistedYears('2026-09-28', '2026-10-09', cal)).toEqual([]);
    // A calendar built by hand, without years, makes no claim either way.
    expect(unlistedYears('2027-01-01', '2027-01-05', { holidays: new Set(), workdays: new Set() })).toEqual([]);
  });

  it('a 公示 running into 2027 names the missing list in its rule; one inside 2026 does not', () => {
    const into2027 = stepWindow(upTo('2026-12-28'), 'branch_meeting', cal)!;
    expect(into2027.rule).toContain('2027年的节假日安排尚未由县委组织部录入');
    expect(into2027.earliest).toBe('2027-01-02'); // 28–31 Dec and 1 Jan counted as working days: Monday to Friday only
    expect(stepWindow(upTo('2026-09-28'), 'branch_meeting', cal)!.rule).toBe('公示满5个工作日之后');
    const listed = workCalendarOf([...OFFICIAL_WORK_CALENDAR_2026, { day: '2027-01-01', kind: 'holiday', note: '元旦' }]);
    const with2027 = stepWindow(upTo('2026-12-28'), 'branch_meeting', listed)!;
    expect(with2027.rule).toBe('公示满5个工作日之后');
    expect(with2027.earliest).toBe('2027-01-05');
  });
});

describe('the yearly list the county enters', () => {
  it('every day in the year, once; a make-up working day is a Saturday or Sunday', () => {
    expect(isWeekend('2026-10-10')).toBe(true);
    expect(putWorkCalendarBody(2027).safeParse({ days: [{ day: '2027-01-01', kind: 'holiday', note: '元旦' }] }).success).toBe(true);
    for (const days of [
      [{ day: '2026-01-01', kind: 'holiday', note: '元旦' }],
      [{ day: '2027-01-01', kind: 'holiday', note: '元旦' }, { day: '2027-01-01', kind: 'holiday', note: '元旦' }],
      [{ day: '2027-01-04', kind: 'workday', note: '周一' }],
    ]) {
      expect(putWorkCalendarBody(2027).safeParse({ days }).success, JSON.stringify(days)).toBe(false);
    }
  });
});
