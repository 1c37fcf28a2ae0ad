/** Helpers every study route uses: raw rows, the JSON shapes of entries and sessions, and the one statement that credits minutes. */
import { sql, type SQL } from 'drizzle-orm';
import { type IsoDate } from '../../../shared/calendar.js';
import { sessionExpiresAt, type StudyEntry, type StudySession, type StudySource, type StudyWay } from '../../../shared/study.js';
import { creditDeadline } from '../../../shared/study-timer.js';
import { rowsOf, type Db } from '../../../db/client.js';
import type { Principal } from '../../_app/auth.js';
import { forbidden } from '../../_app/errors.js';

// ---------------------------------------------------------------- helpers

export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/** Timestamps come back from json in the session's time zone: normalise to UTC ISO. */
export const iso = (value: string | Date) => new Date(value).toISOString();

export function ownMemberId(p: Principal): number {
  if (p.memberId == null) throw forbidden('当前账号没有关联党员档案，无法记录学习');
  return p.memberId;
}

export interface EntryRow {
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

export function toEntry(r: EntryRow): StudyEntry {
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

export const ENTRY_JSON = (alias: string) =>
  sql.raw(
    `json_build_object('id', ${alias}.id, 'member_id', ${alias}.member_id, 'day', ${alias}.day, 'minutes', ${alias}.minutes, ` +
      `'requested_minutes', ${alias}.requested_minutes, 'way', ${alias}.way, 'topic', ${alias}.topic, 'source', ${alias}.source, ` +
      `'session_id', ${alias}.session_id, 'event_id', ${alias}.event_id, 'created_at', ${alias}.created_at, 'request_hash', ${alias}.request_hash)`,
  );

export interface SessionRow {
  id: number;
  way: StudyWay;
  topic: string;
  started_at: string;
  finished_at: string | null;
  last_seen_at: string | null;
  status: 'open' | 'finished' | 'expired';
  credited_minutes: number | null;
  credited_day: string | null;
}

export function toSession(r: SessionRow): StudySession {
  const startedAt = new Date(r.started_at);
  return {
    id: r.id,
    way: r.way,
    topic: r.topic,
    startedAt: startedAt.toISOString(),
    expiresAt: sessionExpiresAt(startedAt).toISOString(),
    creditEndsAt: creditDeadline({ startedAt, lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at) : null }).toISOString(),
    finishedAt: r.finished_at ? iso(r.finished_at) : null,
    status: r.status,
    creditedMinutes: r.credited_minutes,
    creditedDay: r.credited_day,
  };
}

export const SESSION_JSON = (alias: string) =>
  sql.raw(
    `json_build_object('id', ${alias}.id, 'way', ${alias}.way, 'topic', ${alias}.topic, 'started_at', ${alias}.started_at, ` +
      `'finished_at', ${alias}.finished_at, 'last_seen_at', ${alias}.last_seen_at, 'status', ${alias}.status, 'credited_minutes', ${alias}.credited_minutes, 'credited_day', ${alias}.credited_day)`,
  );

/**
 * Credits `minutes` to members on `day` from an entry insert, in one statement:
 * the entries (skipping any already there for the same session or event) and
 * the study_days roll-up of exactly those that were inserted.
 */
export function creditStatement(opts: {
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


export async function activeMember(db: Db, memberId: number): Promise<{ id: number; organization_id: number; name: string }> {
  const [m] = await queryRows<{ id: number; organization_id: number; name: string }>(
    db,
    sql`select id, organization_id, name from members where id = ${memberId}::int and status = 'active'`,
  );
  if (!m) throw forbidden('您的党员档案不在册（已转出或停止党籍），无法记录学习');
  return m;
}
