// The process runs in UTC here, as on Vercel: study days must still follow the Asia/Shanghai clock.
process.env.TZ = 'UTC';

import { expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { sealIdNumber } from '../../db/pii.js';
import { accounts, members } from '../../db/schema/index.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { branchesOf } from '../helpers/townships.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError, report, studyWorld } from '../helpers/study-world.js';

describeEachDriver('study: streaks and what officers see', (ctx, driver) => {
  const { freshMember, secretaryOf, pick, checkin, post, studyWithPage } = studyWorld(ctx);

  it('keeps the streak of target days across a month boundary', async () => {
    const m = await freshMember();
    for (const day of ['2026-06-28', '2026-06-29', '2026-06-30', '2026-07-01', '2026-07-02']) {
      ctx().clock.set(new Date(`${day}T20:00:00+08:00`));
      const token = await ctx().login('member', m.accountId);
      expect((await checkin(token, report(60))).status).toBe(201);
    }
    ctx().clock.set(new Date('2026-07-02T21:00:00+08:00'));
    let token = await ctx().login('member', m.accountId);
    expect((await ctx().call('GET', '/api/study/me', { token })).body.streakDays).toBe(5);
    // The next morning, today not yet met: the streak stands.
    ctx().clock.set(new Date('2026-07-03T08:00:00+08:00'));
    token = await ctx().login('member', m.accountId);
    const me = await ctx().call('GET', '/api/study/me', { token });
    expect(me.body).toMatchObject({ streakDays: 5, todayMinutes: 0 });
    // A missed day breaks it.
    ctx().clock.set(new Date('2026-07-04T08:00:00+08:00'));
    token = await ctx().login('member', m.accountId);
    expect((await ctx().call('GET', '/api/study/me', { token })).body.streakDays).toBe(0);
  });

  it('secretary branch week: how many studied and the minutes, never who; other branches 403', async () => {
    const m = await freshMember();
    const secretary = await secretaryOf(m.organizationId);
    const path = `/api/study/organizations/${secretary.branchId}/week`;
    let res = await ctx().call('GET', path, { token: secretary.token });
    expect(res.status).toBe(200);
    // 2026-06-15 is a Monday: the week starts today.
    expect(res.body).toMatchObject({ weekStart: '2026-06-15', today: '2026-06-15' });
    expect(res.body.roster.map((x: { memberId: number }) => x.memberId)).toContain(m.memberId);
    expect(JSON.stringify(res.body.roster)).not.toMatch(/minutes|met|rate/);
    const before = { studied: res.body.studiedMembers as number, minutes: res.body.totalMinutes as number };

    const started = await post(m.token, '/api/study/sessions', { way: 'platform', topic: '党课' });
    await studyWithPage(m.token, started.body.session.id, 60);
    await post(m.token, `/api/study/sessions/${started.body.session.id}/finish`);
    res = await ctx().call('GET', path, { token: secretary.token });
    expect(res.body.totalMinutes).toBe(before.minutes + 60);
    expect(res.body.studiedMembers).toBe(before.studied + 1);

    const otherBranch = await pick((x) => x.role === 'secretary' && x.organizationId !== m.organizationId);
    const [otherAccount] = await ctx().db.select().from(accounts).where(eq(accounts.id, otherBranch.accountId));
    expectError(await ctx().call('GET', `/api/study/organizations/${otherAccount!.organizationId}/week`, { token: secretary.token }), 403, 'forbidden');
    expectError(await ctx().call('GET', path, { token: m.token }), 403, 'forbidden');
    expectError(await ctx().call('GET', path, { token: secretary.token, query: { date: '2026-06-01' } }), 400, 'validation_failed');
    const staff = await ctx().login('staff');
    expect((await ctx().call('GET', path, { token: staff })).status).toBe(200);
  });

  it('care list: elderly members without an account and members absent from collective study, with the reason', async () => {
    const secretary = await ctx().login('secretary');
    const [acct] = await ctx().db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1))).orderBy(accounts.id).limit(1);
    const branchId = acct!.organizationId!;
    const keys = { encryptionKey: ctx().config.idEncryptionKey, hashKey: ctx().config.idHashKey };
    const birthDate = driver === 'neon' ? '1950-03-02' : '1950-03-01';
    const [elder] = await ctx().db.insert(members).values({
      name: '关怀测试老党员', gender: 'male', ethnicity: '汉族', birthDate, ...sealIdNumber(makeIdNumber(birthDate, 'male', 77, '150102'), keys),
      phone: makePhone(8877), organizationId: branchId, category: 'full', joinedAt: '1975-06-10', confirmedAt: '1976-06-10',
    }).returning({ memberId: members.id });
    const res = await ctx().call('GET', `/api/study/organizations/${branchId}/week`, { token: secretary });
    expect(res.status).toBe(200);
    const row = res.body.care.find((x: { memberId: number }) => x.memberId === elder!.memberId);
    expect(row).toMatchObject({ age: 76, hasAccount: false });
    expect(row.reasons).toContain('elderly_no_account');
    for (const c of res.body.care) expect(c.reasons.length).toBeGreaterThan(0);
    const names = res.body.care.map((x: { name: string }) => x.name);
    expect(names).toEqual([...names].sort());
  });

  it('staff summary: totals per branch in fixed order and a daily count of members who studied; no rates, no names', async () => {
    const staff = await ctx().login('staff');
    const res = await ctx().call('GET', '/api/study/summary', { token: staff });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-05-17', to: '2026-06-15' });
    expect(res.body.branches).toHaveLength(5);
    expect(res.body.trend).toHaveLength(30);
    // Township A's branches (the staff's own), in their fixed order; township B's are not in it.
    expect(res.body.branches.map((b: { organizationId: number }) => b.organizationId)).toEqual(await branchesOf(ctx().db, 'A'));
    for (const b of res.body.branches) {
      expect(Object.keys(b).sort()).toEqual(['memberCount', 'name', 'organizationId', 'studiedMemberDays', 'totalMinutes']);
      expect(b.totalMinutes).toBeGreaterThan(0);
    }
    expect(res.body).not.toHaveProperty('inactive');

    const week = await ctx().call('GET', '/api/study/summary', { token: staff, query: { from: '2026-06-01', to: '2026-06-07' } });
    expect(week.body.trend.map((t: { day: string }) => t.day)).toEqual(['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05', '2026-06-06', '2026-06-07']);
    expectError(await ctx().call('GET', '/api/study/summary', { token: staff, query: { from: '2026-06-07', to: '2026-06-01' } }), 400, 'validation_failed');
    expectError(await ctx().call('GET', '/api/study/summary', { token: staff, query: { from: '2026-01-01', to: '2026-06-01' } }), 400, 'validation_failed');
    expectError(await ctx().call('GET', '/api/study/summary', { token: await ctx().login('secretary') }), 403, 'forbidden');
    expectError(await ctx().call('GET', '/api/study/summary', { token: await ctx().login('member') }), 403, 'forbidden');
  });

  it('the seeded history gives every view something to show', async () => {
    const secretary = await ctx().login('secretary');
    const events = await ctx().call('GET', '/api/study/events', { token: secretary });
    expect(events.body.events.length).toBeGreaterThan(3);
    const counts = rowsOf<{ sources: number; days: number }>(
      await ctx().db.execute(sql`select count(distinct source)::int as sources, count(distinct day)::int as days from study_entries`),
    )[0];
    expect(counts?.sources).toBe(5);
    expect(counts?.days).toBeGreaterThan(90);
  });
});
