import { idCheckChar } from '../../shared/idcard.js';

/**
 * Valid ID numbers that differ only in their hidden sequence digits: the same
 * region, birth date, gender (男: odd 17th digit) and check character, so every
 * masked or derived form of them (first 4 + check, 出生年月, gender) is alike.
 */
export function alikeIdNumbers(n: number, birth = '1984-10-20', check = '7'): string[] {
  const out: string[] = [];
  for (let seq = 0; seq < 1000 && out.length < n; seq++) {
    if (seq % 2 === 0) continue;
    const first17 = `110105${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
    if (idCheckChar(first17) === check) out.push(first17 + check);
  }
  return out;
}
