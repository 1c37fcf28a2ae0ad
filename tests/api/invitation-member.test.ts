/**
 * An invitation may name the invited person's own roster entry (issue 17.2: the invited officer is linked to the
 * roster): redeeming links the account to it, so a secretary who joined by code has their own study, birthday and
 * data. Only that person's account may use such a code, one account per roster entry (the database settles it).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { sealIdNumber } from '../../db/pii.js';
import { accounts, members } from '../../db/schema/index.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { REDEEM_REFUSALS } from '../../shared/onboarding.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { branchesOf } from '../helpers/townships.js';

const key = () => ({ 'idempotency-key': `inv-member-${randomUUID()}` });

let seq = 0;
/** A roster entry no account uses yet (the officer-to-be, in the roster before they ever opened the app). */
async function rosterEntry(c: TestContext, branchId: number): Promise<{ id: number; name: string }> {
  const n = seq++;
  const birthDate = `1975-0${1 + (n % 9)}-${c.driver === 'neon' ? '12' : '11'}`;
  const [m] = await c.db
    .insert(members)
    .values({
      name: `受邀书记${n}`,
      gender: 'female',
      ethnicity: '汉族',
      birthDate,
      ...sealIdNumber(makeIdNumber(birthDate, 'female', 300 + n, '150102'), { encryptionKey: c.config.idEncryptionKey, hashKey: c.config.idHashKey }),
      phone: makePhone(7300 + n + (c.driver === 'neon' ? 50 : 0)),
      organizationId: branchId,
      category: 'full',
      joinedAt: '2001-07-01',
      confirmedAt: '2002-07-01',
    })
    .returning({ id: members.id, name: members.name });
  return m!;
}

describeEachDriver('invitations naming a roster entry', (ctx) => {
  let staff: string;
  let branchA: number;
  let otherBranchA: number;
  let branchB: number;
  beforeAll(async () => {
    staff = await ctx().login('staff');
    [branchA, otherBranchA] = (await branchesOf(ctx().db, 'A')) as [number, number];
    [branchB] = (await branchesOf(ctx().db, 'B')) as [number];
  });
  const invite = (body: unknown) => ctx().call('POST', '/api/invitations', { token: staff, body, headers: key() });
  const redeem = (token: string, code: string) => ctx().call('POST', '/api/invitations/redeem', { token, body: { code } });
  async function newcomer() {
    const res = await ctx().call<{ token: string; account: { id: number } }>('POST', '/api/auth/dev', { body: { role: 'applicant' } });
    return { token: res.body.token, id: res.body.account.id };
  }

  it('the newcomer who redeems a code naming a member becomes that branch’s secretary with that member’s own records', async () => {
    const person = await rosterEntry(ctx(), branchA);
    const issued = await invite({ role: 'secretary', organizationId: branchA, memberId: person.id });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.invitation.memberName).toBe(person.name);
    const listed = await ctx().call('GET', '/api/invitations', { token: staff });
    expect(listed.body.invitations.find((i: { id: number }) => i.id === issued.body.invitation.id).memberName).toBe(person.name);

    const n = await newcomer();
    const bound = await redeem(n.token, issued.body.code);
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    expect(bound.body.account).toMatchObject({ id: n.id, role: 'secretary' });
    const me = await ctx().call('GET', '/api/me', { token: bound.body.token });
    expect(me.body.member).toMatchObject({ id: person.id, name: person.name });
    expect((await ctx().call('GET', '/api/study/me', { token: bound.body.token })).status).toBe(200);
    const [row] = await ctx().db.select().from(accounts).where(eq(accounts.id, n.id));
    expect(row).toMatchObject({ role: 'secretary', organizationId: branchA, memberId: person.id });
  });

  it('only an active member of the invited organization, not yet using the app, can be named', async () => {
    const inOther = await rosterEntry(ctx(), otherBranchA);
    expect((await invite({ role: 'secretary', organizationId: branchA, memberId: inOther.id })).status).toBe(404);
    const inB = await rosterEntry(ctx(), branchB);
    expect((await invite({ role: 'secretary', organizationId: branchA, memberId: inB.id })).status).toBe(404);
    const [linked] = await ctx()
      .db.select({ id: members.id })
      .from(members)
      .innerJoin(accounts, eq(accounts.memberId, members.id))
      .where(and(eq(members.organizationId, branchA), eq(members.status, 'active')))
      .limit(1);
    const taken = await invite({ role: 'secretary', organizationId: branchA, memberId: linked!.id });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toContain('直接邀请');
  });

  it('another person’s account cannot use the code; a second code for the same member loses to the first', async () => {
    const person = await rosterEntry(ctx(), branchA);
    const first = await invite({ role: 'secretary', organizationId: branchA, memberId: person.id });
    const second = await invite({ role: 'secretary', organizationId: branchA, memberId: person.id });
    // A member's account (linked to someone else) is refused, and the code stays usable.
    const member = await ctx().login('member');
    const wrong = await redeem(member, first.body.code);
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toBe(REDEEM_REFUSALS.other_member);
    const a = await newcomer();
    expect((await redeem(a.token, first.body.code)).status).toBe(200);
    const b = await newcomer();
    const late = await redeem(b.token, second.body.code);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe(REDEEM_REFUSALS.member_taken);
    const rows = await ctx().db.select().from(accounts).where(inArray(accounts.id, [a.id, b.id])).orderBy(asc(accounts.id));
    expect(rows.map((r) => [r.role, r.memberId])).toEqual([
      ['secretary', person.id],
      ['applicant', null],
    ]);
  });
});
