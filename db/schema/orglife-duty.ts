/**
 * 党课 duty (shared/orglife/duty.ts): which villages (branches) a township leader
 * (班子成员) or a branch secretary is assigned to (包村), kept by township staff.
 * The 党课 they give are orglife_meetings rows naming them as speaker. An assignment
 * taken away is ended (`ended_at`), never deleted: the runtime role deletes no
 * records, and who held a village when stays readable.
 */
import { index, integer, pgTable, serial, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts, members, organizations } from './core.js';

export const orglifeLectureAssignments = pgTable(
  'orglife_lecture_assignments',
  {
    id: serial('id').primaryKey(),
    /** The leader: a member of the township (their own branch is members.organization_id). */
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    /** The village branch they are assigned to. */
    branchId: integer('branch_id')
      .notNull()
      .references(() => organizations.id),
    createdByAccountId: integer('created_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the assignment was taken away (null while it holds); given back, it is current again. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('orglife_lecture_assignments_uq').on(t.memberId, t.branchId), index('orglife_lecture_assignments_branch_idx').on(t.branchId)],
);
