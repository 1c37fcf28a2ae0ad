/** Tables for the birthdays domain: sign-ins, collective ceremonies, reminder queue. */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { signInModes, type SignInMode } from '../../shared/birthdays.js';
import { inList } from '../sql.js';
import { accounts, members, organizations } from './core.js';

/** A branch's collective political birthday (usually at the monthly 主题党日). */
export const birthdayCeremonies = pgTable(
  'birthday_ceremonies',
  {
    id: serial('id').primaryKey(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    heldOn: date('held_on').notNull(),
    topic: text('topic').notNull(),
    place: text('place'),
    note: text('note'),
    recordedByAccountId: integer('recorded_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('birthday_ceremonies_org_held_idx').on(t.organizationId, t.heldOn)],
);

/**
 * One sign-in per member per anniversary year: the unique index is the rule,
 * so a retried or concurrent sign-in inserts nothing (ON CONFLICT DO NOTHING).
 */
export const birthdaySignIns = pgTable(
  'birthday_sign_ins',
  {
    id: serial('id').primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    year: integer('year').notNull(),
    /** 入党N周年 in that year, kept as recorded. */
    years: integer('years').notNull(),
    mode: text('mode').$type<SignInMode>().notNull(),
    ceremonyId: integer('ceremony_id').references(() => birthdayCeremonies.id),
    reflection: text('reflection'),
    /** When the member signed (for a sign-in queued offline, the bounded claim: shared/queued-writes.ts). */
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
    /** 离线补传: the sign-in was made offline and arrived later. */
    offlineLate: boolean('offline_late').notNull().default(false),
    recordedByAccountId: integer('recorded_by_account_id').references(() => accounts.id),
  },
  (t) => [
    uniqueIndex('birthday_sign_ins_member_year_uq').on(t.memberId, t.year),
    check('birthday_sign_ins_mode_ck', inList(t.mode, signInModes)),
    check('birthday_sign_ins_ceremony_ck', sql`(${t.mode} = 'ceremony') = (${t.ceremonyId} is not null)`),
    check('birthday_sign_ins_reflection_ck', sql`${t.reflection} is null or char_length(${t.reflection}) <= 1000`),
  ],
);

export const reminderStates = ['pending', 'sending', 'sent', 'failed'] as const;
export type ReminderState = (typeof reminderStates)[number];

/**
 * The WeChat subscribe-message reminder, once per member per year. The job
 * claims rows (pending → sending) in one statement, sends outside any
 * transaction, then records sent or failed; failed rows are claimed again on a
 * later run until `attempts` reaches the limit.
 */
export const birthdayReminders = pgTable(
  'birthday_reminders',
  {
    id: serial('id').primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    year: integer('year').notNull(),
    /** The day the sign-in window opened. */
    windowOpens: date('window_opens').notNull(),
    /** After this day a reminder is pointless: failed rows are no longer retried. */
    windowCloses: date('window_closes').notNull(),
    state: text('state').$type<ReminderState>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('birthday_reminders_member_year_uq').on(t.memberId, t.year),
    index('birthday_reminders_state_idx').on(t.state),
    check('birthday_reminders_state_ck', inList(t.state, reminderStates)),
  ],
);
