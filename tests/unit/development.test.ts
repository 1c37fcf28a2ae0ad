/** The 发展党员 date engine on its edges (shared/development/rules.ts). */
import { describe, expect, it } from 'vitest';
import {
  checkStep,
  confirmationDateOf,
  noticeEndsOn,
  stepWindow,
  type DevelopmentHistory,
  type DevelopmentStep,
  type RecordedStep,
} from '../../shared/development/rules.js';
import { meetingOutcome } from '../../shared/development/meeting-vote.js';
import { OFFICIAL_WORK_CALENDAR_2026, isWorkingDay, workCalendarOf } from '../../shared/development/workdays.js';

const cal = workCalendarOf(OFFICIAL_WORK_CALENDAR_2026);
const h = (...steps: [DevelopmentStep, string, number?][]): DevelopmentHistory => ({
  birthDate: '1995-05-01',
  steps: steps.map(([step, date, months]): RecordedStep => ({ step, date, months })),
});
const upToNotice: [DevelopmentStep, string][] = [
  ['application', '2024-01-10'],
  ['talk', '2024-01-20'],
  ['activist', '2024-02-29'],
  ['candidate', '2025-03-01'],
  ['political_review', '2025-04-01'],
  ['training', '2025-05-01'],
  ['committee_review', '2025-06-01'],
  ['pre_review', '2025-06-20'],
];
const admitted = (meeting: string, ...more: [DevelopmentStep, string, number?][]) =>
  h(...upToNotice, ['notice', '2025-07-01'], ['branch_meeting', meeting], ['approval', meeting], ...more);

describe('development date engine', () => {
  it('talk within one month of the application: flagged after, refused before', () => {
    const hist = h(['application', '2026-01-31']);
    expect(stepWindow(hist, 'talk', cal)).toMatchObject({ earliest: '2026-01-31', latest: '2026-02-28' });
    expect(checkStep(hist, 'talk', { date: '2026-02-28' }, cal, '2026-06-15')).toEqual({ ok: true, late: false });
    expect(checkStep(hist, 'talk', { date: '2026-03-01' }, cal, '2026-06-15')).toEqual({ ok: true, late: true });
    expect(checkStep(hist, 'talk', { date: '2026-01-30' }, cal, '2026-06-15')).toMatchObject({ ok: false, message: expect.stringContaining('2026-01-31') });
  });

  it('applicant at 18 or older', () => {
    expect(stepWindow(h(), 'application', cal)?.earliest).toBe('2013-05-01');
  });

  it('one year as 积极分子 across 29 February: a 2024-02-29 activist may become 发展对象 on 2025-02-28, not before', () => {
    const hist = h(['application', '2024-01-10'], ['talk', '2024-01-20'], ['activist', '2024-02-29']);
    expect(stepWindow(hist, 'candidate', cal)?.earliest).toBe('2025-02-28');
    const refused = checkStep(hist, 'candidate', { date: '2025-02-27' }, cal, '2026-06-15');
    expect(refused).toEqual({ ok: false, message: '“确定发展对象”最早可于 2025-02-28 进行（经过1年以上培养教育和考察）' });
    expect(checkStep(hist, 'candidate', { date: '2025-02-28' }, cal, '2026-06-15')).toEqual({ ok: true, late: false });
    const fromMarch = h(['application', '2025-01-10'], ['talk', '2025-01-20'], ['activist', '2025-03-01']);
    expect(stepWindow(fromMarch, 'candidate', cal)?.earliest).toBe('2026-03-01');
  });

  it('reviews every six months, counted from the last one', () => {
    const hist = h(['application', '2025-01-10'], ['talk', '2025-01-20'], ['activist', '2025-08-31']);
    expect(stepWindow(hist, 'activist_review', cal)).toMatchObject({ earliest: '2025-09-01', latest: '2026-02-28' });
    const reviewed = h(['application', '2025-01-10'], ['talk', '2025-01-20'], ['activist', '2025-08-31'], ['activist_review', '2026-02-20']);
    expect(stepWindow(reviewed, 'activist_review', cal)?.latest).toBe('2026-08-20');
    expect(checkStep(reviewed, 'activist_review', { date: '2026-08-21' }, cal, '2026-09-01')).toEqual({ ok: true, late: true });
  });

  it('training at least 3 days or 24 学时', () => {
    const hist = h(...upToNotice.slice(0, 5));
    expect(checkStep(hist, 'training', { date: '2025-05-01', trainingDays: 2, trainingHours: 16 }, cal, '2026-06-15').ok).toBe(false);
    expect(checkStep(hist, 'training', { date: '2025-05-01', trainingDays: 3 }, cal, '2026-06-15').ok).toBe(true);
    expect(checkStep(hist, 'training', { date: '2025-05-01', trainingDays: 2, trainingHours: 24 }, cal, '2026-06-15').ok).toBe(true);
  });

  it('预审 within one month of the 支委会审查', () => {
    const hist = h(...upToNotice.slice(0, 7));
    expect(stepWindow(hist, 'pre_review', cal)).toMatchObject({ earliest: '2025-06-01', latest: '2025-07-01' });
  });

  it('公示 of 5 working days across 国庆 with its make-up working days', () => {
    expect(isWorkingDay('2026-10-10', cal)).toBe(true); // Saturday, 调休上班
    expect(isWorkingDay('2026-09-20', cal)).toBe(true); // Sunday, 调休上班
    expect(isWorkingDay('2026-10-05', cal)).toBe(false); // Monday, 国庆
    expect(noticeEndsOn('2026-09-28', cal)).toBe('2026-10-09'); // 28, 29, 30 Sep, 8, 9 Oct
    expect(noticeEndsOn('2026-09-30', cal)).toBe('2026-10-12'); // 30 Sep, 8, 9, 10 (Sat, make-up), 12 Oct
    expect(noticeEndsOn('2026-09-19', cal)).toBe('2026-09-24'); // Sat; 20 (Sun, make-up) to 24
    expect(noticeEndsOn('2026-09-24', cal)).toBe('2026-10-08'); // 24, 25 is 中秋: 24, 28, 29, 30, 8
    const hist = h(...upToNotice, ['notice', '2026-09-30']);
    expect(stepWindow(hist, 'branch_meeting', cal)?.earliest).toBe('2026-10-13');
    expect(checkStep(hist, 'branch_meeting', { date: '2026-10-12' }, cal, '2026-12-01')).toMatchObject({ ok: false });
  });

  it('township approval within three months (flagged), at most six (refused)', () => {
    const hist = h(...upToNotice, ['notice', '2025-07-01'], ['branch_meeting', '2025-08-31']);
    expect(stepWindow(hist, 'approval', cal)).toMatchObject({ earliest: '2025-08-31', latest: '2025-11-30', hardLatest: '2026-02-28' });
    expect(checkStep(hist, 'approval', { date: '2025-11-30' }, cal, '2026-06-15')).toEqual({ ok: true, late: false });
    expect(checkStep(hist, 'approval', { date: '2025-12-01' }, cal, '2026-06-15')).toEqual({ ok: true, late: true });
    expect(checkStep(hist, 'approval', { date: '2026-03-01' }, cal, '2026-06-15')).toMatchObject({ ok: false });
  });

  it('转正 on the day the 预备期 ends: one year, or with an extension of exactly 6 or 12 months', () => {
    const plain = admitted('2024-02-29');
    expect(stepWindow(plain, 'confirmation_meeting', cal)?.earliest).toBe('2025-02-28');
    expect(confirmationDateOf(plain)).toBe('2025-02-28');
    const six = admitted('2025-08-31', ['extension', '2026-03-01', 6]);
    expect(confirmationDateOf(six)).toBe('2027-02-28');
    expect(stepWindow(six, 'confirmation_meeting', cal)?.earliest).toBe('2027-02-28');
    const twelve = admitted('2025-08-31', ['extension', '2026-03-01', 12]);
    expect(confirmationDateOf(twelve)).toBe('2027-08-31');
  });

  it('extension once, 6–12 months, within the 预备期', () => {
    const hist = admitted('2025-08-31');
    expect(checkStep(hist, 'extension', { date: '2026-03-01', months: 5 }, cal, '2026-06-15').ok).toBe(false);
    expect(checkStep(hist, 'extension', { date: '2026-03-01', months: 13 }, cal, '2026-06-15').ok).toBe(false);
    expect(checkStep(hist, 'extension', { date: '2026-03-01', months: 9 }, cal, '2026-06-15').ok).toBe(true);
    expect(checkStep(hist, 'extension', { date: '2026-09-01', months: 6 }, cal, '2026-12-15').ok).toBe(false);
    expect(stepWindow(admitted('2025-08-31', ['extension', '2026-03-01', 6]), 'extension', cal)).toBeNull();
  });

  it('steps out of order are refused, naming the next one', () => {
    expect(checkStep(h(['application', '2026-01-05']), 'candidate', { date: '2026-06-01' }, cal, '2026-06-15')).toEqual({
      ok: false,
      message: '现在不能登记“确定发展对象”，下一步是“派人谈话”',
    });
    expect(stepWindow(admitted('2025-08-31', ['cancellation', '2025-12-01']), 'confirmation_meeting', cal)).toBeNull();
  });

  it('支部大会: quorum and majority are over the members entitled to vote', () => {
    expect(meetingOutcome({ entitled: 10, present: 6, inFavour: 6 })).toEqual({ ok: true });
    expect(meetingOutcome({ entitled: 10, present: 5, inFavour: 5 }).ok).toBe(false);
    expect(meetingOutcome({ entitled: 10, present: 9, inFavour: 5 }).ok).toBe(false);
    expect(meetingOutcome({ entitled: 9, present: 5, inFavour: 5 })).toEqual({ ok: true });
    expect(meetingOutcome({ entitled: 9, present: 10, inFavour: 5 }).ok).toBe(false);
  });
});
