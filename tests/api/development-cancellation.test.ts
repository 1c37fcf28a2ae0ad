/**
 * 取消预备党员资格 on both drivers: a 预备党员 walked from the application to the township's
 * cancellation. The roster row stays but leaves the active roster, the political-birthday
 * list and the dashboard's counts; the person's old session is refused for writes (401),
 * and a renewed one carries the new state (the member record 取消预备党员资格, no check-in);
 * the development record and its history stay; both decisions are audited.
 */
import { and, asc, eq, lte } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { FULL_MEMBER, PROBATION_CANCELLED, PROBATIONARY_MEMBER } from '../../shared/common.js';
import { accounts, auditLog, members } from '../../db/schema/index.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import { agreePrivacy } from '../helpers/privacy.js';
import { describeEachDriver } from '../helpers/harness.js';
import { developmentWalk } from '../helpers/development.js';

interface Detail {
  id: number;
  stage: string;
  version: number;
  memberId: number | null;
  steps: { step: string; date: string; details: Record<string, unknown> }[];
}
interface Session {
  token: string;
  refreshToken: string;
  account: { id: number; role: string; memberId: number | null };
}
interface Dashboard {
  members: { total: number; formal: number; probationary: number };
  branches: { organizationId: number; probationary: number; birthdaysDue: number }[];
}

const NAME = '赵预备';

describeEachDriver('取消预备党员资格', (ctx) => {
  const c = () => ctx();
  const dev = developmentWalk<Detail>(c, 'cancel');
  const { key, step, ok } = dev;
  let secretary = '';
  let staff = '';
  let branchId = 0;
  /** The applicant's own sessions, plain (not renewed by the harness): the test renews them itself. */
  let applicant: Session;
  let member: Session;
  const idNumber = makeIdNumber('1996-03-02', 'male', 77, '130104');

  const refresh = async (s: Session) => {
    const res = await c().call<Session>('POST', '/api/auth/refresh', { body: { refreshToken: s.refreshToken } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const checkIn = (token: string) =>
    c().call('POST', '/api/study/checkins', { token, headers: { 'idempotency-key': key() }, body: { way: 'platform', topic: '学习党章', minutes: 5 } });
  const dashboard = async () => (await c().call<Dashboard>('GET', '/api/dashboard', { token: staff })).body;
  const branchOf = (d: Dashboard) => d.branches.find((b) => b.organizationId === branchId)!;
  const activeRoster = async () =>
    (await c().call<{ items: { id: number }[] }>('GET', '/api/members', { token: staff, query: { q: NAME, status: 'active' } })).body.items.map((i) => i.id);
  const birthdayList = async () =>
    (await c().call<{ members: { memberId: number }[] }>('GET', '/api/birthdays', { token: secretary, query: { month: '2026-06', organizationId: String(branchId) } })).body.members.map((m) => m.memberId);

  it('walks an applicant (with their own account linked) to 预备党员: 入党日期 2025-06-10, so June is their political birthday', async () => {
    const [sec] = await c().db.select({ id: accounts.id, org: accounts.organizationId }).from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id)).limit(1);
    branchId = sec!.org!;
    secretary = await c().login('secretary', sec!.id);
    staff = await c().login('staff');
    const created = await c().call<Detail>('POST', '/api/development/records', {
      token: secretary,
      headers: { 'idempotency-key': key() },
      body: { organizationId: branchId, name: NAME, idNumber, phone: '13912345679', applicationDate: '2024-01-05', evidence: '入党申请书', memberConsent: true },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    dev.record = created.body;
    const signedIn = await c().call<Session>('POST', '/api/auth/dev', { body: { role: 'applicant' } });
    applicant = signedIn.body;
    await agreePrivacy(c(), applicant.token);
    expect((await c().call('POST', '/api/development/mine/link', { token: applicant.token, body: { name: NAME, idNumber } })).status).toBe(200);

    await ok(secretary, { step: 'talk', date: '2024-01-15' });
    const contacts = await c().db.select({ id: members.id }).from(members).where(and(eq(members.organizationId, branchId), eq(members.category, FULL_MEMBER), eq(members.status, 'active'), lte(members.confirmedAt, '2024-01-01'))).orderBy(asc(members.id)).limit(2);
    await ok(secretary, { step: 'activist', date: '2024-02-01', contactMemberIds: contacts.map((m) => m.id) });
    await ok(secretary, { step: 'candidate', date: '2025-02-01' });
    await ok(secretary, { step: 'political_review', date: '2025-03-01' });
    await ok(secretary, { step: 'training', date: '2025-04-01', trainingDays: 3 });
    await ok(secretary, { step: 'committee_review', date: '2025-05-06' });
    await ok(staff, { step: 'pre_review', date: '2025-05-20' });
    await ok(secretary, { step: 'notice', date: '2025-06-02' });
    const entitled = (await c().db.select({ id: members.id }).from(members).where(and(eq(members.organizationId, branchId), eq(members.status, 'active'), eq(members.category, FULL_MEMBER), lte(members.confirmedAt, '2025-06-10')))).length;
    await ok(secretary, { step: 'branch_meeting', date: '2025-06-10', present: entitled, inFavour: entitled });
    await ok(staff, { step: 'approval', date: '2025-07-01' });
    expect(dev.record.stage).toBe('probationary');
    const [m] = await c().db.select().from(members).where(eq(members.id, dev.record.memberId!));
    expect(m).toMatchObject({ category: PROBATIONARY_MEMBER, status: 'active', joinedAt: '2025-06-10' });

    // The approval made the applicant's account a member's: their renewed session is one, and may check in.
    member = await refresh(applicant);
    expect(member.account).toMatchObject({ role: 'member', memberId: dev.record.memberId });
    expect((await checkIn(member.token)).status).toBe(201);
  });

  it('only the township cancels; the roster row is kept, off the active roster, the birthday list and the counts', async () => {
    const before = await dashboard();
    expect(await activeRoster()).toContain(dev.record.memberId);
    expect(await birthdayList()).toContain(dev.record.memberId);

    expect((await step(secretary, { step: 'cancellation', date: '2026-06-10' })).status).toBe(403);
    await ok(staff, { step: 'cancellation', date: '2026-06-10' });
    expect(dev.record.stage).toBe('cancelled');
    expect(dev.record.steps.at(-1)).toMatchObject({ step: 'cancellation', date: '2026-06-10', details: { rosterStatus: PROBATION_CANCELLED } });

    const [m] = await c().db.select().from(members).where(eq(members.id, dev.record.memberId!));
    expect(m).toMatchObject({ status: PROBATION_CANCELLED, category: PROBATIONARY_MEMBER, joinedAt: '2025-06-10', confirmedAt: null });
    expect(await activeRoster()).not.toContain(dev.record.memberId);
    expect(await birthdayList()).not.toContain(dev.record.memberId);
    const cancelled = await c().call<{ items: { id: number; status: string; probationOverdue: boolean }[] }>('GET', '/api/members', { token: staff, query: { q: NAME, status: PROBATION_CANCELLED } });
    expect(cancelled.body.items).toEqual([expect.objectContaining({ id: dev.record.memberId, status: PROBATION_CANCELLED, probationOverdue: false })]);
    const detail = await c().call<{ status: string }>('GET', `/api/members/${dev.record.memberId}`, { token: staff });
    expect(detail.status).toBe(200);
    expect(detail.body.status).toBe(PROBATION_CANCELLED);

    const after = await dashboard();
    expect(after.members.probationary).toBe(before.members.probationary - 1);
    expect(after.members.total).toBe(before.members.total - 1);
    expect(branchOf(after).probationary).toBe(branchOf(before).probationary - 1);
    expect(branchOf(after).birthdaysDue).toBe(branchOf(before).birthdaysDue - 1);
  });

  it('audits both the step and the member change; the record and its history stay, and take no further step', async () => {
    const memberAudits = await c().db.select().from(auditLog).where(and(eq(auditLog.targetType, 'member'), eq(auditLog.targetId, String(dev.record.memberId)), eq(auditLog.action, 'member.update')));
    expect(memberAudits).toHaveLength(1);
    expect(memberAudits[0]!.details).toMatchObject({ changes: { status: { from: 'active', to: PROBATION_CANCELLED } }, developmentRecordId: dev.record.id });
    const stepAudits = await c().db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.targetType, 'development_record'), eq(auditLog.targetId, String(dev.record.id))));
    expect(stepAudits.map((a) => a.action)).toEqual(expect.arrayContaining(['development.approval', 'development.cancellation']));

    const kept = await c().call<Detail>('GET', `/api/development/records/${dev.record.id}`, { token: staff });
    expect(kept.body.stage).toBe('cancelled');
    expect(kept.body.steps.map((s) => s.step)).toEqual(expect.arrayContaining(['application', 'branch_meeting', 'approval', 'cancellation']));
    const again = await step(staff, { step: 'cancellation', date: '2026-06-11' });
    expect(again.status).toBe(422);
    expect((await step(secretary, { step: 'confirmation_meeting', date: '2026-06-11' })).status).toBe(422);
  });

  it("the person's old session is refused for writes; the renewed one carries the new state and no member powers", async () => {
    const stale = await checkIn(member.token);
    expect(stale.status, JSON.stringify(stale.body)).toBe(401);
    expect(stale.body).toMatchObject({ error: { code: 'unauthorized', message: expect.any(String) } });

    const renewed = await refresh(member);
    const me = await c().call<{ member: { id: number; status: string } | null }>('GET', '/api/me', { token: renewed.token });
    expect(me.body.member).toMatchObject({ id: dev.record.memberId, status: PROBATION_CANCELLED });
    // A current session gets the domain's answer: no longer a member on the roster, no check-in.
    const refused = await checkIn(renewed.token);
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    // Their own progress stays theirs to read.
    const mine = await c().call<{ record: { id: number; stage: string } }>('GET', '/api/development/mine', { token: renewed.token });
    expect(mine.body.record).toMatchObject({ id: dev.record.id, stage: 'cancelled' });
  });

  it('staff cannot give a 正式党员 the status 取消预备党员资格 (the member-fact rule, named on the category)', async () => {
    const [full] = await c().db.select().from(members).where(and(eq(members.organizationId, branchId), eq(members.category, FULL_MEMBER), eq(members.status, 'active'))).limit(1);
    const res = await c().call<{ error: { code: string; message: string } }>('PATCH', `/api/members/${full!.id}`, { token: staff, body: { version: full!.version, status: PROBATION_CANCELLED } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: '人员类别：“取消预备党员资格”只适用于预备党员' });
    const [unchanged] = await c().db.select({ status: members.status }).from(members).where(eq(members.id, full!.id));
    expect(unchanged!.status).toBe('active');
  });
});
