/**
 * Tables for the study domain.
 *
 * `study_entries` is the ledger (every credited minute, with its source);
 * `study_days` is the roll-up (one row per member and Shanghai day) that every
 * write maintains in the same statement, so summaries never scan the ledger,
 * and whose row lock makes the self-report daily cap atomic.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { studySources, studyWays, type StudySource, type StudyWay } from '../../shared/study.js';
import { inList } from '../sql.js';
import { accounts, members, organizations } from './core.js';

export const studySessionStates = ['open', 'finished', 'expired'] as const;
export type StudySessionState = (typeof studySessionStates)[number];

/** Timed self-study. At most one open session per member (partial unique index). */
export const studySessions = pgTable(
  'study_sessions',
  {
    id: serial('id').primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    way: text('way').$type<StudyWay>().notNull(),
    topic: text('topic').notNull(),
    /** Server time only: the client never sends a start, finish or duration. */
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** The open page's last presence confirmation (server time); credit ends soon after it (shared/study-timer.ts). */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    status: text('status').$type<StudySessionState>().notNull().default('open'),
    creditedMinutes: integer('credited_minutes'),
    creditedDay: date('credited_day'),
  },
  (t) => [
    uniqueIndex('study_sessions_one_open_uq').on(t.memberId).where(sql`${t.status} = 'open'`),
    index('study_sessions_member_idx').on(t.memberId, t.startedAt),
    check('study_sessions_status_ck', inList(t.status, studySessionStates)),
    check('study_sessions_way_ck', inList(t.way, studyWays)),
  ],
);

/** Collective study (集中学习): created by an officer, attended by scanning its QR code or ticked. */
export const studyEvents = pgTable(
  'study_events',
  {
    id: serial('id').primaryKey(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    way: text('way').$type<StudyWay>().notNull(),
    topic: text('topic').notNull(),
    place: text('place').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** The Shanghai day attendees are credited on. */
    day: date('day').notNull(),
    minutes: integer('minutes').notNull(),
    createdByAccountId: integer('created_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('study_events_org_starts_idx').on(t.organizationId, t.startsAt),
    check('study_events_span_ck', sql`${t.endsAt} > ${t.startsAt} and ${t.minutes} between 1 and 480`),
    check('study_events_way_ck', inList(t.way, studyWays)),
  ],
);

/**
 * Every credited minute. A self-report carries its Idempotency-Key and request
 * fingerprint, so a check-in is one statement (insert, replay or cap) with no
 * separate idempotency table.
 */
export const studyEntries = pgTable(
  'study_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    /** The member's branch when credited. */
    organizationId: integer('organization_id').notNull(),
    day: date('day').notNull(),
    minutes: integer('minutes').notNull(),
    requestedMinutes: integer('requested_minutes'),
    way: text('way').$type<StudyWay>().notNull(),
    topic: text('topic').notNull(),
    source: text('source').$type<StudySource>().notNull(),
    sessionId: integer('session_id').references(() => studySessions.id),
    eventId: integer('event_id').references(() => studyEvents.id),
    /** Who recorded it: the member, or the secretary for 代录 and ticks. */
    accountId: integer('account_id').notNull(),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    /** When the member acted, for a write queued offline (shared/queued-writes.ts); created_at is when it arrived. */
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
    /** 离线补传: arrived later than OFFLINE_LATE_AFTER_SECONDS after the act, within the bound. */
    offlineLate: boolean('offline_late').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('study_entries_idempotency_uq').on(t.accountId, t.idempotencyKey),
    // A session past midnight credits one entry per Shanghai day it spans.
    uniqueIndex('study_entries_session_day_uq').on(t.sessionId, t.day).where(sql`${t.sessionId} is not null`),
    uniqueIndex('study_entries_event_member_uq').on(t.eventId, t.memberId).where(sql`${t.eventId} is not null`),
    index('study_entries_member_created_idx').on(t.memberId, t.createdAt),
    check('study_entries_minutes_ck', sql`${t.minutes} between 1 and 480`),
    check('study_entries_source_ck', inList(t.source, studySources)),
    check('study_entries_way_ck', inList(t.way, studyWays)),
  ],
);

/**
 * The daily roll-up: one row per member and day, updated by the same statement
 * that writes the entry. `last_credit` is what that statement added (PostgreSQL
 * 15 has no OLD in RETURNING, and the cap is decided under the row lock).
 */
export const studyDays = pgTable(
  'study_days',
  {
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    day: date('day').notNull(),
    organizationId: integer('organization_id').notNull(),
    minutes: integer('minutes').notNull().default(0),
    selfReportedMinutes: integer('self_reported_minutes').notNull().default(0),
    lastCredit: integer('last_credit').notNull().default(0),
  },
  (t) => [
    primaryKey({ name: 'study_days_pk', columns: [t.memberId, t.day] }),
    // Covering (member and minutes as trailing keys): the township summary reads a
    // branch's day range from the index alone, never the heap.
    index('study_days_org_day_idx').on(t.organizationId, t.day, t.memberId, t.minutes),
    check('study_days_self_cap_ck', sql`${t.selfReportedMinutes} between 0 and 60`),
  ],
);

/**
 * The branch-day roll-up the township views read (study summary, dashboard):
 * per organization and day, the members meeting the daily target, the members
 * who studied at all, and their minutes. Counted over the rows of study_days
 * whose member is active and still in that organization (what the views count).
 * Maintained by triggers on study_days and members (migration
 * `perf_study_org_days_triggers`, locking made exact under concurrency in
 * `study_org_days_exact_locking`), so every write path keeps it exact and a
 * check-in stays one statement.
 */
export const studyOrgDays = pgTable(
  'study_org_days',
  {
    organizationId: integer('organization_id').notNull(),
    day: date('day').notNull(),
    metMembers: integer('met_members').notNull().default(0),
    studiedMembers: integer('studied_members').notNull().default(0),
    totalMinutes: integer('total_minutes').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'study_org_days_pk', columns: [t.organizationId, t.day] })],
);
