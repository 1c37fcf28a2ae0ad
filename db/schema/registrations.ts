/**
 * Self-registrations waiting for (or past) the branch's verification. The
 * applicant's ID number is stored like the roster's: AES-GCM cipher, keyed hash,
 * masked form — never in plain text.
 */
import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { genders, memberCategories, type Gender, type MemberCategory } from '../../shared/common.js';
import { registrationStatuses, type RegistrationStatus } from '../../shared/registrations.js';
import { inList } from '../sql.js';
import { accounts, members, organizations } from './core.js';

export const registrations = pgTable(
  'registrations',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    /** The branch that verifies it (the roster record's branch when the ID number matched one). */
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** The branch the applicant chose (what they are shown); null on rows from before it was kept apart. */
    requestedOrganizationId: integer('requested_organization_id').references(() => organizations.id),
    name: text('name').notNull(),
    gender: text('gender').$type<Gender>().notNull(),
    ethnicity: text('ethnicity').notNull(),
    birthDate: date('birth_date').notNull(),
    idCipher: text('id_cipher').notNull(),
    idHash: text('id_hash').notNull(),
    idMasked: text('id_masked').notNull(),
    phone: text('phone').notNull(),
    category: text('category').$type<MemberCategory>().notNull(),
    joinedAt: date('joined_at').notNull(),
    confirmedAt: date('confirmed_at'),
    status: text('status').$type<RegistrationStatus>().notNull().default('pending'),
    /** Roster record with the same ID number found at submission (imported before the person registered). */
    rosterMemberId: integer('roster_member_id').references(() => members.id),
    /** The member record the approval created or linked. */
    memberId: integer('member_id').references(() => members.id),
    rejectReason: text('reject_reason'),
    decidedByAccountId: integer('decided_by_account_id').references(() => accounts.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Two open registrations from one account are settled here. Two accounts may each have one
    // for the same ID number: refusing the second would tell its sender the number is in use
    // (a membership oracle), so the reviewing officer sees the duplicate instead, and approval
    // can link one account at most (accounts_member_uq).
    uniqueIndex('registrations_pending_account_uq').on(t.accountId).where(sql`${t.status} = 'pending'`),
    index('registrations_id_hash_idx').on(t.idHash),
    index('registrations_org_status_idx').on(t.organizationId, t.status, t.createdAt),
    index('registrations_account_idx').on(t.accountId, t.createdAt),
    check('registrations_status_ck', inList(t.status, registrationStatuses)),
    check('registrations_gender_ck', inList(t.gender, genders)),
    check('registrations_category_ck', inList(t.category, memberCategories)),
    check(
      'registrations_decision_ck',
      sql`(${t.status} = 'pending') = (${t.decidedAt} is null) and (${t.status} <> 'rejected' or ${t.rejectReason} is not null)`,
    ),
  ],
);
