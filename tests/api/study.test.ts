// The process runs in UTC here, as on Vercel: study days must still follow the Asia/Shanghai clock.
process.env.TZ = 'UTC';

import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { signEventToken } from '../../api/_domains/study.js';
import { rowsOf, statementCounter } from '../../db/client.js';
import { sealIdNumber } from '../../db/pii.js';
import { accounts, auditLog, members, studyDays, studyEntries } from '../../db/schema/index.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { TEST_NOW } from '../helpers/constants.js';
import { branchesOf } from '../helpers/townships.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';

const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
};

interface Person {
  accountId: number;
  memberId: number;
  organizationId: number;
  role: string;
}

/** Demo accounts with their member and branch, so each test can take people no other test touches. */
async function people(ctx: TestContext): Promise<Person[]> {
  return ctx.db
    .select({ accountId: accounts.id, memberId: members.id, organizationId: members.organizationId, role: accounts.role })
    .from(accounts)
    .innerJoin(members, eq(members.id, accounts.memberId))
    .where(eq(accounts.isDemo, 1))
    .orderBy(accounts.id) as Promise<Person[]>;
}

const key = () => `test-${randomUUID()}`;
const report = (minutes: number, extra: Record<string, unknown> = {}) => ({ way: 'platform', topic: '学习党章', minutes, ...extra });

describeEachDriver('study', (ctx, driver) => {
  let pool: Person[] | undefined;
  const used = new Set<number>();
  /** A fresh ordinary member (from branch `branchIndex`'s order if given) no earlier test used. */
  async function freshMember(organizationId?: number): Promise<Person & { token: string }> {
    pool ??= await people(ctx());
    const p = pool.find((x) => x.role === 'member' && !used.has(x.accountId) && (organizationId === undefined || x.organizationId === organizationId));
    if (!p) throw new Error('no unused member left');
    used.add(p.accountId);
    return { ...p, token: await ctx().login('member', p.accountId) };
  }
  async function secretaryOf(organizationId: number) {
    pool ??= await people(ctx());
    const p = pool.find((x) => x.role === 'secretary' && x.organizationId === organizationId);
    if (!p) throw new Error('no secretary');
    const [account] = await ctx().db.select().from(accounts).where(eq(accounts.id, p.accountId));
    return { ...p, branchId: account!.organizationId!, token: await ctx().login('secretary', p.accountId) };
  }
  const checkin = (token: string, body: unknown, idem: string | null = key()) =>
    ctx().call('POST', '/api/study/checkins', { token, body, headers: idem ? { 'idempotency-key': idem } : {} });
  const post = (token: string, path: string, body: unknown = {}) =>
    ctx().call('POST', path, { token, body, headers: { 'idempotency-key': key() } });

  afterEach(() => ctx().clock.set(new Date(TEST_NOW)));

  /** The open timer page: `minutes` of study, confirming presence every 3 minutes as the app does. */
  async function studyWithPage(token: string, sessionId: number, minutes: number) {
    for (let left = minutes; left > 0; left -= 3) {
      ctx().clock.advance(Math.min(3, left));
      if (left > 3) expect((await post(token, `/api/study/sessions/${sessionId}/presence`)).body.session.status).toBe('open');
    }
  }

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

  it('代录: a secretary records for a member of their own branch (marked and audited), never another branch', async () => {
    const m = await freshMember();
    const secretary = await secretaryOf(m.organizationId);
    const res = await checkin(secretary.token, report(30, { way: 'branch', topic: '书记上门送学', memberId: m.memberId }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ memberId: m.memberId, source: 'proxy', minutes: 30 });
    const audit = await ctx().db.select().from(auditLog).where(and(eq(auditLog.action, 'study.proxy_checkin'), eq(auditLog.targetId, String(m.memberId))));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorAccountId: secretary.accountId, details: { entryId: res.body.id, minutes: 30 } });

    const elsewhere = pool!.find((x) => x.role === 'member' && x.organizationId !== m.organizationId)!;
    expectError(await checkin(secretary.token, report(30, { memberId: elsewhere.memberId })), 403, 'forbidden');
    expectError(await checkin(secretary.token, report(30, { memberId: 999_999 })), 404, 'not_found');
    // A member cannot record for someone else.
    const other = await freshMember(m.organizationId);
    expectError(await checkin(other.token, report(30, { memberId: m.memberId })), 403, 'forbidden');
    // An applicant (not yet a member) cannot study-check-in at all.
    expectError(await checkin(await ctx().login('applicant'), report(10)), 403, 'forbidden');
  });

  it('the sign-in code of an event later today is not an error: it says when it opens (an hour before), then opens, then says when it closed', async () => {
    const m = await freshMember();
    const secretary = await secretaryOf(m.organizationId);
    const created = await post(secretary.token, '/api/study/events', {
      way: 'branch',
      topic: '集中学习：下午场',
      place: '村部会议室',
      startsAt: '2026-06-15T15:00:00+08:00',
      endsAt: '2026-06-15T16:00:00+08:00',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const qrOf = () => ctx().call('GET', `/api/study/events/${created.body.id}/qr`, { token: secretary.token });
    let qr = await qrOf();
    expect(qr.status, JSON.stringify(qr.body)).toBe(200);
    expect(qr.body).toEqual({ status: 'not_open', opensAt: '2026-06-15T06:00:00.000Z', serverNow: expect.stringMatching(/^2026-06-15T02:/) });
    ctx().clock.set(new Date('2026-06-15T14:00:00+08:00'));
    qr = await qrOf();
    expect(qr.body).toMatchObject({ status: 'open', qrImage: expect.stringMatching(/^data:image\/png;base64,/) });
    ctx().clock.set(new Date('2026-06-15T17:01:00+08:00'));
    qr = await qrOf();
    expect(qr.body).toEqual({ status: 'closed', closedAt: '2026-06-15T09:00:00.000Z' });
    ctx().clock.set(new Date(TEST_NOW));
  });

  it('QR sign-in: short-lived signed token; expiry, forgery, another event and another branch are refused', async () => {
    const m = await freshMember();
    const secretary = await secretaryOf(m.organizationId);
    const created = await post(secretary.token, '/api/study/events', {
      way: 'branch',
      topic: '主题党日：学习党章',
      place: '村党群服务中心',
      startsAt: '2026-06-15T09:30:00+08:00',
      endsAt: '2026-06-15T11:00:00+08:00',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ minutes: 90, day: '2026-06-15', organizationId: secretary.branchId });
    const eventId = created.body.id as number;
    const qr = await ctx().call('GET', `/api/study/events/${eventId}/qr`, { token: secretary.token });
    expect(qr.status).toBe(200);
    expect(qr.body.status).toBe('open');
    expect(qr.body.qrImage).toMatch(/^data:image\/png;base64,/);
    expect(qr.body.qrText).toBe(`dangjian:study-sign-in:${eventId}:${qr.body.token}`);
    expect(new Date(qr.body.expiresAt).getTime() - ctx().clock.now().getTime()).toBeLessThanOrEqual(180_000);

    // Forged: right claims, wrong key. Session tokens are not QR tokens either.
    const forged = await new SignJWT({ ev: eventId }).setProtectedHeader({ alg: 'HS256' }).setIssuer('dangjian').setAudience('study-event-sign-in')
      .setExpirationTime('5m').sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
    let res = await post(m.token, `/api/study/events/${eventId}/sign-in`, { token: forged });
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details).toEqual({ reason: 'invalid' });
    expectError(await post(m.token, `/api/study/events/${eventId}/sign-in`, { token: m.token }), 422, 'unprocessable');
    // A genuine token of another event.
    const otherEventToken = (await signEventToken(eventId + 1000, ctx().config.sessionSecret, ctx().clock.now())).token;
    expectError(await post(m.token, `/api/study/events/${eventId}/sign-in`, { token: otherEventToken }), 422, 'unprocessable');

    // Expired: four minutes later the displayed code no longer works.
    ctx().clock.advance(4);
    res = await post(m.token, `/api/study/events/${eventId}/sign-in`, { token: qr.body.token });
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details).toEqual({ reason: 'expired' });

    const fresh = await ctx().call('GET', `/api/study/events/${eventId}/qr`, { token: secretary.token });
    res = await post(m.token, `/api/study/events/${eventId}/sign-in`, { token: fresh.body.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ alreadySignedIn: false, entry: { minutes: 90, source: 'event_scan', eventId, day: '2026-06-15' } });
    res = await post(m.token, `/api/study/events/${eventId}/sign-in`, { token: fresh.body.token });
    expect(res.body).toMatchObject({ alreadySignedIn: true });
    expect(await ctx().db.select().from(studyEntries).where(and(eq(studyEntries.eventId, eventId), eq(studyEntries.memberId, m.memberId)))).toHaveLength(1);

    // A member of another branch, holding a valid code, is refused.
    const outsider = pool!.find((x) => x.role === 'member' && x.organizationId !== m.organizationId && !used.has(x.accountId))!;
    used.add(outsider.accountId);
    const outsiderToken = await ctx().login('member', outsider.accountId);
    expectError(await post(outsiderToken, `/api/study/events/${eventId}/sign-in`, { token: fresh.body.token }), 403, 'forbidden');
    // The other branch's secretary can neither show the code nor tick attendees.
    const otherSecretary = await secretaryOf(outsider.organizationId);
    expectError(await ctx().call('GET', `/api/study/events/${eventId}/qr`, { token: otherSecretary.token }), 403, 'forbidden');
    expectError(await post(otherSecretary.token, `/api/study/events/${eventId}/attendees`, { memberIds: [outsider.memberId] }), 403, 'forbidden');
    // Members cannot show a QR code.
    expectError(await ctx().call('GET', `/api/study/events/${eventId}/qr`, { token: m.token }), 403, 'forbidden');

    // The list shows attendance: the member sees it attended; the secretary sees who.
    const mine = await ctx().call('GET', '/api/study/events', { token: m.token });
    expect(mine.body.events.find((e: { id: number }) => e.id === eventId)).toMatchObject({ attended: true, attendeeCount: 1, attendees: null });
    const theirs = await ctx().call('GET', '/api/study/events', { token: secretary.token });
    expect(theirs.body.events.find((e: { id: number }) => e.id === eventId).attendees).toEqual([
      expect.objectContaining({ memberId: m.memberId, source: 'event_scan' }),
    ]);
    expect((await ctx().call('GET', '/api/study/events', { token: otherSecretary.token })).body.events.some((e: { id: number }) => e.id === eventId)).toBe(false);
  });

  it('ticked attendees are credited the event duration once each; secretaries tick only their own branch', async () => {
    const a = await freshMember();
    const b = await freshMember(a.organizationId);
    const secretary = await secretaryOf(a.organizationId);
    const event = await post(secretary.token, '/api/study/events', {
      way: 'education_base', topic: '参观村史馆', place: '村史馆', startsAt: '2026-06-15T08:00:00+08:00', endsAt: '2026-06-15T09:15:00+08:00',
    });
    const path = `/api/study/events/${event.body.id}/attendees`;
    let res = await post(secretary.token, path, { memberIds: [a.memberId, b.memberId, a.memberId] });
    expect(res.body).toEqual({ minutes: 75, credited: [a.memberId, b.memberId].sort((x, y) => x - y), alreadyCredited: [] });
    res = await post(secretary.token, path, { memberIds: [a.memberId] });
    expect(res.body).toEqual({ minutes: 75, credited: [], alreadyCredited: [a.memberId] });
    const elsewhere = pool!.find((x) => x.role === 'member' && x.organizationId !== a.organizationId)!;
    expectError(await post(secretary.token, path, { memberIds: [elsewhere.memberId] }), 403, 'forbidden');
    expectError(await post(a.token, path, { memberIds: [a.memberId] }), 403, 'forbidden');
    const me = await ctx().call('GET', '/api/study/me', { token: b.token });
    expect(me.body.recent[0]).toMatchObject({ source: 'event_ticked', minutes: 75 });

    // Events: a secretary creates only for their own branch; times must make sense.
    expectError(await post(secretary.token, '/api/study/events', {
      organizationId: elsewhere.organizationId, way: 'branch', topic: 'x', place: 'y', startsAt: '2026-06-16T08:00:00+08:00', endsAt: '2026-06-16T09:00:00+08:00',
    }), 403, 'forbidden');
    expectError(await post(secretary.token, '/api/study/events', {
      way: 'branch', topic: 'x', place: 'y', startsAt: '2026-06-16T09:00:00+08:00', endsAt: '2026-06-16T08:00:00+08:00',
    }), 400, 'validation_failed');
    expectError(await post(a.token, '/api/study/events', {
      way: 'branch', topic: 'x', place: 'y', startsAt: '2026-06-16T08:00:00+08:00', endsAt: '2026-06-16T09:00:00+08:00',
    }), 403, 'forbidden');
  });

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

    const otherBranch = pool!.find((x) => x.role === 'secretary' && x.organizationId !== m.organizationId)!;
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
