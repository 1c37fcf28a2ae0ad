/**
 * Settings are per township: the demo's township B keeps a quarter window for political birthdays, township A
 * (and the county default) a month. A member admitted in April signs in in June (the same quarter) in B, and
 * is told the window is closed in A.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDriver } from '../helpers/harness.js';
import { aprilMember } from '../helpers/new-member.js';
import { branchesOf } from '../helpers/townships.js';

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
