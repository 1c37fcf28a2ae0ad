/**
 * 台账跟着介绍信走: the yearly ledger of organization-relationship transfers.
 *
 * - A transfer whose letter (介绍信) has been issued belongs to the year of the
 *   letter number: filed on 2028-12-30, lettered 2029-0001, it is in the 2029
 *   ledger, so each year's numbering runs 0001, 0002, … without a gap.
 * - A transfer with no letter of ours (not yet approved, refused, withdrawn; a
 *   转入 or a 镇内转接, which carry none) is listed under the year it was filed,
 *   in its own section.
 * - Letter numbers run per issuing township and year. A 县内跨镇转接 carries the
 *   letter of the township it leaves: in that township's ledger it is one of its
 *   letters; in the ledger of the township it joins it is a transfer in, listed
 *   with the transfers that township did not number (the letter's number shown).
 *   The county's ledger holds every township's letters, township by township.
 *
 * The list filter (`ledgerYearSql` in api/_domains/transfers/access.ts) is the
 * same rule written as SQL; tests hold the two together.
 */
import { z } from 'zod';
import type { IsoDate } from './calendar.js';
import { TRANSFER_KIND_LABELS, type TransferKind } from './transfers/machine.js';

export const ledgerSections = ['letters', 'unlettered'] as const;
export type LedgerSection = (typeof ledgerSections)[number];
export const LEDGER_SECTION_LABELS: Record<LedgerSection, string> = {
  letters: '已开具介绍信',
  unlettered: '未开具介绍信、转入及镇内转接',
};

/** The 类型 column: a 县内跨镇转接 reads as a transfer out or in, depending on whose ledger it is in. */
export function ledgerKindLabel(kind: TransferKind, letterOfAnotherTownship: boolean): string {
  if (kind !== 'cross_township') return TRANSFER_KIND_LABELS[kind];
  return letterOfAnotherTownship ? '县内跨镇转入' : '县内跨镇转出';
}

export interface LedgerFacts {
  id: number;
  appliedOn: IsoDate;
  /** The year part of the letter number; null while no letter has been issued. */
  letterYear: number | null;
  letterSequence: number | null;
  /** The viewer only receives this transfer: the letter is another township's (a 县内跨镇转接 seen by the township it joins). */
  letterOfAnotherTownship?: boolean;
  /** The township that issued the letter (numbers run per township): orders the county's ledger. */
  letterTownshipId?: number | null;
}

export const ledgerPlacement = z.object({ year: z.number().int(), section: z.enum(ledgerSections) });
export type LedgerPlacement = z.infer<typeof ledgerPlacement>;

/** The ledger year and section of one transfer. */
export function ledgerPlacementOf(t: LedgerFacts): LedgerPlacement {
  if (t.letterYear != null && t.letterSequence != null && !t.letterOfAnotherTownship) return { year: t.letterYear, section: 'letters' };
  return { year: Number(t.appliedOn.slice(0, 4)), section: 'unlettered' };
}

/** A year's ledger in its two sections: letters by township and number, the rest by filing date. Rows of other years are left out. */
export function ledgerSectionsOf<T extends LedgerFacts>(rows: readonly T[], year: number): Record<LedgerSection, T[]> {
  const out: Record<LedgerSection, T[]> = { letters: [], unlettered: [] };
  for (const r of rows) {
    const place = ledgerPlacementOf(r);
    if (place.year === year) out[place.section].push(r);
  }
  out.letters.sort((a, b) => (a.letterTownshipId ?? 0) - (b.letterTownshipId ?? 0) || (a.letterSequence ?? 0) - (b.letterSequence ?? 0));
  out.unlettered.sort((a, b) => (a.appliedOn < b.appliedOn ? -1 : a.appliedOn > b.appliedOn ? 1 : a.id - b.id));
  return out;
}
