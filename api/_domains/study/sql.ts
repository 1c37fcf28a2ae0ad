/**
 * Helpers every study route uses: raw rows, the JSON shapes of entries and
 * sessions (named by the schema, db/sql.ts), and the one statement that credits minutes.
 */
import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type IsoDate } from '../../../shared/calendar.js';
import { sessionExpiresAt, type StudyEntry, type StudySession, type StudySource, type StudyWay } from '../../../shared/study.js';
import { creditDeadline } from '../../../shared/study-timer.js';
import { queryRows, type Db } from '../../../db/client.js';
import { members, studyDays, studyEntries, studySessions } from '../../../db/schema/index.js';
import { col, cols, iso, jsonObject, ref, selectAs, type JsonRow } from '../../../db/sql.js';
import type { Principal } from '../../_app/auth.js';
import { forbidden } from '../../_app/errors.js';

// ---------------------------------------------------------------- helpers


export function ownMemberId(p: Principal): number {
  if (p.memberId == null) throw forbidden('当前账号没有关联党员档案，无法记录学习');
  return p.memberId;
}

const ENTRY_FIELDS = [
  'id', 'memberId', 'day', 'minutes', 'requestedMinutes', 'way', 'topic', 'source', 'sessionId', 'eventId', 'createdAt', 'requestHash',
  'recordedAt', 'offlineLate',
] as const;
/** An entry as its JSON comes back from SQL (`entryJson`): the schema's property names, timestamps as strings. */
export type EntryRow = JsonRow<typeof studyEntries, (typeof ENTRY_FIELDS)[number]>;

/** `json_build_object(…)` of an entry, read from `alias` (a table alias, or a CTE returning study_entries rows). */
export const entryJson = (relation: string) => jsonObject(alias(studyEntries, relation), ENTRY_FIELDS);

export function toEntry(r: EntryRow): StudyEntry {
  return {
    id: Number(r.id),
    memberId: r.memberId,
    day: r.day,
    minutes: r.minutes,
    requestedMinutes: r.requestedMinutes,
    way: r.way,
    topic: r.topic,
    source: r.source,
    sessionId: r.sessionId,
    eventId: r.eventId,
    createdAt: iso(r.createdAt),
    recordedAt: r.recordedAt ? iso(r.recordedAt) : null,
    offlineLate: r.offlineLate,
  };
}

const SESSION_FIELDS = [
  'id', 'way', 'topic', 'startedAt', 'finishedAt', 'lastSeenAt', 'status', 'creditedMinutes', 'creditedDay',
] as const;
/** A session as its JSON comes back from SQL (`sessionJson`). */
export type SessionRow = JsonRow<typeof studySessions, (typeof SESSION_FIELDS)[number]>;

export const sessionJson = (relation: string) => jsonObject(alias(studySessions, relation), SESSION_FIELDS);

export function toSession(r: SessionRow): StudySession {
  const startedAt = new Date(r.startedAt);
  return {
    id: r.id,
    way: r.way,
    topic: r.topic,
    startedAt: startedAt.toISOString(),
    expiresAt: sessionExpiresAt(startedAt).toISOString(),
    creditEndsAt: creditDeadline({ startedAt, lastSeenAt: r.lastSeenAt ? new Date(r.lastSeenAt) : null }).toISOString(),
    finishedAt: r.finishedAt ? iso(r.finishedAt) : null,
    status: r.status,
    creditedMinutes: r.creditedMinutes,
    creditedDay: r.creditedDay,
  };
}

/**
 * Credits `minutes` to members on `day` from an entry insert, in one statement:
 * the entries (skipping any already there for the same session or event) and
 * the study_days roll-up of exactly those that were inserted.
 */
/** The select list of `creditStatement`'s rows: a member and the branch credited. */
export const candidates = (memberId: SQL, organizationId: SQL): SQL =>
  sql`select ${memberId} as ${col(studyEntries.memberId)}, ${organizationId} as ${col(studyEntries.organizationId)}`;

export function creditStatement(opts: {
  /** One row per member: `candidates(rows)` names its columns as study_entries does. */
  rows: SQL;
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
  /** A write queued offline: when the member acted, and whether it arrived late (shared/queued-writes.ts). */
  recordedAt?: Date | null;
  offlineLate?: boolean;
}): SQL {
  const e = studyEntries;
  const d = alias(studyDays, 'd');
  const i = 'inserted';
  return sql`
    with candidates as (${opts.rows}),
    inserted as (
      insert into ${e} ${cols(e.memberId, e.organizationId, e.day, e.minutes, e.way, e.topic, e.source, e.sessionId, e.eventId, e.accountId, e.createdAt, e.recordedAt, e.offlineLate)}
      select ${ref('c', e.memberId)}, ${ref('c', e.organizationId)}, ${opts.day}::date, ${opts.minutes}::int, ${opts.way}, ${opts.topic}, ${opts.source},
             ${opts.sessionId}::int, ${opts.eventId}::int, ${opts.accountId}::int, ${opts.now.toISOString()}::timestamptz,
             ${opts.recordedAt ? opts.recordedAt.toISOString() : null}::timestamptz, ${opts.offlineLate ?? false}::boolean
      from candidates c
      on conflict ${opts.conflictTarget} do nothing
      returning *
    ),
    rolled as (
      insert into ${studyDays} as ${d} ${cols(d.memberId, d.day, d.organizationId, d.minutes, d.lastCredit)}
      select ${ref(i, e.memberId)}, ${ref(i, e.day)}, ${ref(i, e.organizationId)}, ${ref(i, e.minutes)}, ${ref(i, e.minutes)} from inserted
      on conflict ${cols(d.memberId, d.day)} do update set
        ${col(d.minutes)} = ${d.minutes} + excluded.${col(d.minutes)},
        ${col(d.lastCredit)} = excluded.${col(d.minutes)},
        ${col(d.organizationId)} = excluded.${col(d.organizationId)}
      returning ${col(d.memberId)}
    )
    select ${entryJson(i)} as entry, (select count(*) from rolled)::int as rolled from inserted`;
}

type ActiveMember = Pick<typeof members.$inferSelect, 'id' | 'organizationId' | 'name'>;

export async function activeMember(db: Db, memberId: number): Promise<ActiveMember> {
  const m = alias(members, 'm');
  const [row] = await queryRows<ActiveMember>(
    db,
    sql`select ${selectAs(m, ['id', 'organizationId', 'name'])} from ${members} ${m}
        where ${m.id} = ${memberId}::int and ${m.status} = 'active'`,
  );
  if (!row) throw forbidden('您的党员档案不在册（已转出或停止党籍），无法记录学习');
  return row;
}
