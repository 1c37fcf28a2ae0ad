/** Valid-looking, fictitious ID numbers for demo and test data (GB 11643 check digit included). */
import { idCheckChar } from '../../shared/idcard.js';
import type { IsoDate } from '../../shared/calendar.js';

/** Region code of the fictitious demo township's county. */
const REGION = '410523';

export function makeIdNumber(birthDate: IsoDate, gender: 'male' | 'female', sequence: number, region = REGION): string {
  const order = String(sequence % 100).padStart(2, '0');
  const genderDigit = gender === 'male' ? (sequence % 5) * 2 + 1 : (sequence % 5) * 2;
  const first17 = `${region}${birthDate.replaceAll('-', '')}${order}${genderDigit}`;
  return first17 + idCheckChar(first17);
}

/** A valid mainland mobile number derived from a sequence. */
export function makePhone(sequence: number): string {
  const prefixes = ['138', '139', '151', '186', '177', '135', '158', '187'];
  return `${prefixes[sequence % prefixes.length]}${String(10_000_000 + ((sequence * 7_919) % 90_000_000)).slice(-8)}`;
}
