/**
 * Consent to the privacy guide before an ID number is collected (PIPL arts. 14, 28, 29): registration is
 * refused until the account agrees to the current version and, separately, to the ID number; agreeing and
 * withdrawing are audited; a new version asks again; nobody's consent stands for anyone else's.
 */
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { auditLog, organizations, privacyConsents, registrations } from '../../db/schema/index.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { PRIVACY_GUIDE_VERSION } from '../../shared/privacy.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { agreePrivacy } from '../helpers/privacy.js';
import { expectError } from '../helpers/expect-error.js';

let sequence = 700;
async function form(t: TestContext) {
  sequence += 1;
  const [branch] = await t.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.kind, 'branch')).orderBy(organizations.sortOrder).limit(1);
  const birthDate = `1984-05-0${(sequence % 9) + 1}`;
  return {
    name: `同意${sequence}`,
    gender: 'male',
    ethnicity: '汉族',
    birthDate,
    idNumber: makeIdNumber(birthDate, 'male', sequence, '110106'),
    phone: makePhone(sequence),
    organizationId: branch!.id,
    category: 'full',
    joinedAt: '2010-07-01',
    confirmedAt: '2011-07-01',
  };
}

async function applicant(t: TestContext): Promise<{ token: string; accountId: number }> {
  const token = await t.login('applicant');
  const me = await t.call('GET', '/api/me', { token });
  return { token, accountId: me.body.account.id as number };
}

const register = async (t: TestContext, token: string) => t.call('POST', '/api/registrations', { token, body: await form(t) });
const audits = (t: TestContext, accountId: number, action: string) =>
  t.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.actorAccountId, accountId)));
const registrationsOf = (t: TestContext, accountId: number) => t.db.select().from(registrations).where(eq(registrations.accountId, accountId));

describeEachDriver('privacy consent', (ctx) => {
  it('registration without consent is refused (403 consent_required, audited, nothing stored); with it, it passes', async () => {
    const t = ctx();
    const a = await applicant(t);
    const state = await t.call('GET', '/api/privacy/consent', { token: a.token });
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ version: PRIVACY_GUIDE_VERSION, agreed: [], agreedAt: null, coversIdNumber: false, outdated: false, history: [] });

    const refused = await register(t, a.token);
    expectError(refused, 403, 'consent_required');
    expect(refused.body.error.details).toEqual({ version: PRIVACY_GUIDE_VERSION });
    expect(await registrationsOf(t, a.accountId)).toHaveLength(0);
    const refusals = await audits(t, a.accountId, 'registration.refused');
    expect(refusals.map((r) => r.details)).toEqual([expect.objectContaining({ reason: 'consent_required' })]);

    const agreed = await t.call('POST', '/api/privacy/consent', { token: a.token, body: { version: PRIVACY_GUIDE_VERSION, guide: true, sensitive: true } });
    expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);
    expect(agreed.body).toMatchObject({ agreed: ['guide', 'sensitive'], coversIdNumber: true, agreedAt: expect.stringMatching(/^2026-06-15T/) });
    const created = await register(t, a.token);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await registrationsOf(t, a.accountId)).toHaveLength(1);
  });

  it('the guide alone is not the separate consent the ID number needs; the box is never assumed', async () => {
    const t = ctx();
    const a = await applicant(t);
    await agreePrivacy(t, a.token, false);
    const state = await t.call('GET', '/api/privacy/consent', { token: a.token });
    expect(state.body).toMatchObject({ agreed: ['guide'], coversIdNumber: false });
    expectError(await register(t, a.token), 403, 'consent_required');
    // Omitting the ID-number answer is no consent either: the body must say it.
    expectError(await t.call('POST', '/api/privacy/consent', { token: a.token, body: { version: PRIVACY_GUIDE_VERSION, guide: true } }), 400, 'validation_failed');
    expectError(await t.call('POST', '/api/privacy/consent', { token: a.token, body: { version: PRIVACY_GUIDE_VERSION, guide: false, sensitive: true } }), 400, 'validation_failed');
    await agreePrivacy(t, a.token, true);
    expect((await register(t, a.token)).status).toBe(201);
  });

  it('agreeing is audited once and stored once, however often it is sent', async () => {
    const t = ctx();
    const a = await applicant(t);
    for (let i = 0; i < 3; i++) await agreePrivacy(t, a.token);
    const rows = await t.db.select().from(privacyConsents).where(eq(privacyConsents.accountId, a.accountId));
    expect(rows.map((r) => [r.scope, r.version, r.withdrawnAt]).sort()).toEqual([
      ['guide', PRIVACY_GUIDE_VERSION, null],
      ['sensitive', PRIVACY_GUIDE_VERSION, null],
    ]);
    const agreed = await audits(t, a.accountId, 'privacy.agree');
    expect(agreed).toHaveLength(1);
    expect(agreed[0]).toMatchObject({ targetType: 'account', targetId: String(a.accountId), details: { version: PRIVACY_GUIDE_VERSION, scopes: ['guide', 'sensitive'] } });
  });

  it('a new version of the guide asks again: consent to an earlier one does not count, and agreeing to another text is refused', async () => {
    const t = ctx();
    const a = await applicant(t);
    // The account agreed before the guide changed (to the version before the current one).
    const earlier = PRIVACY_GUIDE_VERSION - 1;
    const before = new Date(t.clock.now().getTime() - 86_400_000);
    await t.db.insert(privacyConsents).values([
      { accountId: a.accountId, version: earlier, scope: 'guide', agreedAt: before },
      { accountId: a.accountId, version: earlier, scope: 'sensitive', agreedAt: before },
    ]);
    const state = await t.call('GET', '/api/privacy/consent', { token: a.token });
    expect(state.body).toMatchObject({ agreed: [], coversIdNumber: false, outdated: true });
    expect(state.body.history).toHaveLength(2);
    expectError(await register(t, a.token), 403, 'consent_required');
    // A page still showing a text other than the current one (here: a version the server does not have) is refused.
    const stale = await t.call('POST', '/api/privacy/consent', { token: a.token, body: { version: PRIVACY_GUIDE_VERSION + 1, guide: true, sensitive: true } });
    expectError(stale, 409, 'conflict');
    expect(stale.body.error.details).toEqual({ version: PRIVACY_GUIDE_VERSION });
    await agreePrivacy(t, a.token);
    expect((await t.call('GET', '/api/privacy/consent', { token: a.token })).body).toMatchObject({ coversIdNumber: true, outdated: false });
    expect((await register(t, a.token)).status).toBe(201);
  });

  it('withdrawing is recorded and audited, keeps the proof, and stops registration; the ID-number consent can go alone', async () => {
    const t = ctx();
    const a = await applicant(t);
    await agreePrivacy(t, a.token);
    t.clock.advance(5);
    const onlySensitive = await t.call('POST', '/api/privacy/consent/withdraw', { token: a.token, body: { scope: 'sensitive' } });
    expect(onlySensitive.status).toBe(200);
    expect(onlySensitive.body).toMatchObject({ agreed: ['guide'], coversIdNumber: false });
    expectError(await register(t, a.token), 403, 'consent_required');

    await agreePrivacy(t, a.token);
    const all = await t.call('POST', '/api/privacy/consent/withdraw', { token: a.token, body: {} });
    expect(all.body).toMatchObject({ agreed: [], agreedAt: null, coversIdNumber: false, outdated: false });
    // Nothing is deleted: three agreements, each with the moment it was withdrawn.
    expect(all.body.history).toHaveLength(3);
    expect(all.body.history.every((h: { agreedAt: string; withdrawnAt: string | null }) => h.withdrawnAt != null && h.withdrawnAt >= h.agreedAt)).toBe(true);
    const withdrawals = await audits(t, a.accountId, 'privacy.withdraw');
    expect(withdrawals.map((w) => w.details)).toEqual([
      { scopes: ['sensitive'], versions: [PRIVACY_GUIDE_VERSION] },
      expect.objectContaining({ versions: [PRIVACY_GUIDE_VERSION] }),
    ]);
    expect([...(withdrawals[1]!.details as { scopes: string[] }).scopes].sort()).toEqual(['guide', 'sensitive']);
    expectError(await register(t, a.token), 403, 'consent_required');
    // Withdrawing again changes nothing and records nothing.
    await t.call('POST', '/api/privacy/consent/withdraw', { token: a.token, body: {} });
    expect(await audits(t, a.accountId, 'privacy.withdraw')).toHaveLength(2);
  });

  it("forbidden paths: no token, another account's consent, an actor in the body", async () => {
    const t = ctx();
    for (const [method, path] of [
      ['GET', '/api/privacy/consent'],
      ['POST', '/api/privacy/consent'],
      ['POST', '/api/privacy/consent/withdraw'],
    ] as const) {
      expectError(await t.call(method, path, { body: method === 'POST' ? {} : undefined }), 401, 'unauthorized');
    }
    const a = await applicant(t);
    const b = await applicant(t);
    await agreePrivacy(t, a.token);
    // A's consent is A's: B is still asked, and B cannot agree in A's name.
    expectError(await register(t, b.token), 403, 'consent_required');
    expectError(
      await t.call('POST', '/api/privacy/consent', { token: b.token, body: { version: PRIVACY_GUIDE_VERSION, guide: true, sensitive: true, accountId: a.accountId } }),
      400,
      'validation_failed',
    );
    expectError(await t.call('POST', '/api/privacy/consent/withdraw', { token: b.token, body: { accountId: a.accountId } }), 400, 'validation_failed');
    expect((await t.call('GET', '/api/privacy/consent', { token: a.token })).body.coversIdNumber).toBe(true);
    expect((await t.call('GET', '/api/privacy/consent', { token: b.token })).body.coversIdNumber).toBe(false);
  });

  it('a roster import names its basis (the organization keeps the files): without it nothing is read', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const res = await t.call('POST', '/api/members/import', {
      token: staff,
      rawBody: new Uint8Array([80, 75, 3, 4]),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expectError(res, 400, 'validation_failed');
    expect(res.body.error.details).toMatchObject({ in: 'query', issues: [expect.objectContaining({ path: ['basis'], message: expect.stringContaining('导入依据') })] });
    const before = await t.db.select().from(auditLog).where(eq(auditLog.action, 'member.import'));
    expect(before).toHaveLength(0);
  });

  it('reading the consent is one statement; the registration check rides in the statement it ran anyway', async () => {
    const t = ctx();
    const a = await applicant(t);
    await agreePrivacy(t, a.token);
    const read = await statementCounter.measure(() => t.call('GET', '/api/privacy/consent', { token: a.token }));
    expect(read.result.status).toBe(200);
    expect(read.statements).toBe(1);
    const b = await applicant(t);
    const body = await form(t);
    const refused = await statementCounter.measure(() => t.call('POST', '/api/registrations', { token: b.token, body }));
    const c = await applicant(t);
    await agreePrivacy(t, c.token);
    const cBody = await form(t);
    const passed = await statementCounter.measure(() => t.call('POST', '/api/registrations', { token: c.token, body: cBody }));
    expect(passed.result.status).toBe(201);
    expectError(refused.result, 403, 'consent_required');
    // The refusal runs the same account statement as a pass (then the audit row after the rollback), no extra query.
    expect(refused.statements).toBeLessThan(passed.statements);
  });
});
