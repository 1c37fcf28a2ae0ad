/** The transfer letter's rules: number, validity in capital numerals, expiry, 回执 due, overdue. */
import { addDays, addMonths, type IsoDate } from '../calendar.js';
import type { Settings } from '../settings.js';
import type { TransferScope, TransferState } from './machine.js';

// ---------------------------------------------------------------------------
// Letters

/** Validity in days: about 10 within the county, 30 outside it; never more than 3 months. */
export const MAX_VALIDITY_DAYS = 90;
export const DEFAULT_VALIDITY_DAYS: Record<TransferScope, number> = { in_county: 10, in_province: 30, out_of_province: 30 };

/** The township's default for a scope (settings `transferValidityDays`, bounded by shared/settings.ts to 1–90 days). */
export function defaultValidityDays(scope: TransferScope, settings: Pick<Settings, 'transferValidityDays'>): number {
  return settings.transferValidityDays[scope];
}

export function formatLetterNumber(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(4, '0')}`;
}

/** The letter is valid through `issuedOn + days`. */
export const letterExpiry = (issuedOn: IsoDate, validityDays: number): IsoDate => addDays(issuedOn, validityDays);

/**
 * The 回执 should come back within one month of the letter, or within the township's own number
 * of days (settings `receiptDueDays`) when it sets one.
 */
export const receiptDue = (issuedOn: IsoDate, days: number | null = null): IsoDate => (days == null ? addMonths(issuedOn, 1) : addDays(issuedOn, days));

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const UNITS = ['', '拾', '佰', '仟'] as const;

/**
 * Chinese capital numerals (大写数字) as written on paper letters and cheques:
 * 30 → 叁拾, 15 → 壹拾伍, 90 → 玖拾, 105 → 壹佰零伍. Whole numbers 0–9999.
 */
export function capitalNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new RangeError(`capitalNumeral: ${n} is outside 0–9999`);
  if (n === 0) return DIGITS[0];
  const digits = String(n).split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((d, i) => {
    const unit = UNITS[digits.length - 1 - i] as string;
    if (d === 0) {
      pendingZero = out.length > 0;
      return;
    }
    if (pendingZero) out += DIGITS[0];
    pendingZero = false;
    out += (DIGITS[d] as string) + unit;
  });
  return out;
}

export interface OverdueFacts {
  state: TransferState;
  letterExpiresOn: IsoDate | null;
  receiptDueOn: IsoDate | null;
  receiptReceivedOn: IsoDate | null;
}

export interface Overdue {
  /** The letter's validity ran out and no 回执 has come back. */
  letterExpired: boolean;
  /** More than one month since the letter without a 回执. */
  receiptOverdue: boolean;
}

export function overdueOf(t: OverdueFacts, today: IsoDate): Overdue {
  const waiting = t.state === 'letter_issued' && t.receiptReceivedOn == null;
  return {
    letterExpired: waiting && t.letterExpiresOn != null && today > t.letterExpiresOn,
    receiptOverdue: waiting && t.receiptDueOn != null && today > t.receiptDueOn,
  };
}

export function overdueLabel(o: Overdue): string | null {
  if (o.receiptOverdue) return '回执逾期';
  if (o.letterExpired) return '介绍信已过期';
  return null;
}
