/**
 * 消息中心: one row per message per account, written in the transaction of the
 * event it records (api/_app/messages.ts). Reminders of due dates are not stored
 * (shared/messages.ts). `read_at` is the only column that ever changes.
 */
import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { MESSAGE_BODY_MAX, MESSAGE_TITLE_MAX, messageKinds, messageTargets, type MessageKind, type MessageTarget } from '../../shared/messages.js';
import { inList } from '../sql.js';
import { accounts } from './core.js';

export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    kind: text('kind').$type<MessageKind>().notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    targetType: text('target_type').$type<MessageTarget>().notNull(),
    targetId: integer('target_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    // The list (newest first, by id) and the unread count both read one account's rows.
    index('messages_account_idx').on(t.accountId, t.id),
    index('messages_account_unread_idx').on(t.accountId).where(sql`${t.readAt} is null`),
    check('messages_kind_ck', inList(t.kind, messageKinds)),
    check('messages_target_ck', inList(t.targetType, messageTargets)),
    check('messages_title_ck', sql`char_length(${t.title}) between 1 and ${sql.raw(String(MESSAGE_TITLE_MAX))}`),
    check('messages_body_ck', sql`char_length(${t.body}) <= ${sql.raw(String(MESSAGE_BODY_MAX))}`),
  ],
);
