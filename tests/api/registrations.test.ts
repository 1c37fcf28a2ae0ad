import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { sealIdNumber } from '../../db/pii.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { accounts, auditLog, members, organizations } from '../../db/schema/index.js';
import { applicantRegistration, REGISTRATIONS_PER_DAY } from '../../shared/registrations.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { TEST_NOW } from '../helpers/constants.js';
import { consentingApplicant } from '../helpers/privacy.js';
import { expectError } from '../helpers/expect-error.js';
import { secretaryToken } from '../helpers/townships.js';

let sequence = 500;
/** A valid, unused ID number and a matching form. */
function form(branchId: number, overrides: Record<string, unknown> = {}) {
  sequence += 1;
  const birthDate = '1985-03-0' + ((sequence % 9) + 1);
  const gender = sequence % 2 ? 'male' : 'female';
  return {
    name: `测试${sequence}`,
    gender,
    ethnicity: '汉族',
    birthDate,
    idNumber: makeIdNumber(birthDate, gender, sequence, '110105'),
    phone: makePhone(sequence),
    organizationId: branchId,
    category: 'full',
    joinedAt: '2010-07-01',
    confirmedAt: '2011-07-01',
    ...overrides,
  };
}

async function branches(t: TestContext) {
  const rows = await t.db.select().from(organizations).where(eq(organizations.kind, 'branch')).orderBy(organizations.sortOrder);
  return rows.map((r) => r.id);
}

describeEachDriver('registrations', (ctx) => {
  it('registration → pending → approval by the branch secretary → member role, audited', async () => {
    const t = ctx();
    const [east, west] = await branches(t);
    const applicant = await consentingApplicant(t);
    // An applicant has no member pages yet.
    expectError(await t.call('GET', '/api/members', { token: applicant }), 403, 'forbidden');

    const body = form(east!);
    const created = await t.call('POST', '/api/registrations', { token: applicant, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', organizationId: east });
    // Nothing about the roster or conflicts in the applicant's answer.
    expect(Object.keys(created.body).sort()).toEqual(Object.keys(applicantRegistration.shape).sort());
    expect(created.body.idNumberMasked).toBe(`${body.idNumber.slice(0, 4)}${'*'.repeat(13)}${body.idNumber.slice(-1)}`);
    expect(JSON.stringify(created.body)).not.toContain(body.idNumber);
    const id = created.body.id as number;

    const mine = await t.call('GET', '/api/registrations/mine', { token: applicant });
    expect(mine.body.registration).toMatchObject({ id, status: 'pending' });

    // Another branch's secretary neither sees nor decides it.
    const otherSecretary = await secretaryToken(t, west!);
    const otherList = await t.call('GET', '/api/registrations', { token: otherSecretary });
    expect(otherList.status).toBe(200);
    expect(otherList.body.items.map((r: { id: number }) => r.id)).not.toContain(id);
    expectError(await t.call('POST', `/api/registrations/${id}/approve`, { token: otherSecretary }), 404, 'not_found');
    expectError(await t.call('POST', `/api/registrations/${id}/reject`, { token: otherSecretary, body: { reason: '不是本支部' } }), 404, 'not_found');
    // A member cannot review at all.
    expectError(await t.call('GET', '/api/registrations', { token: await t.login('member') }), 403, 'forbidden');

    const secretary = await secretaryToken(t, east!);
    const list = await t.call('GET', '/api/registrations', { token: secretary, query: { status: 'pending' } });
    expect(list.body.items.map((r: { id: number }) => r.id)).toContain(id);

    const approved = await t.call('POST', `/api/registrations/${id}/approve`, { token: secretary });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', memberId: expect.any(Number) });
    expectError(await t.call('POST', `/api/registrations/${id}/approve`, { token: secretary }), 409, 'invalid_transition');

    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'registration.approve'), eq(auditLog.targetId, String(id))));
    expect(audit).toBeDefined();

    // The old token still says applicant; /api/me hands out a fresh one with the member role.
    const me = await t.call('GET', '/api/me', { token: applicant });
    expect(me.body.account).toMatchObject({ role: 'member', memberId: approved.body.memberId });
    // Named after the approved record everywhere (transfer timelines, the data export), not 新用户.
    expect(me.body.account.displayName).toBe(body.name);
    const [named] = await t.db.select({ displayName: accounts.displayName }).from(accounts).where(eq(accounts.memberId, approved.body.memberId));
    expect(named?.displayName).toBe(body.name);
    expect(me.body.member).toMatchObject({ name: body.name, organizationId: east, partyStandingYears: 14 });
    const fresh = me.body.session.token as string;
    const self = await t.call('GET', `/api/members/${approved.body.memberId}`, { token: fresh });
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ name: body.name, phone: body.phone });
    // Registering again after approval is refused.
    expectError(await t.call('POST', '/api/registrations', { token: fresh, body: form(east!) }), 409, 'conflict');
  });

  it('rejection with a reason the applicant sees; they may correct and apply again', async () => {
    const t = ctx();
    const [east] = await branches(t);
    const applicant = await consentingApplicant(t);
    const body = form(east!);
    const created = await t.call('POST', '/api/registrations', { token: applicant, body });
    const staff = await t.login('staff');
    expectError(await t.call('POST', `/api/registrations/${created.body.id}/reject`, { token: staff, body: { reason: '' } }), 400, 'validation_failed');
    const rejected = await t.call('POST', `/api/registrations/${created.body.id}/reject`, {
      token: staff,
      body: { reason: '入党日期与档案不符，请核对后重新提交' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: '入党日期与档案不符，请核对后重新提交' });
    const mine = await t.call('GET', '/api/registrations/mine', { token: applicant });
    expect(mine.body.registration).toMatchObject({ status: 'rejected', rejectReason: '入党日期与档案不符，请核对后重新提交' });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'registration.reject'), eq(auditLog.targetId, String(created.body.id))));
    expect(audit?.details).toMatchObject({ reason: '入党日期与档案不符，请核对后重新提交' });
    // Still an applicant.
    const me = await t.call('GET', '/api/me', { token: applicant });
    expect(me.body.account.role).toBe('applicant');
    const again = await t.call('POST', '/api/registrations', { token: applicant, body: { ...body, joinedAt: '2010-06-01', confirmedAt: '2011-06-01' } });
    expect(again.status).toBe(201);
  });

  it('one pending registration per account (409) and a few a day (429); each refusal is audited', async () => {
    const t = ctx();
    const [east] = await branches(t);
    const token = await consentingApplicant(t);
    const accountId = (await t.call('GET', '/api/me', { token })).body.account.id as number;
    const refusals = async () =>
      (await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'registration.refused'), eq(auditLog.targetId, String(accountId))))).map(
        (r) => (r.details as { reason: string }).reason,
      );
    const first = await t.call('POST', '/api/registrations', { token, body: form(east!) });
    expect(first.status).toBe(201);
    expectError(await t.call('POST', '/api/registrations', { token, body: form(east!) }), 409, 'conflict');
    expect(await refusals()).toEqual(['pending']);
    // Rejected twice more, the account has used its submissions for today.
    const staff = await t.login('staff');
    let last = first;
    for (let i = 1; i < REGISTRATIONS_PER_DAY; i++) {
      expect((await t.call('POST', `/api/registrations/${last.body.id}/reject`, { token: staff, body: { reason: '信息有误，请核对' } })).status).toBe(200);
      last = await t.call('POST', '/api/registrations', { token, body: form(east!) });
      expect(last.status).toBe(201);
    }
    await t.call('POST', `/api/registrations/${last.body.id}/reject`, { token: staff, body: { reason: '信息有误，请核对' } });
    // The test clock runs with real time: put it back on 10:00 sharp, so the seconds left in the day are exact.
    t.clock.set(new Date(TEST_NOW));
    const limited = await t.call('POST', '/api/registrations', { token, body: form(east!) });
    expectError(limited, 429, 'rate_limited');
    expect(limited.headers.get('retry-after')).toBe(String(14 * 3600)); // TEST_NOW is 10:00 in Shanghai
    expect(await refusals()).toEqual(['pending', 'daily_limit']);
    // The next day (Asia/Shanghai) the account may apply again.
    t.clock.advance(24 * 60);
    try {
      expect((await t.call('POST', '/api/registrations', { token, body: form(east!) })).status).toBe(201);
    } finally {
      t.clock.advance(-24 * 60);
    }
    // The audit rows name no ID number.
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'registration.refused'));
    expect(JSON.stringify(rows)).not.toMatch(/\d{17}[\dX]/);
  });

  it('an ID number on the imported roster links to that record instead of creating a second one', async () => {
    const t = ctx();
    const [east, , river] = await branches(t);
    const idNumber = makeIdNumber('1960-05-05', 'female', 77, '110105');
    const [imported] = await t.db
      .insert(members)
      .values({
        name: '周桂兰',
        gender: 'female',
        birthDate: '1960-05-05',
        ...sealIdNumber(idNumber, { encryptionKey: t.config.idEncryptionKey, hashKey: t.config.idHashKey }),
        phone: '13900001111',
        organizationId: river!,
        category: 'full',
        joinedAt: '1985-07-01',
        confirmedAt: '1986-07-01',
      })
      .returning();
    const applicant = await consentingApplicant(t);
    // She picked the wrong branch: the branch that keeps her record reviews her.
    const created = await t.call('POST', '/api/registrations', {
      token: applicant,
      body: form(east!, { name: '周桂兰', idNumber, birthDate: '1960-05-05', gender: 'female', joinedAt: '1985-07-01', confirmedAt: '1986-07-01' }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // She is shown the branch she chose; the match is for the reviewer.
    expect(created.body).toMatchObject({ organizationId: east });
    expect(created.body).not.toHaveProperty('matchesRosterMember');
    const secretary = await secretaryToken(t, river!);
    const list = await t.call('GET', '/api/registrations', { token: secretary });
    expect(list.body.items.find((r: { id: number }) => r.id === created.body.id)).toMatchObject({
      rosterMemberName: '周桂兰',
      matchesRosterMember: true,
      organizationId: river,
      requestedOrganizationId: east,
      conflicts: [],
    });
    const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(members);
    const approved = await t.call('POST', `/api/registrations/${created.body.id}/approve`, { token: secretary });
    expect(approved.body).toMatchObject({ status: 'approved', memberId: imported!.id });
    const after = await t.db.select({ n: sql<number>`count(*)::int` }).from(members);
    expect(after[0]!.n).toBe(before[0]!.n);
    const [account] = await t.db.select().from(accounts).where(eq(accounts.memberId, imported!.id));
    expect(account?.role).toBe('member');
  });

  it('validates with the shared rules: check digit, ID vs birth date and gender, age 18, dates, 正式/预备, today', async () => {
    const t = ctx();
    const [east] = await branches(t);
    const token = await consentingApplicant(t);
    const bad = async (overrides: Record<string, unknown>, field: string) => {
      const res = await t.call('POST', '/api/registrations', { token, body: form(east!, overrides) });
      expectError(res, 400, 'validation_failed');
      const paths = (res.body.error.details.issues as { path: string[] }[]).map((i) => i.path[0]);
      expect(paths, JSON.stringify(res.body)).toContain(field);
    };
    const good = form(east!);
    await bad({ idNumber: good.idNumber.slice(0, 17) + (good.idNumber.endsWith('1') ? '2' : '1') }, 'idNumber');
    await bad({ idNumber: good.idNumber, birthDate: '1985-04-01' }, 'idNumber');
    await bad({ idNumber: good.idNumber, birthDate: good.birthDate, gender: good.gender === 'male' ? 'female' : 'male' }, 'gender');
    await bad({ joinedAt: '2002-07-01', confirmedAt: '2003-07-01' }, 'joinedAt'); // 17 years old
    await bad({ confirmedAt: '2009-07-01' }, 'confirmedAt'); // before 入党日期
    await bad({ confirmedAt: null }, 'confirmedAt'); // 正式党员 without 转正日期
    await bad({ category: 'probationary', confirmedAt: '2011-07-01' }, 'confirmedAt');
    await bad({ joinedAt: '2026-06-16', confirmedAt: null, category: 'probationary' }, 'joinedAt'); // after today (server clock)
    await bad({ phone: '1234567' }, 'phone');
    await bad({ organizationId: 1 }, 'organizationId'); // the committee is not a branch
  });

  it('mass assignment is refused: status, role, memberId or accountId in the body → 400', async () => {
    const t = ctx();
    const [east] = await branches(t);
    const token = await consentingApplicant(t);
    for (const extra of [{ status: 'approved' }, { role: 'staff' }, { memberId: 1 }, { accountId: 1 }]) {
      expectError(await t.call('POST', '/api/registrations', { token, body: { ...form(east!), ...extra } }), 400, 'validation_failed');
    }
    expectError(await t.call('POST', '/api/registrations/1/approve', { token }), 403, 'forbidden');
  });

  it('flags (to the reviewer) a 预备党员 whose 预备期 ended more than six months ago', async () => {
    const t = ctx();
    const [east] = await branches(t);
    const overdue = await t.call('POST', '/api/registrations', {
      token: await consentingApplicant(t),
      body: form(east!, { category: 'probationary', joinedAt: '2024-12-01', confirmedAt: null }),
    });
    const recent = await t.call('POST', '/api/registrations', {
      token: await consentingApplicant(t),
      body: form(east!, { category: 'probationary', joinedAt: '2025-01-01', confirmedAt: null }),
    });
    const list = (await t.call('GET', '/api/registrations', { token: await t.login('staff') })).body.items as { id: number; probationOverdue: boolean }[];
    expect(list.find((r) => r.id === overdue.body.id)?.probationOverdue).toBe(true);
    expect(list.find((r) => r.id === recent.body.id)?.probationOverdue).toBe(false);
  });

  it('a retried submission with the same Idempotency-Key gets the first answer back', async () => {
    const t = ctx();
    const [east] = await branches(t);
    const token = await consentingApplicant(t);
    const body = form(east!);
    const headers = { 'idempotency-key': `reg-${sequence}-retry` };
    const a = await t.call('POST', '/api/registrations', { token, body, headers });
    const b = await t.call('POST', '/api/registrations', { token, body, headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
  });

  it('stores no ID number in plain text (reads the tables directly)', async () => {
    const t = ctx();
    const [east] = await branches(t);
    const body = form(east!);
    await t.call('POST', '/api/registrations', { token: await consentingApplicant(t), body });
    const rows = await t.db.execute(sql`select row_to_json(r)::text as j from registrations r`);
    const dump = (rows as unknown as { rows: { j: string }[] }).rows.map((r) => r.j).join('\n');
    expect(dump).toContain(body.idNumber.slice(0, 4) + '*'.repeat(13) + body.idNumber.slice(-1));
    expect(dump).not.toContain(body.idNumber);
    expect(dump).not.toContain(body.idNumber.slice(0, 14));
  });

});
