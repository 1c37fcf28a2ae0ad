/**
 * Daily one-hour study: timed sessions, self-reports (and 代录), collective
 * study events with QR sign-in, and the oversight views.
 *
 * Every credited minute is written to `study_entries` and rolled into
 * `study_days` by the same statement. The hot write (a check-in) is ONE
 * statement: idempotency replay, the daily self-report cap (decided under the
 * study_days row lock, so concurrent check-ins cannot both pass it), the entry
 * and the audit row of a 代录 are all CTEs of one INSERT.
 */
import { createHmac } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import QRCode from 'qrcode';
import { addDays, daysBetween, monthEnd, monthStart, shanghaiDate, shanghaiMonth, type IsoDate } from '../../shared/calendar.js';
import * as studyApi from '../../shared/study.js';
import {
  currentStreak,
  DAILY_TARGET_MINUTES,
  EVENT_MAX_MINUTES,
  INACTIVE_AFTER_DAYS,
  percent,
  QR_REFRESH_SECONDS,
  QR_TOKEN_TTL_SECONDS,
  SELF_REPORT_DAILY_CAP_MINUTES,
  SESSION_CAP_MINUTES,
  selfReportRemaining,
  sessionCreditMinutes,
  sessionExpiresAt,
  SIGN_IN_MARGIN_MINUTES,
  signInQrText,
  type StudyEntry,
  type StudyEvent,
  type StudySession,
  type StudySource,
  type StudyWay,
} from '../../shared/study.js';
import type { Db } from '../../db/client.js';
import type { Principal } from '../_app/auth.js';
import { JsonResponse, route, type Ctx } from '../_app/context.js';
import { ApiError, forbidden, isUniqueViolation, notFound } from '../_app/errors.js';
import { requestFingerprint, requireIdempotencyKey, withIdempotency } from '../_app/idempotency.js';
import { rowsOf } from '../_app/rate-limit.js';
import { subtreeOf } from '../_app/scope.js';
import { writeAudit } from '../_app/audit.js';

// ---------------------------------------------------------------- helpers

async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/** Timestamps come back from json in the session's time zone: normalise to UTC ISO. */
const iso = (value: string | Date) => new Date(value).toISOString();

function ownMemberId(p: Principal): number {
  if (p.memberId == null) throw forbidden('当前账号没有关联党员档案，无法记录学习');
  return p.memberId;
}

/** SQL condition: may this officer act for a member of organization `orgColumn`? */
function officerReach(p: Principal, orgColumn: SQL): SQL {
  if (p.role === 'staff' && p.organizationId != null) return sql`${orgColumn} in ${subtreeOf(p.organizationId)}`;
  if (p.role === 'secretary' && p.organizationId != null) return sql`${orgColumn} = ${p.organizationId}::int`;
  return sql`false`;
}

interface EntryRow {
  id: number;
  member_id: number;
  day: string;
  minutes: number;
  requested_minutes: number | null;
  way: StudyWay;
  topic: string;
  source: StudySource;
  session_id: number | null;
  event_id: number | null;
  created_at: string;
  request_hash?: string | null;
}

function toEntry(r: EntryRow): StudyEntry {
  return {
    id: Number(r.id),
    memberId: r.member_id,
    day: r.day,
    minutes: r.minutes,
    requestedMinutes: r.requested_minutes,
    way: r.way,
    topic: r.topic,
    source: r.source,
    sessionId: r.session_id,
    eventId: r.event_id,
    createdAt: iso(r.created_at),
  };
}

const ENTRY_JSON = (alias: string) =>
  sql.raw(
    `json_build_object('id', ${alias}.id, 'member_id', ${alias}.member_id, 'day', ${alias}.day, 'minutes', ${alias}.minutes, ` +
      `'requested_minutes', ${alias}.requested_minutes, 'way', ${alias}.way, 'topic', ${alias}.topic, 'source', ${alias}.source, ` +
      `'session_id', ${alias}.session_id, 'event_id', ${alias}.event_id, 'created_at', ${alias}.created_at, 'request_hash', ${alias}.request_hash)`,
  );

interface SessionRow {
  id: number;
  way: StudyWay;
  topic: string;
  started_at: string;
  finished_at: string | null;
  status: 'open' | 'finished' | 'expired';
  credited_minutes: number | null;
  credited_day: string | null;
}

function toSession(r: SessionRow): StudySession {
  const startedAt = new Date(r.started_at);
  return {
    id: r.id,
    way: r.way,
    topic: r.topic,
    startedAt: startedAt.toISOString(),
    expiresAt: sessionExpiresAt(startedAt).toISOString(),
    finishedAt: r.finished_at ? iso(r.finished_at) : null,
    status: r.status,
    creditedMinutes: r.credited_minutes,
    creditedDay: r.credited_day,
  };
}

const SESSION_JSON = (alias: string) =>
  sql.raw(
    `json_build_object('id', ${alias}.id, 'way', ${alias}.way, 'topic', ${alias}.topic, 'started_at', ${alias}.started_at, ` +
      `'finished_at', ${alias}.finished_at, 'status', ${alias}.status, 'credited_minutes', ${alias}.credited_minutes, 'credited_day', ${alias}.credited_day)`,
  );

/**
 * Credits `minutes` to members on `day` from an entry insert, in one statement:
 * the entries (skipping any already there for the same session or event) and
 * the study_days roll-up of exactly those that were inserted.
 */
function creditStatement(opts: {
  rows: SQL; // select member_id, organization_id from … (one row per member)
  day: IsoDate;
  minutes: number;
  way: StudyWay;
  topic: string;
  source: StudySource;
  sessionId: number | null;
  eventId: number | null;
  accountId: number;
  now: Date;
  conflictTarget: SQL;
}): SQL {
  return sql`
    with candidates as (${opts.rows}),
    inserted as (
      insert into study_entries (member_id, organization_id, day, minutes, way, topic, source, session_id, event_id, account_id, created_at)
      select c.member_id, c.organization_id, ${opts.day}::date, ${opts.minutes}::int, ${opts.way}, ${opts.topic}, ${opts.source},
             ${opts.sessionId}::int, ${opts.eventId}::int, ${opts.accountId}::int, ${opts.now.toISOString()}::timestamptz
      from candidates c
      on conflict ${opts.conflictTarget} do nothing
      returning *
    ),
    rolled as (
      insert into study_days as d (member_id, day, organization_id, minutes, last_credit)
      select i.member_id, i.day, i.organization_id, i.minutes, i.minutes from inserted i
      on conflict (member_id, day) do update set
        minutes = d.minutes + excluded.minutes,
        last_credit = excluded.minutes,
        organization_id = excluded.organization_id
      returning member_id
    )
    select ${ENTRY_JSON('i')} as entry, (select count(*) from rolled)::int as rolled from inserted i`;
}

// ---------------------------------------------------------------- timed sessions

async function creditSession(tx: Db, ctx: Ctx, session: SessionRow & { member_id: number }, organizationId: number) {
  const startedAt = new Date(session.started_at);
  const expiresAt = sessionExpiresAt(startedAt);
  const expired = ctx.now.getTime() > expiresAt.getTime();
  const minutes = sessionCreditMinutes(startedAt, ctx.now);
  // Minutes land on the day the session stopped counting: the finish day, or
  // for a session left open past its cap, the day the cap was reached.
  const day = shanghaiDate(expired ? expiresAt : ctx.now);
  const [updated] = await queryRows<{ s: SessionRow }>(
    tx,
    sql`update study_sessions s set status = ${expired ? 'expired' : 'finished'}, finished_at = ${ctx.now.toISOString()}::timestamptz,
          credited_minutes = ${minutes}::int, credited_day = ${day}::date
        where s.id = ${session.id}::int and s.status = 'open'
        returning ${SESSION_JSON('s')} as s`,
  );
  if (!updated) return null; // finished concurrently
  let entry: StudyEntry | null = null;
  if (minutes > 0) {
    const [row] = await queryRows<{ entry: EntryRow }>(
      tx,
      creditStatement({
        rows: sql`select ${session.member_id}::int as member_id, ${organizationId}::int as organization_id`,
        day,
        minutes,
        way: session.way,
        topic: session.topic,
        source: 'timer',
        sessionId: session.id,
        eventId: null,
        accountId: ctx.user.accountId,
        now: ctx.now,
        conflictTarget: sql`(session_id) where session_id is not null`,
      }),
    );
    entry = row ? toEntry(row.entry) : null;
  }
  return { session: toSession(updated.s), entry };
}

async function activeMember(db: Db, memberId: number): Promise<{ id: number; organization_id: number; name: string }> {
  const [m] = await queryRows<{ id: number; organization_id: number; name: string }>(
    db,
    sql`select id, organization_id, name from members where id = ${memberId}::int and status = 'active'`,
  );
  if (!m) throw forbidden('您的党员档案不在册（已转出或停止党籍），无法记录学习');
  return m;
}

export const startSession = route(studyApi.startSession, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  return withIdempotency(ctx, 'study.session.start', async (tx) => {
    const member = await activeMember(tx, memberId);
    const [open] = await queryRows<{ s: SessionRow & { member_id: number } }>(
      tx,
      sql`select ${SESSION_JSON('s')}::jsonb || jsonb_build_object('member_id', s.member_id) as s
          from study_sessions s where s.member_id = ${memberId}::int and s.status = 'open' for update`,
    );
    if (open) {
      if (ctx.now.getTime() <= sessionExpiresAt(new Date(open.s.started_at)).getTime()) {
        throw new ApiError('conflict', '您已有一个正在计时的学习，请先结束它', { session: toSession(open.s) });
      }
      // Left open past its cap: close it (credited the cap) before starting anew.
      await creditSession(tx, ctx, open.s, member.organization_id);
    }
    try {
      const [row] = await queryRows<{ s: SessionRow }>(
        tx,
        sql`insert into study_sessions as s (member_id, way, topic, started_at)
            values (${memberId}::int, ${ctx.body.way}, ${ctx.body.topic}, ${ctx.now.toISOString()}::timestamptz)
            returning ${SESSION_JSON('s')} as s`,
      );
      if (!row) throw new Error('session not created');
      return new JsonResponse(201, { session: toSession(row.s) });
    } catch (err) {
      if (isUniqueViolation(err, 'study_sessions_one_open_uq')) throw new ApiError('conflict', '您已有一个正在计时的学习，请先结束它');
      throw err;
    }
  });
});

export const finishSession = route(studyApi.finishSession, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  return withIdempotency(ctx, 'study.session.finish', async (tx) => {
    const load = async () => {
      const [row] = await queryRows<{ s: SessionRow & { member_id: number }; entry: EntryRow | null; organization_id: number }>(
        tx,
        sql`select ${SESSION_JSON('s')}::jsonb || jsonb_build_object('member_id', s.member_id) as s,
                   (select ${ENTRY_JSON('e')} from study_entries e where e.session_id = s.id) as entry,
                   m.organization_id
            from study_sessions s join members m on m.id = s.member_id
            where s.id = ${ctx.params.id}::int and s.member_id = ${memberId}::int`,
      );
      return row;
    };
    const found = await load();
    if (!found) throw notFound('计时记录');
    if (found.s.status === 'open') {
      const credited = await creditSession(tx, ctx, found.s, found.organization_id);
      if (credited) return credited;
    }
    // Already finished (a retry with a new key, or a double tap): the same answer again.
    const again = (await load()) ?? found;
    return { session: toSession(again.s), entry: again.entry ? toEntry(again.entry) : null };
  });
});

// ---------------------------------------------------------------- check-in (one statement)

interface CheckInResult {
  target: { id: number; organization_id: number; allowed: boolean } | null;
  existing: EntryRow | null;
  inserted: EntryRow | null;
}

export const checkIn = route(studyApi.checkIn, async (ctx) => {
  const p = ctx.user;
  const key = requireIdempotencyKey(ctx);
  const fingerprint = requestFingerprint('study.checkin', ctx);
  const proxy = ctx.body.memberId !== undefined && ctx.body.memberId !== p.memberId;
  if (proxy && p.role !== 'secretary' && p.role !== 'staff') throw forbidden('只有支部书记可以为其他党员代录学习');
  const memberId = proxy ? (ctx.body.memberId as number) : ownMemberId(p);
  const reach = proxy ? officerReach(p, sql`m.organization_id`) : sql`true`;
  const source: StudySource = proxy ? 'proxy' : 'self_report';
  const requested = ctx.body.minutes;
  const cap = SELF_REPORT_DAILY_CAP_MINUTES;

  const statement = sql`
    with target as (
      select m.id, m.organization_id, (${reach}) as allowed from members m where m.id = ${memberId}::int and m.status = 'active'
    ),
    existing as (
      select * from study_entries e where e.account_id = ${p.accountId}::int and e.idempotency_key = ${key}
    ),
    credit as (
      insert into study_days as d (member_id, day, organization_id, minutes, self_reported_minutes, last_credit)
      select t.id, ${ctx.today}::date, t.organization_id, ${requested}::int, ${requested}::int, ${requested}::int
      from target t where t.allowed and not exists (select 1 from existing)
      on conflict (member_id, day) do update set
        last_credit = least(excluded.self_reported_minutes, ${cap}::int - d.self_reported_minutes),
        minutes = d.minutes + least(excluded.self_reported_minutes, ${cap}::int - d.self_reported_minutes),
        self_reported_minutes = d.self_reported_minutes + least(excluded.self_reported_minutes, ${cap}::int - d.self_reported_minutes),
        organization_id = excluded.organization_id
      -- At the cap the check-in is refused: leave the day's row untouched rather than rewrite it with +0.
      where d.self_reported_minutes < ${cap}::int
      returning member_id, organization_id, last_credit
    ),
    inserted as (
      insert into study_entries (member_id, organization_id, day, minutes, requested_minutes, way, topic, source, account_id, idempotency_key, request_hash, created_at)
      select c.member_id, c.organization_id, ${ctx.today}::date, c.last_credit, ${requested}::int, ${ctx.body.way}, ${ctx.body.topic},
             ${source}, ${p.accountId}::int, ${key}, ${fingerprint}, ${ctx.now.toISOString()}::timestamptz
      from credit c where c.last_credit > 0
      returning *
    ),
    audited as (
      insert into audit_log (actor_account_id, actor_role, action, target_type, target_id, at, details)
      select ${p.accountId}::int, ${p.role}, 'study.proxy_checkin', 'member', i.member_id::text, ${ctx.now.toISOString()}::timestamptz,
             jsonb_build_object('entryId', i.id, 'day', i.day, 'minutes', i.minutes, 'requestedMinutes', i.requested_minutes, 'way', i.way, 'topic', i.topic)
      from inserted i where ${proxy}::boolean
      returning id
    )
    select (select row_to_json(t) from target t) as target,
           (select ${ENTRY_JSON('x')} from existing x) as existing,
           (select ${ENTRY_JSON('x')} from inserted x) as inserted,
           (select count(*) from audited)::int as audited`;

  let result: CheckInResult | undefined;
  try {
    [result] = await queryRows<CheckInResult>(ctx.db, statement);
  } catch (err) {
    // Two identical submissions raced past the replay check: the loser's whole
    // statement (its cap update included) rolled back; now it replays.
    if (!isUniqueViolation(err, 'study_entries_idempotency_uq')) throw err;
    [result] = await queryRows<CheckInResult>(ctx.db, statement);
  }
  if (result && !result.existing && !result.inserted && result.target?.allowed) {
    // Refused at the cap: a same-key request may have filled the day while this statement waited on
    // the day's row (its entry is newer than our snapshot). Look once more; only refusals pay this.
    [result] = await queryRows<CheckInResult>(ctx.db, statement);
  }
  if (!result) throw new Error('check-in statement returned no row');
  if (result.existing) {
    if (result.existing.request_hash !== fingerprint) {
      throw new ApiError('idempotency_mismatch', '同一个 Idempotency-Key 已用于不同的请求内容');
    }
    return new JsonResponse(201, toEntry(result.existing));
  }
  if (!result.target) throw proxy ? notFound('党员') : forbidden('您的党员档案不在册（已转出或停止党籍），无法记录学习');
  if (!result.target.allowed) throw forbidden('只能为本支部的党员代录学习');
  if (!result.inserted) {
    throw new ApiError(
      'unprocessable',
      `今天自主填报已满${cap}分钟（每天上限），不能再填报；可以用“开始计时”学习，或参加支部集中学习`,
      { selfReportCapMinutes: cap },
    );
  }
  return new JsonResponse(201, toEntry(result.inserted));
});

// ---------------------------------------------------------------- my study (one statement)

export const myStudy = route(studyApi.myStudy, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  const month = ctx.query.month ?? shanghaiMonth(ctx.now);
  const from = monthStart(month);
  const to = monthEnd(month);
  const yearStart = `${ctx.today.slice(0, 4)}-01-01`;
  // Streaks longer than this are shown as this (over a year of daily study).
  const streakWindowStart = addDays(ctx.today, -400);
  const [row] = await queryRows<{
    today: { minutes: number; self_reported_minutes: number } | null;
    year_minutes: number;
    calendar: { day: string; minutes: number }[] | null;
    met_days: string[] | null;
    recent: EntryRow[] | null;
    open_session: SessionRow | null;
  }>(
    ctx.db,
    sql`select
      (select json_build_object('minutes', d.minutes, 'self_reported_minutes', d.self_reported_minutes)
         from study_days d where d.member_id = ${memberId}::int and d.day = ${ctx.today}::date) as today,
      (select coalesce(sum(d.minutes), 0)::int from study_days d
         where d.member_id = ${memberId}::int and d.day between ${yearStart}::date and ${ctx.today}::date) as year_minutes,
      (select json_agg(json_build_object('day', d.day, 'minutes', d.minutes) order by d.day) from study_days d
         where d.member_id = ${memberId}::int and d.day between ${from}::date and ${to}::date and d.minutes > 0) as calendar,
      (select json_agg(d.day order by d.day desc) from study_days d
         where d.member_id = ${memberId}::int and d.day between ${streakWindowStart}::date and ${ctx.today}::date
           and d.minutes >= ${DAILY_TARGET_MINUTES}::int) as met_days,
      (select json_agg(${ENTRY_JSON('e')} order by e.created_at desc, e.id desc) from
         (select * from study_entries e where e.member_id = ${memberId}::int order by e.created_at desc, e.id desc limit 10) e) as recent,
      (select ${SESSION_JSON('s')} from study_sessions s where s.member_id = ${memberId}::int and s.status = 'open') as open_session`,
  );
  const today = row?.today ?? { minutes: 0, self_reported_minutes: 0 };
  return {
    today: ctx.today,
    targetMinutes: DAILY_TARGET_MINUTES,
    todayMinutes: today.minutes,
    selfReportedToday: today.self_reported_minutes,
    selfReportRemaining: selfReportRemaining(today.self_reported_minutes),
    streakDays: currentStreak(row?.met_days ?? [], ctx.today),
    yearMinutes: row?.year_minutes ?? 0,
    month,
    calendar: row?.calendar ?? [],
    recent: (row?.recent ?? []).map(toEntry),
    openSession: row?.open_session ? toSession(row.open_session) : null,
    sessionCapMinutes: SESSION_CAP_MINUTES,
    serverNow: ctx.now.toISOString(),
  };
});

// ---------------------------------------------------------------- events

interface EventRow {
  id: number;
  organization_id: number;
  organization_name: string;
  organization_path: string;
  way: StudyWay;
  topic: string;
  place: string;
  starts_at: string;
  ends_at: string;
  day: string;
  minutes: number;
}

const EVENT_COLUMNS = sql.raw(
  `ev.id, ev.organization_id, o.name as organization_name, o.path as organization_path, ev.way, ev.topic, ev.place, ev.starts_at, ev.ends_at, ev.day::text as day, ev.minutes`,
);

async function loadEvent(db: Db, id: number): Promise<EventRow> {
  const [row] = await queryRows<EventRow>(
    db,
    sql`select ${EVENT_COLUMNS} from study_events ev join organizations o on o.id = ev.organization_id where ev.id = ${id}::int`,
  );
  if (!row) throw notFound('学习活动');
  return row;
}

/** Officers manage events of their own branch (secretary) or township (staff). */
async function assertOfficerManagesEvent(db: Db, p: Principal, event: EventRow): Promise<void> {
  if (p.role === 'secretary' && event.organization_id === p.organizationId) return;
  if (p.role === 'staff' && p.organizationId != null) {
    const [root] = await queryRows<{ path: string }>(db, sql`select path from organizations where id = ${p.organizationId}::int`);
    if (root && event.organization_path.startsWith(root.path)) return;
  }
  throw forbidden('只能管理本支部的学习活动');
}

function toEvent(row: EventRow, extra: { attendeeCount: number; attended: boolean; attendees: StudyEvent['attendees'] }): StudyEvent {
  return {
    id: row.id,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    way: row.way,
    topic: row.topic,
    place: row.place,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
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
      sql`select o.id, (${officerReach(p, sql`o.id`)}) as allowed from organizations o where o.id = ${organizationId}::int`,
    );
    if (!org) throw notFound('组织');
    if (!org.allowed) throw forbidden('只能为本镇的组织创建学习活动');
    organizationId = org.id;
    const [created] = await queryRows<{ id: number }>(
      tx,
      sql`insert into study_events (organization_id, way, topic, place, starts_at, ends_at, day, minutes, created_by_account_id, created_at)
          values (${organizationId}::int, ${ctx.body.way}, ${ctx.body.topic}, ${ctx.body.place}, ${startsAt.toISOString()}::timestamptz,
                  ${endsAt.toISOString()}::timestamptz, ${day}::date, ${minutes}::int, ${p.accountId}::int, ${ctx.now.toISOString()}::timestamptz)
          returning id`,
    );
    if (!created) throw new Error('event not created');
    await writeAudit(tx, p, { action: 'study.event.create', targetType: 'study_event', targetId: created.id, details: { ...ctx.body, minutes } }, ctx.now);
    const event = await loadEvent(tx, created.id);
    return new JsonResponse(201, toEvent(event, { attendeeCount: 0, attended: false, attendees: [] }));
  });
});

export const listEvents = route(studyApi.listEvents, async (ctx) => {
  const p = ctx.user;
  const officer = p.role === 'secretary' || p.role === 'staff';
  const filter = ctx.query.organizationId;
  if (filter !== undefined && !officer) throw forbidden('只能查看本人可参加的学习活动');
  if (filter !== undefined && p.role === 'secretary' && filter !== p.organizationId) throw forbidden('只能查看本支部的学习活动');
  const memberId = p.memberId ?? -1;
  // Members see events of their branch and of the committees above it; staff their township.
  const visible =
    p.role === 'staff' && p.organizationId != null
      ? sql`ev.organization_id in ${subtreeOf(p.organizationId)}`
      : sql`(select mo.path from members mm join organizations mo on mo.id = mm.organization_id where mm.id = ${memberId}::int)
              like '%/' || ev.organization_id || '/%'`;
  const attendeesInReach = officerReach(p, sql`am.organization_id`);
  const rows = await queryRows<EventRow & { attendee_count: number; attended: boolean; attendees: StudyEvent['attendees'] }>(
    ctx.db,
    sql`select ${EVENT_COLUMNS},
          (select count(*) from study_entries e where e.event_id = ev.id)::int as attendee_count,
          exists (select 1 from study_entries e where e.event_id = ev.id and e.member_id = ${memberId}::int) as attended,
          ${
            officer
              ? sql`coalesce((select json_agg(json_build_object('memberId', am.id, 'name', am.name, 'source', e.source) order by am.name)
                   from study_entries e join members am on am.id = e.member_id
                   where e.event_id = ev.id and ${attendeesInReach}), '[]'::json)`
              : sql`null::json`
          } as attendees
        from study_events ev join organizations o on o.id = ev.organization_id
        where ${visible} ${filter !== undefined ? sql`and ev.organization_id = ${filter}::int` : sql``}
        order by ev.starts_at desc, ev.id desc
        limit 50`,
  );
  return {
    events: rows.map((r) => toEvent(r, { attendeeCount: r.attendee_count, attended: r.attended, attendees: r.attendees })),
  };
});

// ---------------------------------------------------------------- QR sign-in

const QR_AUDIENCE = 'study-event-sign-in';
const QR_ISSUER = 'dangjian';

/** A key of its own, derived from the session secret, so a QR token can never pass as a session and vice versa. */
function qrKey(sessionSecret: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', sessionSecret).update('study-event-qr-v1').digest());
}

export async function signEventToken(eventId: number, sessionSecret: string, now: Date, ttlSeconds = QR_TOKEN_TTL_SECONDS) {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ ev: eventId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(QR_ISSUER)
    .setAudience(QR_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(qrKey(sessionSecret));
  return { token, expiresAt: new Date(exp * 1000) };
}

async function verifyEventToken(token: string, eventId: number, sessionSecret: string, now: Date): Promise<void> {
  try {
    const { payload } = await jwtVerify(token, qrKey(sessionSecret), {
      issuer: QR_ISSUER,
      audience: QR_AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (payload.ev !== eventId) throw new Error('event mismatch');
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      throw new ApiError('unprocessable', '签到二维码已过期，请扫描现场屏幕上最新的二维码', { reason: 'expired' });
    }
    throw new ApiError('unprocessable', '签到二维码无效，请扫描本次活动现场的二维码', { reason: 'invalid' });
  }
}

function inSignInWindow(event: EventRow, now: Date): boolean {
  const margin = SIGN_IN_MARGIN_MINUTES * 60_000;
  return now.getTime() >= new Date(event.starts_at).getTime() - margin && now.getTime() <= new Date(event.ends_at).getTime() + margin;
}

export const eventQr = route(studyApi.eventQr, async (ctx) => {
  const event = await loadEvent(ctx.db, ctx.params.id);
  await assertOfficerManagesEvent(ctx.db, ctx.user, event);
  if (!inSignInWindow(event, ctx.now)) {
    throw new ApiError('conflict', `不在签到时间内：活动开始前${SIGN_IN_MARGIN_MINUTES}分钟到结束后${SIGN_IN_MARGIN_MINUTES}分钟可以扫码签到`);
  }
  const { token, expiresAt } = await signEventToken(event.id, ctx.deps.config.sessionSecret, ctx.now);
  const qrText = signInQrText(event.id, token);
  const qrImage = await QRCode.toDataURL(qrText, { errorCorrectionLevel: 'M', margin: 2, width: 480 });
  return { token, qrText, qrImage, expiresAt: expiresAt.toISOString(), refreshSeconds: QR_REFRESH_SECONDS };
});

export const signIn = route(studyApi.signIn, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  await verifyEventToken(ctx.body.token, ctx.params.id, ctx.deps.config.sessionSecret, ctx.now);
  return withIdempotency(ctx, 'study.event.sign-in', async (tx) => {
    const event = await loadEvent(tx, ctx.params.id);
    const member = await activeMember(tx, memberId);
    const [eligible] = await queryRows<{ ok: boolean }>(
      tx,
      sql`select (select path from organizations where id = ${member.organization_id}::int) like ${event.organization_path} || '%' as ok`,
    );
    if (!eligible?.ok) throw forbidden(`此活动属于${event.organization_name}，您不是该组织的党员，不能签到`);
    if (!inSignInWindow(event, ctx.now)) throw new ApiError('conflict', '不在签到时间内，请联系支部书记登记');
    const [inserted] = await queryRows<{ entry: EntryRow }>(
      tx,
      creditStatement({
        rows: sql`select ${memberId}::int as member_id, ${member.organization_id}::int as organization_id`,
        day: event.day,
        minutes: event.minutes,
        way: event.way,
        topic: event.topic,
        source: 'event_scan',
        sessionId: null,
        eventId: event.id,
        accountId: ctx.user.accountId,
        now: ctx.now,
        conflictTarget: sql`(event_id, member_id) where event_id is not null`,
      }),
    );
    if (inserted) return { entry: toEntry(inserted.entry), alreadySignedIn: false };
    const [previous] = await queryRows<{ entry: EntryRow }>(
      tx,
      sql`select ${ENTRY_JSON('e')} as entry from study_entries e where e.event_id = ${event.id}::int and e.member_id = ${memberId}::int`,
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
    const eventReachesOfficer = p.role === 'secretary' && event.organization_path !== '' &&
      (await queryRows<{ ok: boolean }>(tx, sql`select (select path from organizations where id = ${p.organizationId}::int) like ${event.organization_path} || '%' as ok`))[0]?.ok;
    if (!eventReachesOfficer) await assertOfficerManagesEvent(tx, p, event);
    if (ctx.now.getTime() < new Date(event.starts_at).getTime()) throw new ApiError('conflict', '活动尚未开始，开始后才能登记参加人员');
    const idList = sql.join(memberIds.map((id) => sql`${id}::int`), sql`, `);
    const candidates = await queryRows<{ id: number; organization_id: number; in_reach: boolean; eligible: boolean }>(
      tx,
      sql`select m.id, m.organization_id, (${officerReach(p, sql`m.organization_id`)}) as in_reach,
                 (o.path like ${event.organization_path} || '%') as eligible
          from members m join organizations o on o.id = m.organization_id
          where m.id in (${idList}) and m.status = 'active'`,
    );
    const found = new Set(candidates.map((c) => c.id));
    const missing = memberIds.filter((id) => !found.has(id));
    if (missing.length) throw new ApiError('not_found', '有党员不存在或不在册', { memberIds: missing });
    const outOfReach = candidates.filter((c) => !c.in_reach).map((c) => c.id);
    if (outOfReach.length) throw new ApiError('forbidden', '只能登记本支部的党员', { memberIds: outOfReach });
    const ineligible = candidates.filter((c) => !c.eligible).map((c) => c.id);
    if (ineligible.length) throw new ApiError('unprocessable', '有党员不属于举办此活动的组织', { memberIds: ineligible });
    const rows = await queryRows<{ entry: EntryRow }>(
      tx,
      creditStatement({
        rows: sql`select m.id as member_id, m.organization_id from members m where m.id in (${idList})`,
        day: event.day,
        minutes: event.minutes,
        way: event.way,
        topic: event.topic,
        source: 'event_ticked',
        sessionId: null,
        eventId: event.id,
        accountId: p.accountId,
        now: ctx.now,
        conflictTarget: sql`(event_id, member_id) where event_id is not null`,
      }),
    );
    const credited = rows.map((r) => r.entry.member_id).sort((a, b) => a - b);
    const creditedSet = new Set(credited);
    const alreadyCredited = memberIds.filter((id) => !creditedSet.has(id)).sort((a, b) => a - b);
    await writeAudit(tx, p, { action: 'study.event.attendees', targetType: 'study_event', targetId: event.id, details: { credited, alreadyCredited, minutes: event.minutes } }, ctx.now);
    return { minutes: event.minutes, credited, alreadyCredited };
  });
});

// ---------------------------------------------------------------- oversight

/** The secretary's day list: every active member of the branch, minutes that day and target days this month. */
export function dayListQuery(organizationId: number, date: IsoDate): SQL {
  const firstOfMonth = monthStart(date.slice(0, 7));
  return sql`select m.id as member_id, m.name, coalesce(d.minutes, 0)::int as minutes,
               (select count(*) from study_days md where md.member_id = m.id
                  and md.day between ${firstOfMonth}::date and ${date}::date and md.minutes >= ${DAILY_TARGET_MINUTES}::int)::int as month_met
        from members m
        left join study_days d on d.member_id = m.id and d.day = ${date}::date
        where m.organization_id = ${organizationId}::int and m.status = 'active'
        order by coalesce(d.minutes, 0), m.name, m.id`;
}

export const organizationDay = route(studyApi.organizationDay, async (ctx) => {
  const p = ctx.user;
  const date = ctx.query.date ?? ctx.today;
  if (date > ctx.today) throw new ApiError('validation_failed', '不能查看未来日期');
  if (p.role === 'secretary' && ctx.params.id !== p.organizationId) throw forbidden('只能查看本支部的学习情况');
  const [org] = await queryRows<{ id: number; name: string; allowed: boolean }>(
    ctx.db,
    sql`select o.id, o.name, (${officerReach(p, sql`o.id`)}) as allowed from organizations o where o.id = ${ctx.params.id}::int`,
  );
  if (!org) throw notFound('组织');
  if (!org.allowed) throw forbidden('只能查看本镇的学习情况');
  const firstOfMonth = monthStart(date.slice(0, 7));
  const monthDays = daysBetween(firstOfMonth, date) + 1;
  const rows = await queryRows<{ member_id: number; name: string; minutes: number; month_met: number }>(ctx.db, dayListQuery(org.id, date));
  const list = rows.map((r) => ({
    memberId: r.member_id,
    name: r.name,
    minutes: r.minutes,
    met: r.minutes >= DAILY_TARGET_MINUTES,
    monthMetDays: r.month_met,
    monthRate: percent(r.month_met, monthDays),
  }));
  const metCount = list.filter((m) => m.met).length;
  return {
    organization: { id: org.id, name: org.name },
    date,
    targetMinutes: DAILY_TARGET_MINUTES,
    monthDays,
    members: list,
    metCount,
    belowCount: list.length - metCount,
  };
});

/**
 * Summary statement 1: per-branch rates and the daily trend, from the
 * branch-day roll-up study_org_days (one row per branch and day, kept by
 * triggers over the rows of active members still in that branch: members who
 * left drop out), so 92 days of a township read about 2,000 rows, not a
 * member-day each; aggregated in one pass by branch and by day (grouping sets).
 */
export function summaryStatsQuery(rootOrganizationId: number, from: IsoDate, to: IsoDate): SQL {
  return sql`
    with branch as (
      select o.id, o.name, o.sort_order from organizations o
      where o.kind = 'branch' and o.id in ${subtreeOf(rootOrganizationId)}
    ),
    agg as (
      select r.organization_id, r.day,
             sum(r.met_members)::int as met,
             sum(r.studied_members)::int as studied,
             sum(r.total_minutes)::int as total_minutes
      from study_org_days r
      where r.organization_id = any(array(select id from branch)) and r.day between ${from}::date and ${to}::date
      group by grouping sets ((r.organization_id), (r.day))
    ),
    headcount as (
      select m.organization_id, count(*) as n from members m
      where m.status = 'active' and m.organization_id = any(array(select id from branch))
      group by m.organization_id
    )
    select
      (select coalesce(json_agg(json_build_object('id', br.id, 'name', br.name, 'member_count', coalesce(h.n, 0),
                'met', coalesce(a.met, 0), 'total_minutes', coalesce(a.total_minutes, 0)) order by br.sort_order, br.id), '[]'::json)
         from branch br
         left join headcount h on h.organization_id = br.id
         left join agg a on a.organization_id = br.id and a.day is null) as branches,
      (select coalesce(json_agg(json_build_object('day', g.day::date, 'studied', coalesce(a.studied, 0), 'met', coalesce(a.met, 0)) order by g.day), '[]'::json)
         from generate_series(${from}::date, ${to}::date, interval '1 day') g(day)
         left join agg a on a.day = g.day::date and a.organization_id is null) as trend,
      (select coalesce(sum(h.n), 0) from headcount h)::int as member_count`;
}

/** Summary statement 2: members with no study for 7+ days (last study day by the primary key, newest first). */
export function inactiveMembersQuery(rootOrganizationId: number, inactiveBefore: IsoDate): SQL {
  return sql`
    select m.id as member_id, m.name, o.name as organization_name, last.day::text as last_day, count(*) over ()::int as total
    from members m
    join organizations o on o.id = m.organization_id
    left join lateral (
      select d.day from study_days d where d.member_id = m.id and d.minutes > 0 order by d.day desc limit 1
    ) last on true
    where m.status = 'active' and m.organization_id in ${subtreeOf(rootOrganizationId)}
      and (last.day is null or last.day <= ${inactiveBefore}::date)
    order by last.day nulls first, o.sort_order, m.name
    limit 200`;
}

export const summary = route(studyApi.summary, async (ctx) => {
  const p = ctx.user;
  if (p.organizationId == null) throw forbidden();
  const to = ctx.query.to ?? ctx.today;
  const from = ctx.query.from ?? addDays(to, -29);
  if (to > ctx.today) throw new ApiError('validation_failed', '结束日期不能晚于今天');
  if (daysBetween(from, to) >= studyApi.SUMMARY_MAX_DAYS) throw new ApiError('validation_failed', `日期范围最长${studyApi.SUMMARY_MAX_DAYS}天`);
  const dayCount = daysBetween(from, to) + 1;
  const inactiveBefore = addDays(ctx.today, -INACTIVE_AFTER_DAYS);

  const statsQuery = summaryStatsQuery(p.organizationId, from, to);
  const inactiveQuery = inactiveMembersQuery(p.organizationId, inactiveBefore);

  const [statsRows, inactiveRows] = await Promise.all([
    queryRows<{
      branches: { id: number; name: string; member_count: number; met: number; total_minutes: number }[];
      trend: { day: string; studied: number; met: number }[];
      member_count: number;
    }>(ctx.db, statsQuery),
    queryRows<{ member_id: number; name: string; organization_name: string; last_day: string | null; total: number }>(ctx.db, inactiveQuery),
  ]);
  const stats = statsRows[0];
  const memberCount = stats?.member_count ?? 0;
  return {
    from,
    to,
    targetMinutes: DAILY_TARGET_MINUTES,
    branches: (stats?.branches ?? []).map((b) => ({
      organizationId: b.id,
      name: b.name,
      memberCount: b.member_count,
      metMemberDays: b.met,
      memberDays: b.member_count * dayCount,
      rate: percent(b.met, b.member_count * dayCount),
      totalMinutes: b.total_minutes,
    })),
    trend: (stats?.trend ?? []).map((t) => ({ day: t.day, studiedMembers: t.studied, metMembers: t.met, rate: percent(t.met, memberCount) })),
    memberCount,
    inactive: inactiveRows.map((r) => ({
      memberId: r.member_id,
      name: r.name,
      organizationName: r.organization_name,
      lastStudyDay: r.last_day,
      daysSince: r.last_day ? daysBetween(r.last_day, ctx.today) : null,
    })),
    inactiveTotal: inactiveRows[0]?.total ?? 0,
  };
});
