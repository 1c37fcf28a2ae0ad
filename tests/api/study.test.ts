// The process runs in UTC here, as on Vercel: study days must still follow the Asia/Shanghai clock.
process.env.TZ = 'UTC';

import { expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { statementCounter } from '../../db/client.js';
import { studyDays, studyEntries } from '../../db/schema/index.js';
import { TEST_NOW } from '../helpers/constants.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError, key, report, studyWorld } from '../helpers/study-world.js';

describeEachDriver('study: the day, the timer and self-reports', (ctx, driver) => {
  const { freshMember, secretaryOf, checkin, post, studyWithPage } = studyWorld(ctx);

  it('credits a study day by the Asia/Shanghai calendar at 23:59 and 00:01, and across a month boundary', async () => {
    const m = await freshMember();
    ctx().clock.set(new Date('2026-06-15T23:59:00+08:00'));
    let res = await checkin(m.token, report(10));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ day: '2026-06-15', minutes: 10, source: 'self_report' });

    ctx().clock.set(new Date('2026-06-16T00:01:00+08:00')); // 2026-06-15T16:01Z: still the 15th in UTC
    res = await checkin(m.token, report(15));
    expect(res.body).toMatchObject({ day: '2026-06-16', minutes: 15 });
    const me = await ctx().call('GET', '/api/study/me', { token: m.token });
    expect(me.body).toMatchObject({ today: '2026-06-16', todayMinutes: 15, selfReportedToday: 15, selfReportRemaining: 45 });

    ctx().clock.set(new Date('2026-06-30T23:59:00+08:00'));
    const token = await ctx().login('member', m.accountId);
    res = await checkin(token, report(20));
    expect(res.body).toMatchObject({ day: '2026-06-30' });
    ctx().clock.set(new Date('2026-07-01T00:01:00+08:00'));
    res = await checkin(token, report(25));
    expect(res.body).toMatchObject({ day: '2026-07-01' });

    const july = await ctx().call('GET', '/api/study/me', { token });
    expect(july.body).toMatchObject({ month: '2026-07', calendar: [{ day: '2026-07-01', minutes: 25 }] });
    const june = await ctx().call('GET', '/api/study/me', { token, query: { month: '2026-06' } });
    expect(june.body.calendar).toEqual(expect.arrayContaining([
      { day: '2026-06-15', minutes: expect.any(Number) },
      { day: '2026-06-16', minutes: expect.any(Number) },
      { day: '2026-06-30', minutes: expect.any(Number) },
    ]));
    expect(june.body.calendar.find((d: { day: string }) => d.day === '2026-06-30').minutes).toBe(20);
  });

  it('times a session by the server clock only: client-sent durations are refused', async () => {
    const m = await freshMember();
    expectError(await post(m.token, '/api/study/sessions', { way: 'platform', topic: '党章', minutes: 500 }), 400, 'validation_failed');
    expectError(await post(m.token, '/api/study/sessions', { way: 'platform', topic: '党章', startedAt: '2026-06-15T00:00:00+08:00' }), 400, 'validation_failed');
    expectError(await post(m.token, '/api/study/sessions', { way: '自学', topic: '党章' }), 400, 'validation_failed');

    const started = await post(m.token, '/api/study/sessions', { way: 'platform', topic: '新修订的纪律处分条例' });
    expect(started.status).toBe(201);
    const id = started.body.session.id as number;
    expect(started.body.session.status).toBe('open');
    expect(Math.abs(new Date(started.body.session.startedAt).getTime() - new Date(TEST_NOW).getTime())).toBeLessThan(5_000);

    // A second start while one is open is refused (one timer at a time).
    expectError(await post(m.token, '/api/study/sessions', { way: 'platform', topic: '另一个' }), 409, 'conflict');

    await studyWithPage(m.token, id, 37);
    expectError(await post(m.token, `/api/study/sessions/${id}/finish`, { minutes: 120 }), 400, 'validation_failed');
    const finished = await post(m.token, `/api/study/sessions/${id}/finish`);
    expect(finished.status).toBe(200);
    expect(finished.body.session).toMatchObject({ status: 'finished', creditedMinutes: 37, creditedDay: '2026-06-15' });
    expect(finished.body.entries).toMatchObject([{ minutes: 37, source: 'timer', sessionId: id, day: '2026-06-15' }]);

    // Finishing again (a double tap, a new key) credits nothing more.
    ctx().clock.advance(30);
    const again = await post(m.token, `/api/study/sessions/${id}/finish`);
    expect(again.body.entries.map((e: { id: number }) => e.id)).toEqual([finished.body.entries[0].id]);
    const [day] = await ctx().db.select().from(studyDays).where(and(eq(studyDays.memberId, m.memberId), eq(studyDays.day, '2026-06-15')));
    expect(day?.minutes).toBe(37);

    // Another member cannot finish it.
    const other = await freshMember();
    expectError(await post(other.token, `/api/study/sessions/${id}/finish`), 404, 'not_found');
  });

  it('a forgotten timer is not an hour of study: credit ends at the last presence confirmation plus the grace', async () => {
    const m = await freshMember();
    ctx().clock.set(new Date('2026-06-15T20:00:00+08:00'));
    const token = await ctx().login('member', m.accountId);
    const started = await post(token, '/api/study/sessions', { way: 'platform', topic: '学习强国' });
    const id = started.body.session.id as number;
    await studyWithPage(token, id, 21); // 20:21, last confirmation at 20:18
    ctx().clock.set(new Date('2026-06-16T09:00:00+08:00')); // the page was closed; finished next morning
    const finished = await post(token, `/api/study/sessions/${id}/finish`);
    expect(finished.body.session).toMatchObject({ status: 'expired', creditedMinutes: 23, creditedDay: '2026-06-15' });
    expect(finished.body.entries).toMatchObject([{ minutes: 23, day: '2026-06-15' }]);
    const entries = await ctx().db.select().from(studyEntries).where(eq(studyEntries.sessionId, id));
    expect(entries.map((e) => [e.day, e.minutes])).toEqual([['2026-06-15', 23]]);
  });

  it('a confirmation after the grace ran out does not revive the session: it closes at the last one', async () => {
    const m = await freshMember();
    const started = await post(m.token, '/api/study/sessions', { way: 'platform', topic: '党章' });
    const id = started.body.session.id as number;
    await studyWithPage(m.token, id, 10); // last confirmation at +9
    ctx().clock.advance(40); // the phone slept
    const late = await post(m.token, `/api/study/sessions/${id}/presence`);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ session: { status: 'expired', creditedMinutes: 14 }, minutesSoFar: 14, entries: [{ minutes: 14 }] });
    // Finishing afterwards changes nothing; a new session can start at once.
    expect((await post(m.token, `/api/study/sessions/${id}/finish`)).body.session.creditedMinutes).toBe(14);
    expect((await post(m.token, '/api/study/sessions', { way: 'platform', topic: '再学一会' })).status).toBe(201);
  });

  it('splits a session across Shanghai midnight: 23:30 → 00:40 credits 30 minutes to day one and 40 to day two', async () => {
    const m = await freshMember();
    ctx().clock.set(new Date('2026-06-15T23:30:00+08:00'));
    const token = await ctx().login('member', m.accountId);
    const earlier = await ctx().db.select().from(studyDays).where(eq(studyDays.memberId, m.memberId));
    const before = (day: string) => earlier.find((d) => d.day === day)?.minutes ?? 0;
    const started = await post(token, '/api/study/sessions', { way: 'platform', topic: '夜读党史' });
    const id = started.body.session.id as number;
    await studyWithPage(token, id, 70);
    const finished = await post(token, `/api/study/sessions/${id}/finish`);
    expect(finished.body.session).toMatchObject({ status: 'finished', creditedMinutes: 70, creditedDay: '2026-06-16' });
    expect(finished.body.entries.map((e: { day: string; minutes: number }) => [e.day, e.minutes])).toEqual([
      ['2026-06-15', 30],
      ['2026-06-16', 40],
    ]);
    const days = await ctx().db.select().from(studyDays).where(and(eq(studyDays.memberId, m.memberId), sql`${studyDays.day} in ('2026-06-15', '2026-06-16')`));
    expect(days.map((d) => [d.day, d.minutes - before(d.day)]).sort()).toEqual([
      ['2026-06-15', 30],
      ['2026-06-16', 40],
    ]);
    // A retry answers both entries again and credits nothing more.
    const again = await post(token, `/api/study/sessions/${id}/finish`);
    expect(again.body.entries).toHaveLength(2);
  });

  it('caps a session at 120 minutes even with the page open; a start after a lapsed one closes it at its last confirmation', async () => {
    const m = await freshMember();
    const started = await post(m.token, '/api/study/sessions', { way: 'platform', topic: '学习强国' });
    await studyWithPage(m.token, started.body.session.id, 120);
    ctx().clock.advance(10);
    const finished = await post(m.token, `/api/study/sessions/${started.body.session.id}/finish`);
    expect(finished.body.session).toMatchObject({ status: 'expired', creditedMinutes: 120 });

    const first = await post(m.token, '/api/study/sessions', { way: 'platform', topic: 'A' });
    ctx().clock.advance(6 * 60); // left open, no page
    const second = await post(m.token, '/api/study/sessions', { way: 'platform', topic: 'B' });
    expect(second.status).toBe(201);
    const [entry] = await ctx().db.select().from(studyEntries).where(eq(studyEntries.sessionId, first.body.session.id));
    expect(entry).toMatchObject({ minutes: 5 });
  });

  it('only the member confirms their own timer; presence is private', async () => {
    const m = await freshMember();
    const started = await post(m.token, '/api/study/sessions', { way: 'platform', topic: '党章' });
    const other = await freshMember(m.organizationId);
    expectError(await post(other.token, `/api/study/sessions/${started.body.session.id}/presence`), 404, 'not_found');
    const secretary = await secretaryOf(m.organizationId);
    const res = await ctx().call('GET', `/api/study/organizations/${m.organizationId}/week`, { token: secretary.token });
    expect(JSON.stringify(res.body)).not.toMatch(/lastSeen|last_seen|creditEnds|presence/);
  });

  it('caps self-reported minutes at 60 per member per day, 代录 included', async () => {
    const m = await freshMember();
    expectError(await checkin(m.token, report(61)), 400, 'validation_failed');
    expectError(await checkin(m.token, report(30, { day: '2026-06-01' })), 400, 'validation_failed');
    expect((await checkin(m.token, report(40))).body).toMatchObject({ minutes: 40, requestedMinutes: 40 });
    expect((await checkin(m.token, report(40))).body).toMatchObject({ minutes: 20, requestedMinutes: 40 });
    const full = await checkin(m.token, report(5));
    expectError(full, 422, 'unprocessable');
    expect(full.body.error.message).toContain('60分钟');
    const secretary = await secretaryOf(m.organizationId);
    expectError(await checkin(secretary.token, report(10, { memberId: m.memberId })), 422, 'unprocessable');
    // The next day starts afresh.
    ctx().clock.set(new Date('2026-06-16T08:00:00+08:00'));
    expect((await checkin(await ctx().login('member', m.accountId), report(60))).body).toMatchObject({ minutes: 60, day: '2026-06-16' });
  });

  it('replays the same key and body, refuses the same key with another body (422), requires a key', async () => {
    const m = await freshMember();
    const idem = key();
    const first = await checkin(m.token, report(12), idem);
    expect(first.status).toBe(201);
    const replay = await checkin(m.token, report(12), idem);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expectError(await checkin(m.token, report(13), idem), 422, 'idempotency_mismatch');
    expectError(await checkin(m.token, report(12), null), 400, 'bad_request');
    const rows = await ctx().db.select().from(studyEntries).where(eq(studyEntries.idempotencyKey, idem));
    expect(rows).toHaveLength(1);
  });

  it('a check-in is one SQL statement; my study, the day list and the summary at most two', async () => {
    const m = await freshMember();
    const secretary = await secretaryOf(m.organizationId);
    const staff = await ctx().login('staff');
    const count = async (fn: () => Promise<{ status: number }>) => {
      const { result, statements } = await statementCounter.measure(fn);
      expect(result.status).toBeLessThan(300);
      return statements;
    };
    expect(await count(() => checkin(m.token, report(10)))).toBe(1);
    const idem = key();
    await checkin(m.token, report(10), idem);
    expect(await count(() => checkin(m.token, report(10), idem))).toBe(1); // replay
    expect(await count(() => ctx().call('GET', '/api/study/me', { token: m.token }))).toBeLessThanOrEqual(2);
    expect(await count(() => ctx().call('GET', `/api/study/organizations/${secretary.branchId}/week`, { token: secretary.token }))).toBeLessThanOrEqual(2);
    expect(await count(() => ctx().call('GET', '/api/study/summary', { token: staff }))).toBeLessThanOrEqual(2);
  });

  // PGlite is single-connection: only the real server can race.
  it.runIf(driver === 'neon')('fifty concurrent identical check-ins leave one record; concurrent different ones never pass the daily cap', async () => {
    const m = await freshMember();
    const idem = key();
    const results = await Promise.all(Array.from({ length: 50 }, () => checkin(m.token, report(25), idem)));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await ctx().db.select().from(studyEntries).where(eq(studyEntries.idempotencyKey, idem))).toHaveLength(1);
    const [day] = await ctx().db.select().from(studyDays).where(and(eq(studyDays.memberId, m.memberId), eq(studyDays.day, '2026-06-15')));
    expect(day).toMatchObject({ selfReportedMinutes: 25 });

    const parallel = await Promise.all(Array.from({ length: 10 }, () => checkin(m.token, report(20))));
    const credited = parallel.filter((r) => r.status === 201).reduce((sum, r) => sum + (r.body.minutes as number), 0);
    expect(credited).toBe(35);
    for (const r of parallel) expect([201, 422]).toContain(r.status);
    const [after] = await ctx().db.select().from(studyDays).where(and(eq(studyDays.memberId, m.memberId), eq(studyDays.day, '2026-06-15')));
    expect(after).toMatchObject({ selfReportedMinutes: 60 });
  });

});
