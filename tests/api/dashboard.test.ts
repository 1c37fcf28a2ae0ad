import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { addDays, shanghaiDayStart } from '../../shared/calendar.js';
import { commendationCategories } from '../../shared/commendations.js';
import type { DashboardResponse } from '../../shared/dashboard.js';
import { overdueOf } from '../../shared/transfers.js';
import { statementCounter } from '../../db/client.js';
import {
  accounts,
  birthdaySignIns,
  commendations,
  commendationTargets,
  members,
  registrations,
  studyDays,
  transfers,
} from '../../db/schema/index.js';
import { branchesOf } from '../helpers/townships.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';

const TODAY = '2026-06-15';
const YEAR = 2026;

/** Every figure recomputed in TypeScript from plain reads of the tables, for the given branches. */
async function expected(c: TestContext, branchIds: number[]) {
  const inScope = new Set(branchIds);
  const active = (await c.db.select().from(members).where(eq(members.status, 'active'))).filter((m) => inScope.has(m.organizationId));
  const activeIds = new Set(active.map((m) => m.id));
  const branchOf = new Map(active.map((m) => [m.id, m.organizationId]));

  const regs = (await c.db.select().from(registrations).where(eq(registrations.status, 'pending'))).filter((r) => inScope.has(r.organizationId));
  const overdueBefore = shanghaiDayStart(addDays(TODAY, -7));

  const openTransfers = (await c.db.select().from(transfers)).filter(
    (t) =>
      !['completed', 'rejected', 'withdrawn'].includes(t.state) &&
      ((t.fromOrganizationId != null && inScope.has(t.fromOrganizationId)) || (t.toOrganizationId != null && inScope.has(t.toOrganizationId))),
  );

  const trendStart = addDays(TODAY, -29);
  const allDays = await c.db.select().from(studyDays).where(and(gte(studyDays.day, '2026-05-01'), lte(studyDays.day, TODAY)));
  const days = allDays.filter((d) => activeIds.has(d.memberId) && d.minutes >= 60);
  const metOn = (day: string, branch?: number) => days.filter((d) => d.day === day && (branch == null || branchOf.get(d.memberId) === branch)).length;
  const monthMinutes = (branch: number) =>
    allDays.filter((d) => activeIds.has(d.memberId) && d.day >= '2026-06-01' && branchOf.get(d.memberId) === branch).reduce((n, d) => n + d.minutes, 0);
  const monthMet = (branch?: number) => days.filter((d) => d.day >= '2026-06-01' && (branch == null || branchOf.get(d.memberId) === branch)).length;

  const due = active.filter((m) => m.joinedAt.slice(5, 7) === '06' && Number(m.joinedAt.slice(0, 4)) < YEAR);
  const signIns = new Set((await c.db.select().from(birthdaySignIns).where(eq(birthdaySignIns.year, YEAR))).map((s) => s.memberId));

  const allCommendations = (await c.db.select().from(commendations)).filter((x) => x.year === YEAR && x.deletedAt == null);
  const targets = await c.db.select().from(commendationTargets).where(eq(commendationTargets.year, YEAR));

  const pct = (a: number, b: number) => (b > 0 ? Math.round((a * 100) / b) : null);
  const trend = [];
  for (let d = trendStart; d <= TODAY; d = addDays(d, 1)) trend.push({ day: d, met: metOn(d), percent: pct(metOn(d), active.length) });
  return {
    members: {
      total: active.length,
      formal: active.filter((m) => m.category === 'full').length,
      probationary: active.filter((m) => m.category === 'probationary').length,
    },
    registrations: { pending: regs.length, overdue: regs.filter((r) => r.createdAt < overdueBefore).length, overdueAfterDays: 7 },
    transfers: { open: openTransfers.length, overdue: openTransfers.filter((t) => Object.values(overdueOf(t, TODAY)).some(Boolean)).length },
    study: {
      targetMinutes: 60,
      todayMet: metOn(TODAY),
      todayPercent: pct(metOn(TODAY), active.length),
      monthMetMemberDays: monthMet(),
      monthMemberDays: active.length * 15,
      monthPercent: pct(monthMet(), active.length * 15),
      trend,
    },
    birthdays: { due: due.length, signed: due.filter((m) => signIns.has(m.id)).length, percent: pct(due.filter((m) => signIns.has(m.id)).length, due.length) },
    commendations: {
      year: YEAR,
      targets: commendationCategories.map((category) => {
        const target = targets.find((t) => t.category === category)?.target ?? null;
        const township = allCommendations.filter((x) => x.category === category).length;
        return {
          category,
          target,
          achieved: allCommendations.filter((x) => x.category === category && inScope.has(x.organizationId)).length,
          townshipAchieved: township,
          percent: target ? Math.min(100, Math.round((township * 100) / target)) : null,
        };
      }),
    },
    branches: branchIds.map((id) => {
      const mine = active.filter((m) => m.organizationId === id);
      return {
        organizationId: id,
        members: mine.length,
        formal: mine.filter((m) => m.category === 'full').length,
        probationary: mine.filter((m) => m.category === 'probationary').length,
        registrationsPending: regs.filter((r) => r.organizationId === id).length,
        studyTodayMet: metOn(TODAY, id),
        studyMonthMinutes: monthMinutes(id),
        birthdaysDue: due.filter((m) => m.organizationId === id).length,
        birthdaysSigned: due.filter((m) => m.organizationId === id && signIns.has(m.id)).length,
        commendations: allCommendations.filter((x) => x.organizationId === id).length,
      };
    }),
  };
}

/** Rows the other domains' seeds may not provide: waiting registrations (one overdue) and transfers (one 回执 late). */
async function addWaitingWork(c: TestContext, branchIds: number[]) {
  const applicants = await c.db
    .insert(accounts)
    .values([0, 1, 2].map((i) => ({ openid: `dash-applicant-${i}`, role: 'applicant' as const, displayName: `申请人${i}`, isDemo: 0 })))
    .returning({ id: accounts.id });
  const base = {
    gender: 'male' as const,
    ethnicity: '汉族',
    birthDate: '1990-01-01',
    idCipher: 'x',
    idMasked: '1101**********0011',
    phone: '13800000000',
    category: 'full' as const,
    joinedAt: '2015-07-01',
    confirmedAt: '2016-07-01',
  };
  await c.db.insert(registrations).values([
    { ...base, accountId: applicants[0]!.id, organizationId: branchIds[0]!, name: '等待甲', idHash: 'dash-h0', createdAt: new Date('2026-06-01T09:00:00+08:00') },
    { ...base, accountId: applicants[1]!.id, organizationId: branchIds[0]!, name: '等待乙', idHash: 'dash-h1', createdAt: new Date('2026-06-14T09:00:00+08:00') },
    { ...base, accountId: applicants[2]!.id, organizationId: branchIds[2]!, name: '等待丙', idHash: 'dash-h2', createdAt: new Date('2026-06-08T00:30:00+08:00') },
  ]);
  const [mover] = await c.db.select().from(members).where(eq(members.organizationId, branchIds[1]!)).orderBy(asc(members.id)).offset(3).limit(1);
  const [other] = await c.db.select().from(members).where(eq(members.organizationId, branchIds[3]!)).orderBy(asc(members.id)).offset(3).limit(1);
  const t = {
    gender: 'male' as const,
    ethnicity: '汉族',
    category: 'full' as const,
    idMasked: '1101**********0011',
    scope: 'in_province' as const,
    reason: 'job' as const,
    duesPaidThrough: '2026-05',
    contactPhone: '13800000000',
    applicantAccountId: applicants[0]!.id,
    toOrganizationId: null,
    toOrganizationName: '外县某村党支部',
  };
  await c.db.insert(transfers).values([
    {
      ...t,
      kind: 'out',
      state: 'letter_issued',
      memberId: mover!.id,
      memberName: mover!.name,
      fromOrganizationId: branchIds[1]!,
      fromOrganizationName: '向阳村党支部',
      appliedOn: '2026-04-20',
      letterYear: 2026,
      letterSequence: 901,
      letterNumber: '2026-901',
      letterIssuedOn: '2026-05-01',
      validityDays: 30,
      letterExpiresOn: '2026-05-31',
      receiptDueOn: '2026-06-01',
    },
    { ...t, kind: 'out', state: 'pending_branch', memberId: other!.id, memberName: other!.name, fromOrganizationId: branchIds[3]!, fromOrganizationName: '新华村党支部', appliedOn: '2026-06-12' },
  ]);
}

function stripNames(d: DashboardResponse) {
  return { ...d, branches: d.branches.map(({ name, ...rest }) => (void name, rest)) };
}

describeEachDriver('dashboard', (ctx) => {
  let branchIds: number[] = [];

  beforeAll(async () => {
    const c = ctx();
    // The staff who log in below belong to township A: its branches are their scope.
    branchIds = await branchesOf(c.db, 'A');
  });

  it('staff: every figure equals the counts computed independently, in at most three SQL statements', async () => {
    const c = ctx();
    await addWaitingWork(c, branchIds);
    const token = await c.login('staff');
    const { result: res, statements } = await statementCounter.measure(() => c.call<DashboardResponse>('GET', '/api/dashboard', { token }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(statements).toBeLessThanOrEqual(3);
    const body = res.body;
    expect(body.scope).toMatchObject({ kind: 'township', name: '红旗镇党委' });
    expect(body.today).toBe(TODAY);
    const want = await expected(c, branchIds);
    expect(stripNames(body)).toMatchObject(want);
    expect(body.study.trend).toHaveLength(30);
    // The seeds and the rows added here make every figure non-trivial.
    // 06-01 is overdue; 06-08 00:30 is exactly seven days old on the 15th, not yet overdue.
    expect(body.registrations.pending).toBeGreaterThanOrEqual(3);
    expect(body.registrations.overdue).toBeGreaterThanOrEqual(1);
    expect(body.transfers.overdue).toBeGreaterThanOrEqual(1);
    expect(body.members.total).toBeGreaterThan(30);
    expect(body.commendations.targets[0]!.target).toBe(8);
  });

  it('secretary: the same shape for their branch only; members are refused', async () => {
    const c = ctx();
    const secretaries = await c.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id));
    for (const s of secretaries.slice(0, 2)) {
      const token = await c.login('secretary', s.id);
      const res = await c.call<DashboardResponse>('GET', '/api/dashboard', { token });
      expect(res.status).toBe(200);
      expect(res.body.scope).toMatchObject({ kind: 'branch', organizationId: s.organizationId });
      expect(res.body.branches.map((b) => b.organizationId)).toEqual([s.organizationId]);
      expect(stripNames(res.body)).toMatchObject(await expected(c, [s.organizationId!]));
    }
    const member = await c.login('member');
    expect((await c.call('GET', '/api/dashboard', { token: member })).status).toBe(403);
    expect((await c.call('GET', '/api/dashboard')).status).toBe(401);
  });

  it("转接待办 on the dashboard is the inbox's 待我办理, for staff and for every secretary (one rule: awaitingSteps)", async () => {
    const c = ctx();
    type Inbox = { counts: { awaitingMe: number; open: number } };
    const officers = await c.db.select().from(accounts).where(and(eq(accounts.isDemo, 1))).orderBy(asc(accounts.id));
    const staff = officers.find((a) => a.role === 'staff' && a.organizationId != null)!;
    const secretaries = officers.filter((a) => a.role === 'secretary' && a.organizationId != null && branchIds.includes(a.organizationId));
    let differs = 0;
    for (const a of [staff, ...secretaries]) {
      const token = await c.login(a.role as 'staff' | 'secretary', a.id);
      const dash = await c.call<DashboardResponse>('GET', '/api/dashboard', { token });
      const inbox = await c.call<Inbox>('GET', '/api/transfers', { token, query: { view: 'inbox' } });
      expect(dash.status).toBe(200);
      expect(inbox.status).toBe(200);
      expect(dash.body.transfers.awaitingMe, `${a.role} ${a.id}`).toBe(inbox.body.counts.awaitingMe);
      if (dash.body.transfers.awaitingMe !== dash.body.transfers.open) differs += 1;
    }
    // The waiting work added above (a letter issued, waiting for 回执 by staff; a filing waiting for its branch) makes
    // "under way" and "waiting for me" differ for someone: the count the dashboard showed before.
    expect(differs).toBeGreaterThan(0);
    expect(secretaries.length).toBeGreaterThanOrEqual(5);
  });

  it('commendation progress moves when staff record one', async () => {
    const c = ctx();
    const token = await c.login('staff');
    const before = (await c.call<DashboardResponse>('GET', '/api/dashboard', { token })).body;
    const candidates = await c.call('GET', '/api/commendations/candidates', { token, query: { organizationId: branchIds[4] } });
    const created = await c.call('POST', '/api/commendations', {
      token,
      headers: { 'idempotency-key': 'dash-commend-1' },
      body: { category: 'outstanding_member', memberId: candidates.body.candidates.at(-1).memberId, level: 'township', awardedOn: '2026-06-12', issuedBy: '中共红旗镇委员会' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const after = (await c.call<DashboardResponse>('GET', '/api/dashboard', { token })).body;
    expect(after.commendations.targets[0]!.townshipAchieved).toBe(before.commendations.targets[0]!.townshipAchieved + 1);
    expect(after.branches.find((b) => b.organizationId === branchIds[4])!.commendations).toBe(
      before.branches.find((b) => b.organizationId === branchIds[4])!.commendations + 1,
    );
  });
});
