import { sealIdNumber } from '../../db/pii.js';
import { members } from '../../db/schema/index.js';
import { idCheckChar } from '../../shared/idcard.js';
import type { TestContext } from './harness.js';

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

/**
 * 张建国 on a branch's roster under one of the alike ID numbers (born on their default 1984-10-20), as an import
 * leaves him: the person the oracle suites look for behind a registration or a 转入. `transferred_out` for a
 * former member who left the township.
 */
export async function rosterHolder(t: TestContext, idNumber: string, organizationId: number, status: 'active' | 'transferred_out' = 'active'): Promise<number> {
  const [m] = await t.db
    .insert(members)
    .values({
      name: '张建国',
      gender: 'male',
      birthDate: '1984-10-20',
      ...sealIdNumber(idNumber, { encryptionKey: t.config.idEncryptionKey, hashKey: t.config.idHashKey }),
      phone: '13912349999',
      organizationId,
      category: 'full',
      joinedAt: '2008-07-01',
      confirmedAt: '2009-07-01',
      status,
    })
    .returning();
  return m!.id;
}
