/**
 * 乡镇开通 without SQL (issue 17.2): county staff create a township and its
 * branches and invite its staff; township staff invite their secretaries; a
 * code binds the account that redeems it, once, before it expires, unless
 * revoked; each step audited; nobody invites outside their own scope.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { accounts, auditLog, invitations, organizations } from '../../db/schema/index.js';
import { REDEEM_LIMIT, REDEEM_REFUSALS } from '../../shared/onboarding.js';
import { describeEachDriver } from '../helpers/harness.js';
import { TEST_NOW } from '../helpers/constants.js';
import { branchesOf, townshipId } from '../helpers/townships.js';
import { ensureCounty, insertInvitation, randomInvitationCode } from '../../api/_domains/onboarding/store.js';
import { formatInvitationCode } from '../../shared/onboarding.js';

const key = () => ({ 'idempotency-key': `onb-${randomUUID()}` });
let seq = 0;

describeEachDriver('onboarding a township', (ctx, driver) => {
  const county = () => ctx().login('county');
  /** A newcomer signed in through the dev login (a fresh applicant account), with its id. */
  async function newcomer() {
    const res = await ctx().call<{ token: string; refreshToken: string; account: { id: number } }>('POST', '/api/auth/dev', { body: { role: 'applicant' } });
    return { token: res.body.token, refreshToken: res.body.refreshToken, id: res.body.account.id };
  }
  const redeem = (token: string, code: string) => ctx().call('POST', '/api/invitations/redeem', { token, body: { code } });
  async function newTownship(name = `测试${driver}${++seq}镇党委`) {
    const res = await ctx().call('POST', '/api/county/townships', { token: await county(), body: { name }, headers: key() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.township as { id: number; name: string };
  }
  async function inviteStaff(townshipIdValue: number) {
    const res = await ctx().call('POST', '/api/county/invitations', { token: await county(), body: { organizationId: townshipIdValue }, headers: key() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { code: string; qrImage: string; invitation: { id: number; state: string } };
  }
  const audits = (action: string) => ctx().db.select().from(auditLog).where(eq(auditLog.action, action));

  it('county staff create a township and its branches: paths follow the tree, names unique in their parent, retries create nothing twice', async () => {
    const token = await county();
    const name = `新建${driver}镇党委`;
    const headers = key();
    const first = await ctx().call('POST', '/api/county/townships', { token, body: { name }, headers });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const replay = await ctx().call('POST', '/api/county/townships', { token, body: { name }, headers });
    expect(replay.status).toBe(201);
    expect(replay.body.township.id).toBe(first.body.township.id);
    const twice = await ctx().call('POST', '/api/county/townships', { token, body: { name }, headers: key() });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('不能重复新建');

    const id = first.body.township.id as number;
    const [countyRow] = await ctx().db.select().from(organizations).where(eq(organizations.kind, 'county'));
    const [row] = await ctx().db.select().from(organizations).where(eq(organizations.id, id));
    expect(row).toMatchObject({ kind: 'committee', parentId: countyRow!.id, path: `${countyRow!.path}${id}/` });

    const added = await ctx().call('POST', `/api/county/townships/${id}/branches`, {
      token,
      body: { names: ['东村党支部', '西村党支部', '东村党支部', '镇机关党支部'] },
      headers: key(),
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.created).toEqual(['东村党支部', '西村党支部', '镇机关党支部']);
    expect(added.body.township.branches.map((b: { name: string }) => b.name)).toEqual(['东村党支部', '西村党支部', '镇机关党支部']);
    const again = await ctx().call('POST', `/api/county/townships/${id}/branches`, { token, body: { names: ['西村党支部', '南村党支部'] }, headers: key() });
    expect(again.body).toMatchObject({ created: ['南村党支部'], existing: ['西村党支部'] });
    const branches = await ctx().db.select().from(organizations).where(eq(organizations.parentId, id));
    expect(branches).toHaveLength(4);
    for (const b of branches) expect(b).toMatchObject({ kind: 'branch', path: `${row!.path}${b.id}/` });

    // Township A's branch may have the same name as one of another township: unique within the parent only.
    const other = await newTownship();
    const same = await ctx().call('POST', `/api/county/townships/${other.id}/branches`, { token, body: { names: ['东村党支部'] }, headers: key() });
    expect(same.body.created).toEqual(['东村党支部']);

    const list = await ctx().call('GET', '/api/county/townships', { token });
    expect(list.body.townships.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['红旗镇党委', '柳林乡党委', name]));
    expect((await audits('township.create')).some((a) => a.targetId === String(id))).toBe(true);
    expect((await audits('branches.create')).filter((a) => a.targetId === String(id))).toHaveLength(2);
  });

  it('an invitation binds the newcomer who redeems it as that township’s staff, who then invite a secretary; all audited', async () => {
    const twp = await newTownship();
    await ctx().call('POST', `/api/county/townships/${twp.id}/branches`, { token: await county(), body: { names: ['一村党支部'] }, headers: key() });
    const issued = await inviteStaff(twp.id);
    expect(issued.code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(issued.qrImage).toMatch(/^data:image\/png;base64,/);
    expect(issued.invitation.state).toBe('unused');
    // Never the plain code at rest.
    const [stored] = await ctx().db.select().from(invitations).where(eq(invitations.id, issued.invitation.id));
    expect(JSON.stringify(stored)).not.toContain(issued.code.replace('-', ''));
    expect(stored!.codeHash).toMatch(/^[0-9a-f]{64}$/);

    const person = await newcomer();
    const bound = await redeem(person.token, issued.code.toLowerCase().replace('-', ' '));
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    expect(bound.body.account).toMatchObject({ id: person.id, role: 'staff', organization: { id: twp.id, kind: 'committee' } });
    const staffToken = bound.body.token as string;
    const me = await ctx().call('GET', '/api/me', { token: staffToken });
    expect(me.body.account.role).toBe('staff');

    const list = await ctx().call('GET', '/api/invitations', { token: staffToken });
    expect(list.status).toBe(200);
    expect(list.body.invitations.map((i: { id: number; state: string }) => [i.id, i.state])).toEqual([[issued.invitation.id, 'used']]);

    const [branch] = await ctx().db.select().from(organizations).where(eq(organizations.parentId, twp.id));
    const sec = await ctx().call('POST', '/api/invitations', { token: staffToken, body: { role: 'secretary', organizationId: branch!.id }, headers: key() });
    expect(sec.status, JSON.stringify(sec.body)).toBe(201);
    const secretary = await newcomer();
    const asSecretary = await redeem(secretary.token, sec.body.code);
    expect(asSecretary.body.account).toMatchObject({ role: 'secretary', organization: { id: branch!.id } });

    expect((await audits('invitation.create')).map((a) => a.targetId)).toEqual(expect.arrayContaining([String(issued.invitation.id), String(sec.body.invitation.id)]));
    const redeemed = (await audits('invitation.redeem')).filter((a) => a.targetId === String(issued.invitation.id));
    expect(redeemed).toHaveLength(1);
    expect(redeemed[0]).toMatchObject({ actorAccountId: person.id, details: { role: 'staff', organizationId: twp.id } });
  });

  it('a retried invite answers the same code; a used, revoked, expired or unknown code is refused in plain Chinese', async () => {
    const twp = await newTownship();
    const token = await county();
    const headers = key();
    const one = await ctx().call('POST', '/api/county/invitations', { token, body: { organizationId: twp.id }, headers });
    const two = await ctx().call('POST', '/api/county/invitations', { token, body: { organizationId: twp.id }, headers });
    expect(two.body.code).toBe(one.body.code);
    expect(two.body.invitation.id).toBe(one.body.invitation.id);
    expect(await ctx().db.select().from(invitations).where(eq(invitations.organizationId, twp.id))).toHaveLength(1);

    const first = await newcomer();
    expect((await redeem(first.token, one.body.code)).status).toBe(200);
    // The same account again (its answer was lost): the old token is stale now (401), the client refreshes
    // it as after any change of role, and the repeated code answers its session again, nothing changes.
    expect((await redeem(first.token, one.body.code)).status).toBe(401);
    const refreshed = await ctx().call('POST', '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    const retried = await redeem(refreshed.body.token, one.body.code);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.account).toMatchObject({ id: first.id, role: 'staff', organization: { id: twp.id } });
    const late = await newcomer();
    const used = await redeem(late.token, one.body.code);
    expect(used.status).toBe(409);
    expect(used.body.error).toMatchObject({ code: 'conflict', message: REDEEM_REFUSALS.used });

    const revocable = await inviteStaff(twp.id);
    const revoked = await ctx().call('POST', `/api/county/invitations/${revocable.invitation.id}/revoke`, { token, body: {}, headers: key() });
    expect(revoked.body.invitation.state).toBe('revoked');
    expect((await redeem(late.token, revocable.code)).body.error.message).toBe(REDEEM_REFUSALS.revoked);
    const revokeAgain = await ctx().call('POST', `/api/county/invitations/${revocable.invitation.id}/revoke`, { token, body: {}, headers: key() });
    expect(revokeAgain.status).toBe(409);

    const expiring = await inviteStaff(twp.id);
    try {
      ctx().clock.advance(7 * 24 * 60 + 1);
      const expired = await redeem((await newcomer()).token, expiring.code);
      expect(expired.body.error.message).toBe(REDEEM_REFUSALS.expired);
      const listed = await ctx().call('GET', '/api/invitations', { token: await county() });
      expect(listed.body.invitations.find((i: { id: number }) => i.id === expiring.invitation.id).state).toBe('expired');
    } finally {
      ctx().clock.set(new Date(TEST_NOW));
    }
    const unknown = await redeem(late.token, 'ABCDE-FGHJK');
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toBe(REDEEM_REFUSALS.unknown);
    expect((await ctx().db.select().from(accounts).where(eq(accounts.id, late.id)))[0]!.role).toBe('applicant');

    // An officer keeps their post: the code stays unused for its real owner.
    const spare = await inviteStaff(twp.id);
    const officer = await redeem(await ctx().login('secretary'), spare.code);
    expect(officer.body.error.message).toBe(REDEEM_REFUSALS.officer);
    expect((await redeem(late.token, spare.code)).status).toBe(200);

    const refused = await ctx().db.select().from(auditLog).where(eq(auditLog.action, 'invitation.redeem_refused'));
    expect(refused.map((a) => (a.details as { reason: string }).reason)).toEqual(expect.arrayContaining(['used', 'revoked', 'expired', 'unknown', 'officer']));
  });

  it('nobody invites or builds outside their scope: township staff, secretaries and members are refused', async () => {
    const staffA = await ctx().login('staff');
    const [branchB] = await branchesOf(ctx().db, 'B');
    const [branchA] = await branchesOf(ctx().db, 'A');
    const twpA = await townshipId(ctx().db, 'A');
    const twpB = await townshipId(ctx().db, 'B');
    const post = (path: string, token: string, body: unknown) => ctx().call('POST', path, { token, body, headers: key() });

    expect((await post('/api/county/townships', staffA, { name: '越权镇党委' })).status).toBe(403);
    expect((await post(`/api/county/townships/${twpA}/branches`, staffA, { names: ['越权党支部'] })).status).toBe(403);
    expect((await post('/api/county/invitations', staffA, { organizationId: twpA })).status).toBe(403);
    expect((await post('/api/invitations', staffA, { role: 'secretary', organizationId: branchB! })).status).toBe(404);
    expect((await post('/api/invitations', staffA, { role: 'staff', organizationId: twpB })).status).toBe(404);
    // A secretary's code binds to a branch, a staff code to the township itself.
    expect((await post('/api/invitations', staffA, { role: 'secretary', organizationId: twpA })).status).toBe(404);
    expect((await post('/api/invitations', await ctx().login('secretary'), { role: 'secretary', organizationId: branchA! })).status).toBe(403);
    expect((await post('/api/invitations', await ctx().login('member'), { role: 'secretary', organizationId: branchA! })).status).toBe(403);
    // County staff invite townships' staff on their own route; the township route is the township's.
    expect((await post('/api/invitations', await county(), { role: 'secretary', organizationId: branchA! })).status).toBe(403);
    expect((await post('/api/county/invitations', await county(), { organizationId: branchA! })).status).toBe(404);

    const mine = await post('/api/invitations', staffA, { role: 'secretary', organizationId: branchA! });
    expect(mine.status).toBe(201);
    const [staffBAccount] = await ctx().db.select().from(accounts).where(and(eq(accounts.role, 'staff'), eq(accounts.organizationId, twpB)));
    const staffB = await ctx().login('staff', staffBAccount!.id);
    expect((await post(`/api/invitations/${mine.body.invitation.id}/revoke`, staffB, {})).status).toBe(404);
    const seenByB = await ctx().call('GET', '/api/invitations', { token: staffB });
    expect(seenByB.body.invitations.map((i: { id: number }) => i.id)).not.toContain(mine.body.invitation.id);
    const seenByCounty = await ctx().call('GET', '/api/invitations', { token: await county() });
    expect(seenByCounty.body.invitations.map((i: { id: number }) => i.id)).toContain(mine.body.invitation.id);
    const own = await post(`/api/invitations/${mine.body.invitation.id}/revoke`, staffA, {});
    expect(own.body.invitation.state).toBe('revoked');
    expect((await audits('invitation.revoke')).some((a) => a.targetId === String(mine.body.invitation.id))).toBe(true);
  });

  it(`redeeming is limited per account (${REDEEM_LIMIT} tries in ten minutes)`, async () => {
    const person = await newcomer();
    const statuses: number[] = [];
    for (let i = 0; i <= REDEEM_LIMIT; i++) statuses.push((await redeem(person.token, 'ZZZZZ-ZZZZZ')).status);
    expect(statuses.slice(0, REDEEM_LIMIT).every((s) => s === 422)).toBe(true);
    expect(statuses[REDEEM_LIMIT]).toBe(429);
  });

  it('county:init on a deployment that has its county creates no second one; its code makes a county account', async () => {
    const before = await ctx().db.select().from(organizations).where(eq(organizations.kind, 'county'));
    const again = await ensureCounty(ctx().db, '另一个县委组织部');
    expect(again).toMatchObject({ id: before[0]!.id, created: false });
    expect(await ctx().db.select().from(organizations).where(eq(organizations.kind, 'county'))).toHaveLength(1);
    const code = randomInvitationCode();
    await insertInvitation(ctx().db, { code, role: 'county', organizationId: again!.id, createdByAccountId: null, now: ctx().clock.now() });
    const person = await newcomer();
    const bound = await redeem(person.token, formatInvitationCode(code));
    expect(bound.body.account).toMatchObject({ role: 'county', organization: { id: again!.id, kind: 'county' } });
  });

  it.runIf(driver === 'neon')('one code, twenty newcomers redeeming at once: exactly one account is bound', async () => {
    const twp = await newTownship();
    const issued = await inviteStaff(twp.id);
    const people = await Promise.all(Array.from({ length: 20 }, () => newcomer()));
    const answers = await Promise.all(people.map((p) => redeem(p.token, issued.code)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
    const bound = await ctx().db.select().from(accounts).where(and(inArray(accounts.id, people.map((p) => p.id)), eq(accounts.role, 'staff')));
    expect(bound).toHaveLength(1);
    expect(bound[0]!.organizationId).toBe(twp.id);
  });
});
