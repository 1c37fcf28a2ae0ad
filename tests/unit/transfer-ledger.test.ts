import { describe, expect, it } from 'vitest';
import { ledgerPlacementOf, ledgerSectionsOf } from '../../shared/transfer-ledger.js';

describe('the ledger follows the letter', () => {
  it('a letter belongs to the year of its number, not of filing (2028-12-30 → 2029-0001)', () => {
    expect(ledgerPlacementOf({ id: 1, appliedOn: '2028-12-30', letterYear: 2029, letterSequence: 1 })).toEqual({ year: 2029, section: 'letters' });
  });
  it('without a letter: the filing year, own section (31 December and 1 January on their own sides)', () => {
    expect(ledgerPlacementOf({ id: 1, appliedOn: '2028-12-31', letterYear: null, letterSequence: null })).toEqual({ year: 2028, section: 'unlettered' });
    expect(ledgerPlacementOf({ id: 2, appliedOn: '2029-01-01', letterYear: null, letterSequence: null })).toEqual({ year: 2029, section: 'unlettered' });
  });
  it("a year's sections: letters by number, the rest by filing date; other years left out", () => {
    const rows = [
      { id: 1, appliedOn: '2028-12-30', letterYear: 2029, letterSequence: 2 },
      { id: 2, appliedOn: '2029-01-05', letterYear: 2029, letterSequence: 1 },
      { id: 3, appliedOn: '2029-03-01', letterYear: null, letterSequence: null },
      { id: 4, appliedOn: '2029-02-01', letterYear: null, letterSequence: null },
      { id: 5, appliedOn: '2028-12-30', letterYear: null, letterSequence: null },
      { id: 6, appliedOn: '2029-12-31', letterYear: 2030, letterSequence: 1 },
    ];
    const s = ledgerSectionsOf(rows, 2029);
    expect(s.letters.map((r) => r.id)).toEqual([2, 1]);
    expect(s.unlettered.map((r) => r.id)).toEqual([4, 3]);
  });
});
