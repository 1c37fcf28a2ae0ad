/**
 * Settings are per township: the demo's township B keeps a quarter window for political birthdays, township A
 * (and the county default) a month. A member admitted in April signs in in June (the same quarter) in B, and
 * is told the window is closed in A.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { sealIdNumber } from '../../db/pii.js';
import { accounts, members } from '../../db/schema/index.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { genders, memberCategories } from '../../shared/common.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { branchesOf } from '../helpers/townships.js';

let seq = 0;
async function aprilMember(c: TestContext, branchId: number): Promise<string> {
  const n = seq++;
  const birthDate = `1980-0${(n % 9) + 1}-1${c.driver === 'neon' ? 5 : 4}`;
  const [m] = await c.db
    .insert(members)
    .values({
      name: `四月入党${n}`,
      gender: genders[0],
      ethnicity: '汉族',
      birthDate,
      ...sealIdNumber(makeIdNumber(birthDate, genders[0], 60 + n, '410529'), { encryptionKey: c.config.idEncryptionKey, hashKey: c.config.idHashKey }),
      phone: makePhone(7000 + n),
      organizationId: branchId,
      category: memberCategories[0],
      joinedAt: '2010-04-10',
      confirmedAt: '2011-04-10',
    })
    .returning();
  const [a] = await c.db.insert(accounts).values({ openid: `settings-${randomUUID()}`, role: 'member', memberId: m!.id, displayName: m!.name, isDemo: 1 }).returning();
  return c.login('member', a!.id);
}

describeEachDriver('county tenancy: per-township settings', (ctx) => {
  it('a quarter window (township B) opens a birthday sign-in in the quarter; a month window (township A) does not', async () => {
    const c = ctx();
    const inB = await aprilMember(c, (await branchesOf(c.db, 'B'))[0]!);
    const inA = await aprilMember(c, (await branchesOf(c.db, 'A'))[0]!);
    const signIn = (token: string) =>
      c.call('POST', '/api/birthdays/sign-in', { token, body: { oathConfirmed: true }, headers: { 'idempotency-key': `settings-${randomUUID()}` } });
    const b = await signIn(inB);
    expect(b.status, JSON.stringify(b.body)).toBeLessThan(300);
    const a = await signIn(inA);
    expect(a.status).toBe(409);
  });
});
