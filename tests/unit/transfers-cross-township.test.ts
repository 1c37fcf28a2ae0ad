/** 县内跨镇转接's shared rules: its steps in the machine, the ledger's two views of it, the filing form's destinations. */
import { describe, expect, it } from 'vitest';
import { ledgerKindLabel, ledgerPlacementOf, ledgerSectionsOf } from '../../shared/transfer-ledger.js';
import { allowedActions, awaitingSteps, checkTransition, issuesLetter, townshipInTree, transferDestinations, type TransferActor, type TreeOrganization } from '../../shared/transfers.js';

const as = (...a: TransferActor[]) => new Set(a);

describe('县内跨镇转接 in the machine', () => {
  it('the sending side reviews and approves; only the receiving side receives', () => {
    expect(allowedActions('cross_township', 'pending_branch', as('from_secretary'))).toEqual(['review', 'reject']);
    expect(allowedActions('cross_township', 'pending_branch', as('to_secretary', 'to_staff'))).toEqual([]);
    expect(allowedActions('cross_township', 'pending_committee', as('staff'))).toEqual(['approve', 'reject']);
    expect(allowedActions('cross_township', 'pending_committee', as('to_staff'))).toEqual([]);
    expect(allowedActions('cross_township', 'letter_issued', as('staff'))).toEqual([]);
    expect(allowedActions('cross_township', 'letter_issued', as('to_secretary'))).toEqual(['receive', 'reject']);
    expect(checkTransition('cross_township', 'letter_issued', 'receive', as('to_staff'))).toMatchObject({ ok: true, transition: { to: 'completed' } });
    // 回执 of a letter to outside the county stays the sending committee's, and is no step of this kind.
    expect(checkTransition('cross_township', 'letter_issued', 'receipt', as('staff', 'to_staff'))).toEqual({ ok: false, problem: 'invalid_transition' });
    expect(checkTransition('out', 'letter_issued', 'receive', as('to_staff'))).toEqual({ ok: false, problem: 'invalid_transition' });
  });

  it('the applicant may withdraw until the letter is out', () => {
    expect(allowedActions('cross_township', 'pending_committee', as('applicant'))).toEqual(['withdraw']);
    expect(allowedActions('cross_township', 'letter_issued', as('applicant'))).toEqual([]);
  });

  it('letters: out and 县内跨镇转接 carry one; internal and in do not', () => {
    expect(issuesLetter('out')).toBe(true);
    expect(issuesLetter('cross_township')).toBe(true);
    expect(issuesLetter('internal')).toBe(false);
    expect(issuesLetter('in')).toBe(false);
  });

  it('waiting for staff: the transfer’s own committee, and the township it joins for receiving', () => {
    const staff = awaitingSteps('staff');
    expect(staff).toContainEqual({ kind: 'cross_township', state: 'pending_committee', side: 'home' });
    expect(staff).toContainEqual({ kind: 'cross_township', state: 'letter_issued', side: 'to_township' });
    expect(staff).not.toContainEqual({ kind: 'cross_township', state: 'letter_issued', side: 'home' });
    expect(awaitingSteps('secretary')).toContainEqual({ kind: 'cross_township', state: 'letter_issued', side: 'to' });
    expect(awaitingSteps('county')).toEqual([]);
  });
});

describe('the ledger: one letter, two townships', () => {
  const letter = { id: 1, appliedOn: '2026-12-30', letterYear: 2027, letterSequence: 3 };
  it('the issuing township lists it among its letters; the receiving one as not numbered by it, in the filing year', () => {
    expect(ledgerPlacementOf({ ...letter, letterOfAnotherTownship: false })).toEqual({ year: 2027, section: 'letters' });
    expect(ledgerPlacementOf({ ...letter, letterOfAnotherTownship: true })).toEqual({ year: 2026, section: 'unlettered' });
  });
  it('the county’s letters: township by township, each by its own numbers', () => {
    const rows = [
      { id: 1, appliedOn: '2026-01-02', letterYear: 2026, letterSequence: 2, letterTownshipId: 7 },
      { id: 2, appliedOn: '2026-01-03', letterYear: 2026, letterSequence: 1, letterTownshipId: 9 },
      { id: 3, appliedOn: '2026-01-04', letterYear: 2026, letterSequence: 1, letterTownshipId: 7 },
    ];
    expect(ledgerSectionsOf(rows, 2026).letters.map((r) => r.id)).toEqual([3, 1, 2]);
  });
  it('类型 says which way it went for whose ledger', () => {
    expect(ledgerKindLabel('cross_township', false)).toBe('县内跨镇转出');
    expect(ledgerKindLabel('cross_township', true)).toBe('县内跨镇转入');
    expect(ledgerKindLabel('out', false)).toBe('转出');
  });
});

describe('destinations for the filing form', () => {
  const tree: TreeOrganization[] = [
    { id: 1, parentId: null, name: '某县委组织部', kind: 'county' },
    { id: 2, parentId: 1, name: '红旗镇党委', kind: 'committee' },
    { id: 3, parentId: 2, name: '东村党支部', kind: 'branch' },
    { id: 4, parentId: 2, name: '西村党支部', kind: 'branch' },
    { id: 5, parentId: 1, name: '柳林乡党委', kind: 'committee' },
    { id: 6, parentId: 5, name: '南村党支部', kind: 'branch' },
    { id: 7, parentId: 1, name: '新开乡党委', kind: 'committee' },
  ];
  it('the township of a branch is the nearest committee above it', () => {
    expect(townshipInTree(tree, 6)?.name).toBe('柳林乡党委');
    expect(townshipInTree(tree, 1)).toBeNull();
  });
  it('own township’s other branches apart; other townships grouped, a township without branches left out', () => {
    expect(transferDestinations(tree, 3)).toEqual({
      sameTownship: [{ id: 4, name: '西村党支部' }],
      otherTownships: [{ townshipId: 5, townshipName: '柳林乡党委', branches: [{ id: 6, name: '南村党支部' }] }],
    });
  });
});
