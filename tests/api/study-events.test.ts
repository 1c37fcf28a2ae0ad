// The process runs in UTC here, as on Vercel: study days must still follow the Asia/Shanghai clock.
process.env.TZ = 'UTC';

import { SignJWT } from 'jose';
import { expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { signEventToken } from '../../api/_domains/study.js';
import { auditLog, studyEntries } from '../../db/schema/index.js';
import { TEST_NOW } from '../helpers/constants.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError, report, studyWorld } from '../helpers/study-world.js';

describeEachDriver('study: 代录 and collective study events', (ctx) => {
  const { freshMember, secretaryOf, pick, checkin, post } = studyWorld(ctx);

  it('代录: a secretary records for a member of their own branch (marked and audited), never another branch', async () => {
    const m = await freshMember();
    const secretary = await secretaryOf(m.organizationId);
    const res = await checkin(secretary.token, report(30, { way: 'branch', topic: '书记上门送学', memberId: m.memberId }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ memberId: m.memberId, source: 'proxy', minutes: 30 });
    const audit = await ctx().db.select().from(auditLog).where(and(eq(auditLog.action, 'study.proxy_checkin'), eq(auditLog.targetId, String(m.memberId))));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorAccountId: secretary.accountId, details: { entryId: res.body.id, minutes: 30 } });

    const elsewhere = await pick((x) => x.role === 'member' && x.organizationId !== m.organizationId);
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
    const outsider = await pick((x) => x.role === 'member' && x.organizationId !== m.organizationId, true);
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
    const elsewhere = await pick((x) => x.role === 'member' && x.organizationId !== a.organizationId);
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

});
