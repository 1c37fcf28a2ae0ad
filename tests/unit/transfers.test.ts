import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveSettings } from '../../shared/settings.js';
import { outBody } from '../helpers/transfer-bodies.js';
import {
  allowedActions,
  capitalNumeral,
  checkTransition,
  createTransferBody,
  defaultValidityDays,
  FINAL_STATES,
  formatLetterNumber,
  INITIAL_STATE,
  letterExpiry,
  overdueOf,
  receiptDue,
  TRANSITIONS,
  transferKinds,
  transferStates,
  type TransferActor,
  type TransferKind,
  type TransferState,
} from '../../shared/transfers.js';

const as = (...actors: TransferActor[]) => new Set(actors);

describe('capital numerals for the letter validity', () => {
  it.each([
    [30, '叁拾'],
    [10, '壹拾'],
    [15, '壹拾伍'],
    [7, '柒'],
    [90, '玖拾'],
    [60, '陆拾'],
    [100, '壹佰'],
    [105, '壹佰零伍'],
    [1010, '壹仟零壹拾'],
    [0, '零'],
  ])('%i → %s', (n, expected) => {
    expect(capitalNumeral(n)).toBe(expected);
  });

  it('uses only capital digits and units, never ordinary numerals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), (n) => {
        expect(capitalNumeral(n)).toMatch(/^[零壹贰叁肆伍陆柒捌玖拾佰仟]+$/);
        expect(capitalNumeral(n)).not.toMatch(/零$/);
        expect(capitalNumeral(n)).not.toMatch(/零零/);
      }),
    );
  });

  it('refuses what a letter never carries', () => {
    expect(() => capitalNumeral(-1)).toThrow();
    expect(() => capitalNumeral(1.5)).toThrow();
  });
});

describe('letters', () => {
  it('numbers are year-dash-four-digits', () => {
    expect(formatLetterNumber(2026, 42)).toBe('2026-0042');
    expect(formatLetterNumber(2026, 12345)).toBe('2026-12345');
  });

  it('expiry is issue date plus validity; the 回执 is due a calendar month later', () => {
    expect(letterExpiry('2026-06-15', 30)).toBe('2026-07-15');
    expect(letterExpiry('2026-12-20', 30)).toBe('2027-01-19');
    expect(receiptDue('2026-01-31')).toBe('2026-02-28');
  });

  it('default validity: 30 days outside the county, the committee may configure it, never above 90', () => {
    expect(defaultValidityDays('in_province', effectiveSettings(undefined, {}))).toBe(30);
    expect(defaultValidityDays('out_of_province', effectiveSettings(null, null))).toBe(30);
    expect(defaultValidityDays('in_county', effectiveSettings(undefined, {}))).toBe(10);
    expect(defaultValidityDays('out_of_province', effectiveSettings(undefined, { transferValidityDays: { out_of_province: 60 } }))).toBe(60);
    expect(defaultValidityDays('out_of_province', effectiveSettings(undefined, { transferValidityDays: { out_of_province: 120 } }))).toBe(30);
  });

  it('overdue: letter past expiry without 回执, 回执 more than a month late; nothing once received', () => {
    const t = { state: 'letter_issued' as const, letterExpiresOn: '2026-05-20', receiptDueOn: '2026-05-20', receiptReceivedOn: null };
    expect(overdueOf(t, '2026-05-20')).toEqual({ letterExpired: false, receiptOverdue: false });
    expect(overdueOf(t, '2026-05-21')).toEqual({ letterExpired: true, receiptOverdue: true });
    expect(overdueOf({ ...t, letterExpiresOn: '2026-05-01' }, '2026-05-10')).toEqual({ letterExpired: true, receiptOverdue: false });
    expect(overdueOf({ ...t, state: 'completed', receiptReceivedOn: '2026-05-01' }, '2026-09-01')).toEqual({
      letterExpired: false,
      receiptOverdue: false,
    });
  });
});

describe('state machine', () => {
  /** Walks forward steps from the initial state, with whoever acts there. */
  function happyPath(kind: TransferKind): TransferState[] {
    const path: TransferState[] = [INITIAL_STATE[kind]];
    for (;;) {
      const state = path[path.length - 1] as TransferState;
      const next = TRANSITIONS.find((t) => t.kind === kind && t.from === state && t.action !== 'reject' && t.action !== 'withdraw');
      if (!next) break;
      path.push(next.to);
    }
    return path;
  }

  it('each kind reaches 完成 along its documented path', () => {
    expect(happyPath('out')).toEqual(['pending_branch', 'pending_committee', 'letter_issued', 'completed']);
    expect(happyPath('in')).toEqual(['pending_committee', 'awaiting_report', 'completed']);
    expect(happyPath('internal')).toEqual(['pending_branch', 'pending_receiving_branch', 'pending_committee', 'completed']);
  });

  it('final states have no way out', () => {
    for (const kind of transferKinds) for (const s of FINAL_STATES) expect(TRANSITIONS.filter((t) => t.kind === kind && t.from === s)).toEqual([]);
  });

  it('every non-final state can be rejected by whoever acts there', () => {
    for (const t of TRANSITIONS.filter((x) => x.action !== 'reject' && x.action !== 'withdraw')) {
      const reject = checkTransition(t.kind, t.from, 'reject', new Set(t.actors));
      expect(reject).toMatchObject({ ok: true, transition: { to: 'rejected' } });
    }
  });

  it('the applicant may withdraw only before 党委审批', () => {
    expect(checkTransition('out', 'pending_branch', 'withdraw', as('applicant')).ok).toBe(true);
    expect(checkTransition('out', 'pending_committee', 'withdraw', as('subject')).ok).toBe(true);
    expect(checkTransition('out', 'letter_issued', 'withdraw', as('applicant'))).toEqual({ ok: false, problem: 'invalid_transition' });
    expect(checkTransition('in', 'awaiting_report', 'withdraw', as('applicant'))).toEqual({ ok: false, problem: 'invalid_transition' });
  });

  it('a member (applicant, subject) can approve or review nothing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...transferKinds), fc.constantFrom(...transferStates), (kind, state) => {
        const actions = allowedActions(kind, state, as('applicant', 'subject'));
        expect(actions.every((a) => a === 'withdraw')).toBe(true);
      }),
    );
  });

  it('the wrong branch secretary is refused (forbidden), a wrong step is an invalid transition', () => {
    expect(checkTransition('internal', 'pending_receiving_branch', 'review', as('from_secretary'))).toEqual({ ok: false, problem: 'forbidden' });
    expect(checkTransition('out', 'pending_branch', 'approve', as('staff'))).toEqual({ ok: false, problem: 'invalid_transition' });
    expect(checkTransition('out', 'letter_issued', 'report', as('staff'))).toEqual({ ok: false, problem: 'invalid_transition' });
  });
});

describe('contracts', () => {
  it('accepts a 转出 application and refuses unknown fields (no state, no applicant from the body)', () => {
    expect(createTransferBody.safeParse(outBody).success).toBe(true);
    expect(createTransferBody.safeParse({ ...outBody, state: 'completed' }).success).toBe(false);
    expect(createTransferBody.safeParse({ ...outBody, applicantAccountId: 1 }).success).toBe(false);
    expect(createTransferBody.safeParse({ ...outBody, duesPaidThrough: '2026-13' }).success).toBe(false);
  });

  it('a 转入 of a 正式党员 needs a 转正日期', () => {
    const incoming = {
      kind: 'in',
      // The filer confirms the member agreed to the privacy guide (their ID number is typed by someone else).
      memberConsent: true,
      name: '孟雪芳',
      gender: 'female',
      ethnicity: '汉族',
      idNumber: '11010519491231002X',
      category: 'full',
      joinedAt: '2014-06-20',
      toOrganizationId: 2,
      fromOrganizationName: '安阳市文峰区光华路街道党工委',
      incomingLetterNumber: '文组转〔2026〕017号',
      scope: 'in_province',
      reason: 'relocation',
      duesPaidThrough: '2026-05',
      contactPhone: '13800138000',
    };
    expect(createTransferBody.safeParse(incoming).success).toBe(false);
    expect(createTransferBody.safeParse({ ...incoming, confirmedAt: '2015-06-20' }).success).toBe(true);
  });
});
