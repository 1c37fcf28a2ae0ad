/**
 * 发展党员 on both drivers: one applicant walked from the application to 正式党员 with the
 * server clock moved forward; a step before its earliest day refused, naming it; the
 * 支部大会's quorum and majority from the branch roster; only the township of the branch
 * approves; 转正 writes the roster (category, 转正日期, 党龄).
 */
import { and, asc, count, eq, lte, ne } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { memberCategories } from '../../shared/common.js';
import { accounts, auditLog, members, organizations } from '../../db/schema/index.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import { agreePrivacy } from '../helpers/privacy.js';
import { describeEachDriver } from '../helpers/harness.js';
import { developmentWalk } from '../helpers/development.js';

interface Detail {
  id: number;
  stage: string;
  version: number;
  memberId: number | null;
  joinedAt: string | null;
  next: { step: string; earliest: string; latest: string | null; actor: string } | null;
  steps: { step: string; date: string; late: boolean; details: Record<string, unknown> }[];
  warnings: string[];
}

const [FULL, PROBATIONARY] = [memberCategories[0], memberCategories[1]];

describeEachDriver('发展党员', (ctx) => {
  const c = () => ctx();
  const dev = developmentWalk<Detail>(c, 'dev');
  const { key, step, ok } = dev;
  let secretary = '';
  let otherSecretary = '';
  let staff = '';
  let foreignStaff = '';
  let branchId = 0;
  let secretaryAccount = 0;
  /** A jump of a year outlives every session: sign in again, as the mini-program would. */
  const signInAgain = async () => {
    secretary = await c().login('secretary', secretaryAccount);
    staff = await c().login('staff');
  };
  const idNumber = makeIdNumber('1999-04-02', 'female', 61, '130102');

  // Who acts: a branch secretary, another branch secretary, the staff, and staff of another township.
  beforeAll(async () => {
    const [sec, other] = await c().db.select({ id: accounts.id, org: accounts.organizationId }).from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id)).limit(2);
    branchId = sec!.org!;
    secretaryAccount = sec!.id;
    secretary = await c().login('secretary', sec!.id);
    otherSecretary = await c().login('secretary', other!.id);
    staff = await c().login('staff');
    const [t2] = await c().db.insert(organizations).values({ name: '中共邻镇委员会', kind: 'committee' }).returning();
    await c().db.update(organizations).set({ path: `/${t2!.id}/` }).where(eq(organizations.id, t2!.id));
    const [acc] = await c().db.insert(accounts).values({ openid: `dev-foreign-${Date.now()}`, role: 'staff', organizationId: t2!.id, displayName: '邻镇干部', isDemo: 1 }).returning();
    foreignStaff = await c().login('staff', acc!.id);
  });

  it('registers the application (gender and birth date from the ID number) and refuses an under-18 applicant', async () => {
    const young = await c().call('POST', '/api/development/records', {
      token: secretary,
      headers: { 'idempotency-key': key() },
      body: { organizationId: branchId, name: '小李', idNumber: makeIdNumber('2010-01-01', 'male', 3, '130102'), phone: '13912345678', applicationDate: '2026-01-05', evidence: '入党申请书', memberConsent: true },
    });
    expect(young.status).toBe(422);
    expect(young.body.error.message).toContain('年满18周岁');
    // The secretary types someone else's ID number: without confirming the applicant agreed, nothing is kept.
    const unconfirmed = await c().call('POST', '/api/development/records', {
      token: secretary,
      headers: { 'idempotency-key': key() },
      body: { organizationId: branchId, name: '王小芳', idNumber, phone: '13912345678', applicationDate: '2024-09-01', evidence: '入党申请书' },
    });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.message).toContain('征得本人同意');
    const res = await c().call<Detail & { gender: string; birthMonth: string }>('POST', '/api/development/records', {
      token: secretary,
      headers: { 'idempotency-key': key() },
      body: { organizationId: branchId, name: '王小芳', idNumber, phone: '13912345678', applicationDate: '2024-09-01', evidence: '入党申请书', memberConsent: true },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    dev.record = res.body;
    expect(res.body).toMatchObject({ gender: 'female', birthMonth: '1999-04', stage: 'applicant', next: { step: 'talk', earliest: '2024-09-01', latest: '2024-10-01' } });
    const foreign = await c().call('GET', `/api/development/records/${dev.record.id}`, { token: otherSecretary });
    expect(foreign.status).toBe(404);
  });

  it('a talk after a month is recorded and flagged; 积极分子 needs two full members of the branch', async () => {
    await ok(secretary, { step: 'talk', date: '2024-10-08' });
    expect(dev.record.steps.at(-1)).toMatchObject({ step: 'talk', late: true });
    expect(dev.record.warnings.join()).toContain('派人谈话');
    const contacts = await c().db.select({ id: members.id }).from(members).where(and(eq(members.organizationId, branchId), eq(members.category, FULL), eq(members.status, 'active'), lte(members.confirmedAt, '2024-01-01'))).orderBy(asc(members.id)).limit(2);
    const [outsider] = await c().db.select({ id: members.id }).from(members).where(ne(members.organizationId, branchId)).limit(1);
    const bad = await step(secretary, { step: 'activist', date: '2024-10-10', contactMemberIds: [contacts[0]!.id, outsider!.id] });
    expect(bad.status).toBe(422);
    await ok(secretary, { step: 'activist', date: '2024-10-10', contactMemberIds: contacts.map((m) => m.id) });
    expect(dev.record.stage).toBe('activist');
  });

  it('refuses 发展对象 before one year as 积极分子, naming the step and the day', async () => {
    const early = await step(secretary, { step: 'candidate', date: '2025-10-09' });
    expect(early.status).toBe(422);
    expect(early.body.error.message).toBe('“确定发展对象”最早可于 2025-10-10 进行（经过1年以上培养教育和考察）');
    const outOfOrder = await step(secretary, { step: 'notice', date: '2025-10-09' });
    expect(outOfOrder.body.error.message).toContain('下一步是“确定发展对象”');
    await ok(secretary, { step: 'candidate', date: '2025-10-10' });
    await ok(secretary, { step: 'political_review', date: '2025-11-01' });
    const short = await step(secretary, { step: 'training', date: '2025-12-01', trainingDays: 2, trainingHours: 16 });
    expect(short.status).toBe(422);
    await ok(secretary, { step: 'training', date: '2025-12-01', trainingDays: 3 });
    await ok(secretary, { step: 'committee_review', date: '2026-01-10' });
  });

  it('预审 is the township’s: the secretary gets 403, another township’s staff 404', async () => {
    expect((await step(secretary, { step: 'pre_review', date: '2026-02-01' })).status).toBe(403);
    expect((await step(foreignStaff, { step: 'pre_review', date: '2026-02-01' })).status).toBe(404);
    expect((await step(staff, { step: 'talk', date: '2026-02-01' })).status).toBe(403);
    await ok(staff, { step: 'pre_review', date: '2026-02-01' });
  });

  it('公示 of 5 working days across 劳动节 with its make-up Saturday; the 支部大会 quorum and majority from the roster', async () => {
    await ok(secretary, { step: 'notice', date: '2026-04-30' });
    expect(dev.record.steps.at(-1)?.details.noticeEndsOn).toBe('2026-05-09');
    const early = await step(secretary, { step: 'branch_meeting', date: '2026-05-09', present: 99, inFavour: 99 });
    expect(early.body.error.message).toContain('2026-05-10');
    const [row] = await c().db.select({ n: count() }).from(members).where(and(eq(members.organizationId, branchId), eq(members.status, 'active'), eq(members.category, FULL), lte(members.confirmedAt, '2026-05-10')));
    const entitled = row!.n;
    const half = Math.floor(entitled / 2);
    const noQuorum = await step(secretary, { step: 'branch_meeting', date: '2026-05-10', present: half, inFavour: half });
    expect(noQuorum.status).toBe(422);
    expect(noQuorum.body.error.message).toContain(`应到 ${entitled} 人`);
    const notAdmitted = await step(secretary, { step: 'branch_meeting', date: '2026-05-10', present: entitled, inFavour: half });
    expect(notAdmitted.status).toBe(422);
    await ok(secretary, { step: 'branch_meeting', date: '2026-05-10', present: half + 1, inFavour: half + 1 });
    expect(dev.record.steps.at(-1)?.details).toMatchObject({ entitled, present: half + 1, inFavour: half + 1 });
    expect(dev.record.joinedAt).toBe('2026-05-10');
    expect(dev.record.next).toMatchObject({ step: 'approval', actor: 'township', latest: '2026-08-10' });
  });

  it('only the township of the branch approves; approval puts a 预备党员 on the roster with 入党日期 = the 支部大会', async () => {
    const queue = await c().call<{ items: { id: number }[] }>('GET', '/api/development/queue', { token: staff });
    expect(queue.body.items.map((i) => i.id)).toContain(dev.record.id);
    const foreignQueue = await c().call<{ items: { id: number }[] }>('GET', '/api/development/queue', { token: foreignStaff });
    expect(foreignQueue.body.items.map((i) => i.id)).not.toContain(dev.record.id);
    expect((await step(otherSecretary, { step: 'approval', date: '2026-06-01' })).status).toBe(404);
    expect((await step(secretary, { step: 'approval', date: '2026-06-01' })).status).toBe(403);
    expect((await step(foreignStaff, { step: 'approval', date: '2026-06-01' })).status).toBe(404);
    await ok(staff, { step: 'approval', date: '2026-06-01' });
    expect(dev.record.stage).toBe('probationary');
    const [m] = await c().db.select().from(members).where(eq(members.id, dev.record.memberId!));
    expect(m).toMatchObject({ category: PROBATIONARY, joinedAt: '2026-05-10', confirmedAt: null, organizationId: branchId });
    const audits = await c().db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.targetType, 'development_record'), eq(auditLog.targetId, String(dev.record.id))));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['development.application', 'development.pre_review', 'development.approval']));
  });

  it('the yearly target counts the 预备党员 admitted that year', async () => {
    const set = await c().call<{ year: number; target: number; admitted: number }>('PUT', '/api/development/targets/2026', { token: staff, body: { target: 3 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ year: 2026, target: 3 });
    expect(set.body.admitted).toBeGreaterThanOrEqual(1);
    const y2025 = await c().call<{ progress: { admitted: number; target: number | null } }>('GET', '/api/development/queue', { token: staff, query: { year: '2025' } });
    expect(y2025.body.progress.target).toBeNull();
    expect((await c().call('PUT', '/api/development/targets/2026', { token: secretary, body: { target: 3 } })).status).toBe(403);
  });

  it('转正 on the day the 预备期 ends: refused a day early, then the roster has the 转正日期 and 党龄 counts from it', async () => {
    c().clock.set(new Date('2027-05-20T10:00:00+08:00'));
    await signInAgain();
    const early = await step(secretary, { step: 'confirmation_meeting', date: '2027-05-09' });
    expect(early.body.error.message).toBe('“支部大会讨论转正”最早可于 2027-05-10 进行（预备期满一年）');
    await ok(secretary, { step: 'confirmation_meeting', date: '2027-05-12' });
    await ok(staff, { step: 'confirmation', date: '2027-05-20' });
    expect(dev.record.stage).toBe('full');
    const [m] = await c().db.select().from(members).where(eq(members.id, dev.record.memberId!));
    expect(m).toMatchObject({ category: FULL, joinedAt: '2026-05-10', confirmedAt: '2027-05-10' });
    c().clock.set(new Date('2028-05-10T10:00:00+08:00'));
    await signInAgain();
    const profile = await c().call<{ partyStandingYears: number | null }>('GET', `/api/members/${dev.record.memberId}`, { token: staff });
    expect(profile.body.partyStandingYears).toBe(1);
    c().clock.set(new Date('2026-06-15T10:00:00+08:00'));
    await signInAgain();
  });

  it('the applicant sees only their own record after linking it with name and ID number', async () => {
    const applicant = await c().login('applicant');
    expect((await c().call<{ record: null }>('GET', '/api/development/mine', { token: applicant })).body.record).toBeNull();
    // Their ID number is checked only once they have agreed to the privacy guide (and to the ID number).
    const unconsented = await c().call('POST', '/api/development/mine/link', { token: applicant, body: { name: '王小芳', idNumber } });
    expect(unconsented.status).toBe(403);
    expect(unconsented.body.error.code).toBe('consent_required');
    await agreePrivacy(c(), applicant);
    const wrong = await c().call('POST', '/api/development/mine/link', { token: applicant, body: { name: '别人', idNumber } });
    expect(wrong.status).toBe(404);
    const linked = await c().call<{ record: { id: number; stage: string } }>('POST', '/api/development/mine/link', { token: applicant, body: { name: '王小芳', idNumber } });
    expect(linked.status).toBe(200);
    const mine = await c().call<{ record: { id: number; steps: unknown[] } }>('GET', '/api/development/mine', { token: applicant });
    expect(mine.body.record.id).toBe(dev.record.id);
    const another = await c().login('applicant');
    expect((await c().call<{ record: null }>('GET', '/api/development/mine', { token: another })).body.record).toBeNull();
  });

  it('exports the 档案 checklist as .xlsx', async () => {
    const res = await c().call('GET', '/api/development/export', { token: staff });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
  });
});
