// Writes queued on a phone without signal (issue 22): they land on the Shanghai day they were made, within
// OFFLINE_BOUND_HOURS, marked 离线补传 and audited; claims the server cannot bound are refused; replays stay exact.
process.env.TZ = 'UTC';

import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { memberCategories } from '../../shared/common.js';
import { studyWays } from '../../shared/study.js';
import { OFFLINE_BOUND_HOURS, type QueuedClaim } from '../../shared/queued-writes.js';
import { auditLog, birthdaySignIns, members, studyEntries } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { studyWorld } from '../helpers/study-world.js';

const key = () => `offline-${randomUUID()}`;
const hour = 3_600_000;

/**
 * What the phone sends: it last synced at `syncAt` (server time) with its own clock `skewMs` off, and the
 * member acted at `actAt` (server time). The server sees only the phone's readings.
 */
function claim(actAt: string | Date, syncAt: string | Date, skewMs = -3 * hour): QueuedClaim {
  const act = new Date(actAt).getTime();
  const sync = new Date(syncAt).getTime();
  return {
    recordedAt: new Date(act + skewMs).toISOString(),
    serverTimeAtSync: new Date(sync).toISOString(),
    deviceTimeAtSync: new Date(sync + skewMs).toISOString(),
  };
}

describeEachDriver('offline queued writes', (ctx, driver) => {
  // The study suites' world: unused members, their branch's secretary, writes under a key; the clock reset after each test.
  const { freshMember, secretaryOf, post } = studyWorld(ctx);
  const secretaryToken = async (organizationId: number) => (await secretaryOf(organizationId)).token;
  const at = (iso: string) => ctx().clock.set(new Date(iso));
  const report = (minutes: number, queued?: QueuedClaim) => ({ way: studyWays[4], topic: '阅读党章（纸质版）', minutes, ...(queued ? { queued } : {}) });

  it('a check-in made offline at 23:50 and sent the next morning lands on its own day, marked 离线补传, audited; replays stay exact', async () => {
    const m = await freshMember();
    const queued = claim('2026-06-15T23:50:00+08:00', '2026-06-15T21:00:00+08:00');
    const idem = key();
    at('2026-06-16T08:00:00+08:00');
    const first = await post(m.token, '/api/study/checkins', report(30, queued), idem);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ day: '2026-06-15', minutes: 30, offlineLate: true, recordedAt: '2026-06-15T15:50:00.000Z' });
    // The same upload again (the answer was lost), even after the bound has passed: the same record.
    at('2026-06-17T09:00:00+08:00');
    const replay = await post(m.token, '/api/study/checkins', report(30, queued), idem);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const rows = await ctx().db.select().from(studyEntries).where(and(eq(studyEntries.memberId, m.memberId), eq(studyEntries.idempotencyKey, idem)));
    expect(rows.map((r) => [r.day, r.offlineLate])).toEqual([['2026-06-15', true]]);
    const audit = await ctx().db.select().from(auditLog)
      .where(and(eq(auditLog.action, 'study.offline_checkin'), eq(auditLog.targetId, String(m.memberId))));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ entryId: first.body.id, offlineLate: true, day: '2026-06-15' });

    // Sent at once through the same path (online): today, not late, not audited as late.
    at('2026-06-17T09:00:00+08:00');
    const now = await post(m.token, '/api/study/checkins', report(10, claim('2026-06-17T08:59:30+08:00', '2026-06-17T08:59:00+08:00')));
    expect(now.body).toMatchObject({ day: '2026-06-17', offlineLate: false });
  });

  it('refuses claims it cannot bound, with a plain message, and writes nothing', async () => {
    const m = await freshMember();
    const count = async () => (await ctx().db.select().from(studyEntries).where(eq(studyEntries.memberId, m.memberId))).length;
    const before = await count();
    at('2026-06-16T10:00:00+08:00');
    // Last synced more than the bound ago.
    const old = `2026-06-15T${String(9).padStart(2, '0')}:00:00+08:00`;
    let res = await post(m.token, '/api/study/checkins', report(20, claim('2026-06-15T09:30:00+08:00', old)));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unprocessable', details: { reason: 'too_old' } });
    expect(res.body.error.message).toContain(`${OFFLINE_BOUND_HOURS}小时`);
    // A sync "in the future" of the server.
    res = await post(m.token, '/api/study/checkins', report(20, claim('2026-06-16T11:00:00+08:00', '2026-06-16T10:30:00+08:00')));
    expect(res.body.error).toMatchObject({ code: 'unprocessable', details: { reason: 'no_sync' } });
    // The phone's clock set back after the sync: the act would fall before it.
    const bad = claim('2026-06-16T09:00:00+08:00', '2026-06-16T09:00:00+08:00');
    bad.recordedAt = new Date(new Date(bad.deviceTimeAtSync).getTime() - 2 * hour).toISOString();
    res = await post(m.token, '/api/study/checkins', report(20, bad));
    expect(res.body.error).toMatchObject({ code: 'unprocessable', details: { reason: 'clock' } });
    // A recent sync does not lend its freshness to an act claimed long before it.
    const stretched = claim('2026-06-15T08:00:00+08:00', '2026-06-16T09:00:00+08:00');
    res = await post(m.token, '/api/study/checkins', report(20, stretched));
    expect(res.status).toBe(422);
    expect(await count()).toBe(before);
  });

  it('a collective-study sign-in scanned offline in the room is credited after the event; a code shown later or a late upload is refused', async () => {
    const m = await freshMember();
    const secretary = await secretaryToken(m.organizationId);
    at('2026-06-15T09:00:00+08:00');
    const created = await post(secretary, '/api/study/events', {
      way: studyWays[2], topic: '集中学习：党章', place: '村党群服务中心',
      startsAt: '2026-06-15T09:30:00+08:00', endsAt: '2026-06-15T11:00:00+08:00',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const eventId = created.body.id as number;
    at('2026-06-15T10:00:00+08:00');
    const qr = await ctx().call('GET', `/api/study/events/${eventId}/qr`, { token: secretary });
    const path = `/api/study/events/${eventId}/sign-in`;

    at('2026-06-15T14:00:00+08:00'); // back in signal, hours after the event and the code's expiry
    expect((await post(m.token, path, { token: qr.body.token })).body.error.details).toEqual({ reason: 'expired' });
    // Claimed scanned before the code was on screen.
    let res = await post(m.token, path, { token: qr.body.token, queued: claim('2026-06-15T09:50:00+08:00', '2026-06-15T09:40:00+08:00') });
    expect(res.body.error).toMatchObject({ code: 'unprocessable', details: { reason: 'invalid' } });
    const queued = claim('2026-06-15T10:01:00+08:00', '2026-06-15T08:30:00+08:00');
    const idem = key();
    res = await post(m.token, path, { token: qr.body.token, queued }, idem);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ alreadySignedIn: false, entry: { eventId, day: '2026-06-15', minutes: 90, source: 'event_scan', offlineLate: true } });
    const again = await post(m.token, path, { token: qr.body.token, queued }, idem);
    expect(again.body).toEqual(res.body);
    const audit = await ctx().db.select().from(auditLog).where(and(eq(auditLog.action, 'study.offline_sign_in'), eq(auditLog.actorAccountId, m.accountId)));
    expect(audit).toHaveLength(1);

    // Another member kept the scan on the phone past the bound.
    const late = await freshMember(m.organizationId);
    at('2026-06-16T10:30:00+08:00');
    res = await post(late.token, path, { token: qr.body.token, queued: claim('2026-06-15T10:02:00+08:00', '2026-06-15T08:30:00+08:00') });
    expect(res.body.error).toMatchObject({ code: 'unprocessable', details: { reason: 'too_old' } });
    expect(await ctx().db.select().from(studyEntries).where(and(eq(studyEntries.memberId, late.memberId), eq(studyEntries.eventId, eventId)))).toEqual([]);
  });

  it('a timer finished offline closes when the member tapped 结束, not when the upload arrived', async () => {
    const m = await freshMember();
    at('2026-06-15T10:00:00+08:00');
    const started = await post(m.token, '/api/study/sessions', { way: studyWays[4], topic: '学习党章' });
    expect(started.status).toBe(201);
    const id = started.body.session.id as number;
    at('2026-06-15T10:02:00+08:00');
    expect((await post(m.token, `/api/study/sessions/${id}/presence`, {}, null)).status).toBe(200);
    at('2026-06-15T12:00:00+08:00');
    const res = await post(m.token, `/api/study/sessions/${id}/finish`, { queued: claim('2026-06-15T10:04:30+08:00', '2026-06-15T10:02:00+08:00') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.session, JSON.stringify(res.body)).toMatchObject({ status: 'finished', creditedMinutes: 4, finishedAt: '2026-06-15T02:04:30.000Z' });
    expect(res.body.entries).toEqual([expect.objectContaining({ minutes: 4, day: '2026-06-15', offlineLate: true })]);
  });

  it('a political-birthday sign-in made offline on the last evening of its month counts after the month closed', async () => {
    const m = await freshMember();
    await ctx().db.update(members).set({ joinedAt: '2001-06-20', confirmedAt: '2002-06-20', category: memberCategories[0] }).where(eq(members.id, m.memberId));
    at('2026-07-01T09:00:00+08:00');
    const online = await post(m.token, '/api/birthdays/sign-in', { oathConfirmed: true }, null);
    expect(online.status).toBe(409); // July: the June window is closed for a sign-in made now
    const queued = claim('2026-06-30T22:00:00+08:00', '2026-06-30T20:00:00+08:00');
    const idem = key();
    const res = await post(m.token, '/api/birthdays/sign-in', { oathConfirmed: true, reflection: '不忘初心', queued }, idem);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ alreadySignedIn: false, signIn: { year: 2026, years: 25, offlineLate: true, signedAt: '2026-06-30T14:00:00.000Z' } });
    const replay = await post(m.token, '/api/birthdays/sign-in', { oathConfirmed: true, reflection: '不忘初心', queued }, idem);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(res.body);
    const stale = await post(m.token, '/api/birthdays/sign-in', { oathConfirmed: true, queued: claim('2026-06-29T22:00:00+08:00', '2026-06-29T20:00:00+08:00') });
    expect(stale.body.error).toMatchObject({ code: 'unprocessable', details: { reason: 'too_old' } });
    expect(await ctx().db.select().from(birthdaySignIns).where(eq(birthdaySignIns.memberId, m.memberId))).toHaveLength(1);
    const audit = await ctx().db.select().from(auditLog).where(and(eq(auditLog.action, 'birthdays.offline_sign_in'), eq(auditLog.targetId, String(m.memberId))));
    expect(audit).toHaveLength(1);
  });

  it.runIf(driver === 'neon')('fifty parallel replays of one queued check-in and of one queued sign-in leave one record each', async () => {
    const m = await freshMember();
    const secretary = await secretaryToken(m.organizationId);
    at('2026-06-15T09:00:00+08:00');
    const created = await post(secretary, '/api/study/events', {
      way: studyWays[2], topic: '集中学习：条例', place: '村部',
      startsAt: '2026-06-15T09:00:00+08:00', endsAt: '2026-06-15T10:00:00+08:00',
    });
    const eventId = created.body.id as number;
    const qr = await ctx().call('GET', `/api/study/events/${eventId}/qr`, { token: secretary });
    at('2026-06-15T20:00:00+08:00');
    const body = report(25, claim('2026-06-15T16:00:00+08:00', '2026-06-15T08:00:00+08:00'));
    const idem = key();
    const checkins = await Promise.all(Array.from({ length: 50 }, () => post(m.token, '/api/study/checkins', body, idem)));
    expect(new Set(checkins.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(checkins.map((r) => r.body.id)).size).toBe(1);
    const signBody = { token: qr.body.token, queued: claim('2026-06-15T09:01:00+08:00', '2026-06-15T08:00:00+08:00') };
    const signKey = key();
    const signIns = await Promise.all(Array.from({ length: 50 }, () => post(m.token, `/api/study/events/${eventId}/sign-in`, signBody, signKey)));
    expect(new Set(signIns.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(signIns.map((r) => r.body.entry.id)).size).toBe(1);
    const rows = await ctx().db.select().from(studyEntries).where(and(eq(studyEntries.memberId, m.memberId), eq(studyEntries.offlineLate, true)));
    expect(rows.map((r) => r.source).sort()).toEqual(['event_scan', 'self_report']);
    const audits = await ctx().db.select().from(auditLog)
      .where(and(inArray(auditLog.action, ['study.offline_checkin', 'study.offline_sign_in']), eq(auditLog.actorAccountId, m.accountId)));
    expect(audits).toHaveLength(2);
  });
});
