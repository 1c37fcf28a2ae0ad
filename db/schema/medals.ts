/** 光荣在党50年纪念章: one presentation per member in a lifetime (shared/medals.ts). */
import { sql } from 'drizzle-orm';
import { check, date, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts, members } from './core.js';

export const medalAwards = pgTable(
  'medal_awards',
  {
    id: serial('id').primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    /** The 七一 it belongs to: the year of `awarded_on`. */
    year: integer('year').notNull(),
    awardedOn: date('awarded_on').notNull(),
    presentedBy: text('presented_by').notNull(),
    note: text('note'),
    recordedByAccountId: integer('recorded_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Once in a member's life: the index is the rule, so a retry or a second clerk inserts nothing.
    uniqueIndex('medal_awards_member_uq').on(t.memberId),
    check('medal_awards_year_ck', sql`${t.year} = extract(year from ${t.awardedOn})::int`),
    check('medal_awards_presented_by_ck', sql`char_length(${t.presentedBy}) between 1 and 60`),
  ],
);
