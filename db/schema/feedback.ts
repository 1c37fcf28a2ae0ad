/**
 * 投诉建议: one row per complaint or suggestion, its current state, and an
 * append-only history of every step (sent, taken on, replied, closed). Nothing
 * is deleted: the runtime role has no DELETE, and a trigger refuses changes to
 * the history (migration `feedback_append_only`).
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { feedbackActions, feedbackKinds, feedbackLevels, feedbackStates, feedbackTopics, FEEDBACK_REPLY_MAX, FEEDBACK_TEXT_MAX, type FeedbackAction, type FeedbackKind, type FeedbackLevel, type FeedbackState, type FeedbackTopic } from '../../shared/feedback.js';
import { inList } from '../sql.js';
import { accounts, organizations } from './core.js';

export const feedback = pgTable(
  'feedback',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    /** The sender's township when sent (null for county staff and applicants, who belong to none). */
    townshipId: integer('township_id').references(() => organizations.id),
    /** Who handles it: that township's staff, or the county (`feedbackHandledBy` in shared/). */
    handledBy: text('handled_by').$type<FeedbackLevel>().notNull().default('township'),
    /** The sender's branch when sent (null for staff and applicants): for counts only. */
    organizationId: integer('organization_id').references(() => organizations.id),
    kind: text('kind').$type<FeedbackKind>().notNull(),
    topic: text('topic').$type<FeedbackTopic>().notNull(),
    body: text('body').notNull(),
    anonymous: boolean('anonymous').notNull().default(false),
    state: text('state').$type<FeedbackState>().notNull().default('open'),
    assignedToAccountId: integer('assigned_to_account_id').references(() => accounts.id),
    reply: text('reply'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('feedback_account_idx').on(t.accountId, t.createdAt),
    index('feedback_township_idx').on(t.townshipId, t.state),
    check('feedback_kind_ck', inList(t.kind, feedbackKinds)),
    check('feedback_topic_ck', inList(t.topic, feedbackTopics)),
    check('feedback_state_ck', inList(t.state, feedbackStates)),
    check('feedback_handled_by_ck', inList(t.handledBy, feedbackLevels)),
    check('feedback_body_ck', sql`char_length(${t.body}) between 1 and ${sql.raw(String(FEEDBACK_TEXT_MAX))}`),
    check('feedback_reply_ck', sql`${t.reply} is null or char_length(${t.reply}) between 1 and ${sql.raw(String(FEEDBACK_REPLY_MAX))}`),
  ],
);

export const feedbackEvents = pgTable(
  'feedback_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    feedbackId: integer('feedback_id')
      .notNull()
      .references(() => feedback.id),
    action: text('action').$type<FeedbackAction>().notNull(),
    actorAccountId: integer('actor_account_id').references(() => accounts.id),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('feedback_events_feedback_idx').on(t.feedbackId, t.id), check('feedback_events_action_ck', inList(t.action, feedbackActions))],
);
