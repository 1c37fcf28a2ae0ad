/** Collective study events (集中学习) and their QR sign-in or ticked attendance. */
import { sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { addDays, shanghaiDate } from '../../../shared/calendar.js';
import * as studyApi from '../../../shared/study.js';
import { EVENT_MAX_MINUTES, QR_REFRESH_SECONDS, signInPhase, signInQrText, signInWindow, type StudyEvent } from '../../../shared/study.js';
import { queryRows, type Db } from '../../../db/client.js';
import type { Principal } from '../../_app/auth.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, forbidden, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { organizationScope, seesSubtree, subtreeOf } from '../../_app/scope.js';
import { writeAudit } from '../../_app/audit.js';
import { alias } from 'drizzle-orm/pg-core';
import { members, organizations, studyEntries, studyEvents } from '../../../db/schema/index.js';
import { col, cols, iso, selectAs } from '../../../db/sql.js';
import { resolveQueuedTime } from '../../../shared/queued-writes.js';
import { signEventToken, verifyEventToken } from './qr-token.js';
import { entryJson, type EntryRow, activeMember, candidates, creditStatement, ownMemberId, toEntry } from './sql.js';

// ---------------------------------------------------------------- events

const ev = alias(studyEvents, 'ev');
const o = alias(organizations, 'o');
const e = alias(studyEntries, 'e');
const m = alias(members, 'm');

const EVENT_FIELDS = ['id', 'organizationId', 'way', 'topic', 'place', 'startsAt', 'endsAt', 'day', 'minutes'] as const;
type EventRow = Pick<typeof studyEvents.$inferSelect, (typeof EVENT_FIELDS)[number]> & {
  organizationName: string;
  organizationPath: string;
};

/** An event with its organization's name and path (`from ${EVENT_FROM}`). */
const EVENT_COLUMNS = sql`${selectAs(ev, EVENT_FIELDS.filter((f) => f !== 'day'))}, ${ev.day}::text as "day",
  ${o.name} as "organizationName", ${o.path} as "organizationPath"`;
const EVENT_FROM = sql`${studyEvents} ${ev} join ${organizations} ${o} on ${o.id} = ${ev.organizationId}`;

async function loadEvent(db: Db, id: number): Promise<EventRow> {
  const [row] = await queryRows<EventRow>(
    db,
    sql`select ${EVENT_COLUMNS} from ${EVENT_FROM} where ${ev.id} = ${id}::int`,
  );
  if (!row) throw notFound('学习活动');
  return row;
}

/** Officers manage events of their own branch (secretary) or township (staff). */
async function assertOfficerManagesEvent(db: Db, p: Principal, event: EventRow): Promise<void> {
  if (p.role === 'secretary' && event.organizationId === p.organizationId) return;
  if (p.role === 'staff' && p.organizationId != null) {
    const [root] = await queryRows<Pick<typeof organizations.$inferSelect, 'path'>>(
      db,
      sql`select ${o.path} as "path" from ${organizations} ${o} where ${o.id} = ${p.organizationId}::int`,
    );
    if (root && event.organizationPath.startsWith(root.path)) return;
  }
  throw forbidden('只能管理本支部的学习活动');
}

function toEvent(row: EventRow, extra: { attendeeCount: number; attended: boolean; attendees: StudyEvent['attendees'] }): StudyEvent {
  return {
    id: row.id,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    way: row.way,
    topic: row.topic,
    place: row.place,
    startsAt: iso(row.startsAt),
    endsAt: iso(row.endsAt),
    day: row.day,
    minutes: row.minutes,
    ...extra,
  };
}

export const createEvent = route(studyApi.createEvent, async (ctx) => {
  const p = ctx.user;
  const startsAt = new Date(ctx.body.startsAt);
  const endsAt = new Date(ctx.body.endsAt);
  const minutes = Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);
  if (minutes < 1) throw new ApiError('validation_failed', '结束时间必须晚于开始时间');
  if (minutes > EVENT_MAX_MINUTES) throw new ApiError('validation_failed', `一次集中学习最长${EVENT_MAX_MINUTES / 60}小时`);
  const day = shanghaiDate(startsAt);
  if (shanghaiDate(new Date(endsAt.getTime() - 1)) !== day) throw new ApiError('validation_failed', '集中学习须在同一天内开始和结束');
  if (day < addDays(ctx.today, -30) || day > addDays(ctx.today, 90)) {
    throw new ApiError('validation_failed', '活动日期须在最近30天到未来90天之间');
  }
  let organizationId = ctx.body.organizationId ?? p.organizationId;
  if (organizationId == null) throw forbidden();
  if (p.role === 'secretary' && organizationId !== p.organizationId) throw forbidden('只能为本支部创建学习活动');
  return withIdempotency(ctx, 'study.event.create', async (tx) => {
    const [org] = await queryRows<{ id: number; allowed: boolean }>(
      tx,
      sql`select ${o.id} as "id", (${organizationScope(p, sql`${o.id}`)}) as allowed from ${organizations} ${o} where ${o.id} = ${organizationId}::int`,
    );
    if (!org) throw notFound('组织');
    if (!org.allowed) throw forbidden('只能为本镇的组织创建学习活动');
    organizationId = org.id;
    const [created] = await queryRows<{ id: number }>(
      tx,
      sql`insert into ${studyEvents} ${cols(ev.organizationId, ev.way, ev.topic, ev.place, ev.startsAt, ev.endsAt, ev.day, ev.minutes, ev.createdByAccountId, ev.createdAt)}
          values (${organizationId}::int, ${ctx.body.way}, ${ctx.body.topic}, ${ctx.body.place}, ${startsAt.toISOString()}::timestamptz,
                  ${endsAt.toISOString()}::timestamptz, ${day}::date, ${minutes}::int, ${p.accountId}::int, ${ctx.now.toISOString()}::timestamptz)
          returning ${col(ev.id)}`,
    );
    if (!created) throw new Error('event not created');
    await writeAudit(tx, p, { action: 'study.event.create', targetType: 'study_event', targetId: created.id, details: { ...ctx.body, minutes } }, ctx.now);
    const event = await loadEvent(tx, created.id);
    return new JsonResponse(201, toEvent(event, { attendeeCount: 0, attended: false, attendees: [] }));
  });
});

export const listEvents = route(studyApi.listEvents, async (ctx) => {
  const p = ctx.user;
  const officer = p.role === 'secretary' || seesSubtree(p);
  const filter = ctx.query.organizationId;
  if (filter !== undefined && !officer) throw forbidden('只能查看本人可参加的学习活动');
  if (filter !== undefined && p.role === 'secretary' && filter !== p.organizationId) throw forbidden('只能查看本支部的学习活动');
  const memberId = p.memberId ?? -1;
  // Members see events of their branch and of the committees above it; staff their township.
  const visible =
    seesSubtree(p)
      ? sql`${ev.organizationId} in ${subtreeOf(p.organizationId)}`
      : sql`(select ${o.path} from ${members} ${m} join ${organizations} ${o} on ${o.id} = ${m.organizationId} where ${m.id} = ${memberId}::int)
              like '%/' || ${ev.organizationId} || '/%'`;
  const attendeesInReach = organizationScope(p, sql`${m.organizationId}`);
  const rows = await queryRows<EventRow & { attendee_count: number; attended: boolean; attendees: StudyEvent['attendees'] }>(
    ctx.db,
    sql`select ${EVENT_COLUMNS},
          (select count(*) from ${studyEntries} ${e} where ${e.eventId} = ${ev.id})::int as attendee_count,
          exists (select 1 from ${studyEntries} ${e} where ${e.eventId} = ${ev.id} and ${e.memberId} = ${memberId}::int) as attended,
          ${
            officer
              ? sql`coalesce((select json_agg(json_build_object('memberId', ${m.id}, 'name', ${m.name}, 'source', ${e.source}) order by ${m.name})
                   from ${studyEntries} ${e} join ${members} ${m} on ${m.id} = ${e.memberId}
                   where ${e.eventId} = ${ev.id} and ${attendeesInReach}), '[]'::json)`
              : sql`null::json`
          } as attendees
        from ${EVENT_FROM}
        where ${visible} ${filter !== undefined ? sql`and ${ev.organizationId} = ${filter}::int` : sql``}
        order by ${ev.startsAt} desc, ${ev.id} desc
        limit 50`,
  );
  return {
    events: rows.map((r) => toEvent(r, { attendeeCount: r.attendee_count, attended: r.attended, attendees: r.attendees })),
  };
});

// ---------------------------------------------------------------- QR sign-in

const inSignInWindow = (event: EventRow, now: Date): boolean => signInPhase(event.startsAt, event.endsAt, now) === 'open';

export const eventQr = route(studyApi.eventQr, async (ctx) => {
  const event = await loadEvent(ctx.db, ctx.params.id);
  await assertOfficerManagesEvent(ctx.db, ctx.user, event);
  const phase = signInPhase(event.startsAt, event.endsAt, ctx.now);
  const { opensAt, closesAt } = signInWindow(event.startsAt, event.endsAt);
  if (phase === 'not_open') return { status: phase, opensAt: opensAt.toISOString(), serverNow: ctx.now.toISOString() };
  if (phase === 'closed') return { status: phase, closedAt: closesAt.toISOString() };
  const { token, expiresAt } = await signEventToken(event.id, ctx.deps.config.sessionSecret, ctx.now);
  const qrText = signInQrText(event.id, token);
  const qrImage = await QRCode.toDataURL(qrText, { errorCorrectionLevel: 'M', margin: 2, width: 480 });
  return { status: phase, token, qrText, qrImage, expiresAt: expiresAt.toISOString(), refreshSeconds: QR_REFRESH_SECONDS };
});

/**
 * Scanned in the room. Queued offline (no signal there), the token is checked
 * at the bounded time of the scan, and so is the sign-in window; a replay is
 * answered from the idempotency record before either check, so it stays exact.
 */
export const signIn = route(studyApi.signIn, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  return withIdempotency(ctx, 'study.event.sign-in', async (tx) => {
    const when = resolveQueuedTime(ctx.body.queued, ctx.now);
    if (!when.ok) throw new ApiError('unprocessable', when.message, { reason: when.reason });
    await verifyEventToken(ctx.body.token, ctx.params.id, ctx.deps.config.sessionSecret, when.at);
    const event = await loadEvent(tx, ctx.params.id);
    const member = await activeMember(tx, memberId);
    const [eligible] = await queryRows<{ ok: boolean }>(
      tx,
      sql`select (select ${o.path} from ${organizations} ${o} where ${o.id} = ${member.organizationId}::int) like ${event.organizationPath} || '%' as ok`,
    );
    if (!eligible?.ok) throw forbidden(`此活动属于${event.organizationName}，您不是该组织的党员，不能签到`);
    if (!inSignInWindow(event, when.at)) throw new ApiError('conflict', '不在签到时间内，请联系支部书记登记');
    const [inserted] = await queryRows<{ entry: EntryRow }>(
      tx,
      creditStatement({
        rows: candidates(sql`${memberId}::int`, sql`${member.organizationId}::int`),
        day: event.day,
        minutes: event.minutes,
        way: event.way,
        topic: event.topic,
        source: 'event_scan',
        sessionId: null,
        eventId: event.id,
        accountId: ctx.user.accountId,
        now: ctx.now,
        conflictTarget: sql`${cols(e.eventId, e.memberId)} where ${col(e.eventId)} is not null`,
        recordedAt: ctx.body.queued ? when.at : null,
        offlineLate: when.late,
      }),
    );
    if (inserted && when.late) {
      await writeAudit(tx, ctx.user, {
        action: 'study.offline_sign_in', targetType: 'study_event', targetId: event.id,
        details: { entryId: inserted.entry.id, offlineLate: true, recordedAt: when.at.toISOString() },
      }, ctx.now);
    }
    if (inserted) return { entry: toEntry(inserted.entry), alreadySignedIn: false };
    const [previous] = await queryRows<{ entry: EntryRow }>(
      tx,
      sql`select ${entryJson('e')} as entry from ${studyEntries} ${e} where ${e.eventId} = ${event.id}::int and ${e.memberId} = ${memberId}::int`,
    );
    if (!previous) throw new Error('sign-in neither inserted nor found');
    return { entry: toEntry(previous.entry), alreadySignedIn: true };
  });
});

export const tickAttendees = route(studyApi.tickAttendees, async (ctx) => {
  const p = ctx.user;
  const memberIds = [...new Set(ctx.body.memberIds)];
  return withIdempotency(ctx, 'study.event.attendees', async (tx) => {
    const event = await loadEvent(tx, ctx.params.id);
    // A secretary also ticks their own members at township-wide events held above the branch.
    const eventReachesOfficer = p.role === 'secretary' && event.organizationPath !== '' &&
      (await queryRows<{ ok: boolean }>(
        tx,
        sql`select (select ${o.path} from ${organizations} ${o} where ${o.id} = ${p.organizationId}::int) like ${event.organizationPath} || '%' as ok`,
      ))[0]?.ok;
    if (!eventReachesOfficer) await assertOfficerManagesEvent(tx, p, event);
    if (ctx.now.getTime() < new Date(event.startsAt).getTime()) throw new ApiError('conflict', '活动尚未开始，开始后才能登记参加人员');
    const idList = sql.join(memberIds.map((id) => sql`${id}::int`), sql`, `);
    const listed = await queryRows<Pick<typeof members.$inferSelect, 'id'> & { in_reach: boolean; eligible: boolean }>(
      tx,
      sql`select ${m.id} as "id", (${organizationScope(p, sql`${m.organizationId}`)}) as in_reach,
                 (${o.path} like ${event.organizationPath} || '%') as eligible
          from ${members} ${m} join ${organizations} ${o} on ${o.id} = ${m.organizationId}
          where ${m.id} in (${idList}) and ${m.status} = 'active'`,
    );
    const found = new Set(listed.map((c) => c.id));
    const missing = memberIds.filter((id) => !found.has(id));
    if (missing.length) throw new ApiError('not_found', '有党员不存在或不在册', { memberIds: missing });
    const outOfReach = listed.filter((c) => !c.in_reach).map((c) => c.id);
    if (outOfReach.length) throw new ApiError('forbidden', '只能登记本支部的党员', { memberIds: outOfReach });
    const ineligible = listed.filter((c) => !c.eligible).map((c) => c.id);
    if (ineligible.length) throw new ApiError('unprocessable', '有党员不属于举办此活动的组织', { memberIds: ineligible });
    const rows = await queryRows<{ entry: EntryRow }>(
      tx,
      creditStatement({
        rows: sql`${candidates(sql`${m.id}`, sql`${m.organizationId}`)} from ${members} ${m} where ${m.id} in (${idList})`,
        day: event.day,
        minutes: event.minutes,
        way: event.way,
        topic: event.topic,
        source: 'event_ticked',
        sessionId: null,
        eventId: event.id,
        accountId: p.accountId,
        now: ctx.now,
        conflictTarget: sql`${cols(e.eventId, e.memberId)} where ${col(e.eventId)} is not null`,
      }),
    );
    const credited = rows.map((r) => r.entry.memberId).sort((a, b) => a - b);
    const creditedSet = new Set(credited);
    const alreadyCredited = memberIds.filter((id) => !creditedSet.has(id)).sort((a, b) => a - b);
    await writeAudit(tx, p, { action: 'study.event.attendees', targetType: 'study_event', targetId: event.id, details: { credited, alreadyCredited, minutes: event.minutes } }, ctx.now);
    return { minutes: event.minutes, credited, alreadyCredited };
  });
});
