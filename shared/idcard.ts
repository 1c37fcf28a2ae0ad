/**
 * Resident identity card numbers (GB 11643-1999): 17 digits and an ISO 7064
 * MOD 11-2 check character. Pure functions; the server encrypts the number
 * before it reaches the database and only ever returns the masked form.
 */
import { formatIsoDate, parseIsoDate, type IsoDate } from './calendar.js';
import type { Gender } from './common.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

export function normalizeIdNumber(value: string): string {
  return value.trim().toUpperCase();
}

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

export type IdNumberProblem = 'format' | 'checksum' | 'birthdate';

export interface IdNumberInfo {
  birthDate: IsoDate;
  gender: Gender;
}

/** Validates shape, check character and the encoded birth date. */
export function checkIdNumber(raw: string): { ok: true; info: IdNumberInfo } | { ok: false; problem: IdNumberProblem } {
  const id = normalizeIdNumber(raw);
  if (!SHAPE.test(id)) return { ok: false, problem: 'format' };
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'checksum' };
  const parts = parseIsoDate(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
  if (!parts) return { ok: false, problem: 'birthdate' };
  const genderDigit = Number(id[16]);
  return { ok: true, info: { birthDate: formatIsoDate(parts), gender: genderDigit % 2 === 1 ? 'male' : 'female' } };
}

export const ID_PROBLEM_MESSAGES: Record<IdNumberProblem, string> = {
  format: '身份证号应为18位，最后一位可以是X',
  checksum: '身份证号校验位不正确，请核对',
  birthdate: '身份证号中的出生日期无效',
};

/**
 * How an ID number is shown to anyone who is not allowed the whole of it (the
 * member themselves, secretaries, staff before an audited reveal): the first 4
 * characters (province and city) and the check character, the rest hidden —
 * `1101*************X`. The hidden part includes the birth date and the three
 * sequence digits, and officers see the birth year and month only
 * (`disclosedIdentity`), so what they can read leaves at least
 * 28 days × 100 × 5 (gender) ÷ 11 (check character) ≈ 1,270 numbers possible
 * even to someone who knows the county code (tests/api/id-derivation.test.ts).
 * Applied to an already masked value it gives the same form again, so stored
 * masks of an older, wider form are narrowed by the same function.
 */
export function maskIdNumber(raw: string): string {
  const id = normalizeIdNumber(raw);
  if (id.length <= 5) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 5)}${id.slice(-1)}`;
}

/** What a reader who may not see the whole number is shown of a person's identity: the masked number and the birth month. */
export interface DisclosedIdentity {
  idNumberMasked: string;
  /** `YYYY-MM` (出生年月): never the day, which would narrow the hidden digits to a few hundred numbers. */
  birthMonth: string;
}

/** The one place that decides what of an ID number and a birth date leaves the server for display. */
export function disclosedIdentity(stored: { idMasked: string; birthDate?: string | null }): DisclosedIdentity {
  return { idNumberMasked: maskIdNumber(stored.idMasked), birthMonth: (stored.birthDate ?? '').slice(0, 7) };
}
