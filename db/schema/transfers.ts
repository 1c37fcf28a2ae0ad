/**
 * Tables for the transfers domain (组织关系转接): the transfers themselves, their
 * append-only timeline, and the per-year counter behind gapless letter numbers.
 */
import { sql } from 'drizzle-orm';
import { bigserial, check, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Gender, MemberCategory } from '../../shared/common.js';
import {
  FINAL_STATES,
  transferKinds,
  transferReasons,
  transferScopes,
  transferStates,
  type TransferAction,
  type TransferKind,
  type TransferReason,
  type TransferScope,
  type TransferState,
  type TransferringMember,
} from '../../shared/transfers.js';
import { inList, literalList } from '../sql.js';
import { accounts, members, organizations } from './core.js';

/** Details of a member transferring in, kept until 报到 creates (or reactivates) their roster row. */
export interface IncomingPerson {
  birthDate: string;
  joinedAt: string;
  confirmedAt: string | null;
  education: string | null;
}

/**
 * One transfer. The member's name, gender, ethnicity, category and masked ID
 * are a snapshot taken when it was filed: the ledger shows what the letter said.
 * Organization names are snapshots too (a branch renamed later, an outside unit).
 */
export const transfers = pgTable(
  'transfers',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').$type<TransferKind>().notNull(),
    state: text('state').$type<TransferState>().notNull(),
    /** Bumped by every step: a step names the version it saw, so a stale screen cannot act twice. */
    version: integer('version').notNull().default(1),
    memberId: integer('member_id').references(() => members.id),
    memberName: text('member_name').notNull(),
    gender: text('gender').$type<Gender>().notNull(),
    ethnicity: text('ethnicity').notNull(),
    category: text('category').$type<MemberCategory>().notNull(),
    idMasked: text('id_masked').notNull(),
    /** 转入 only: the sealed ID number (see db/pii.ts) the roster row is created from. */
    idCipher: text('id_cipher'),
    idHash: text('id_hash'),
    incomingPerson: jsonb('incoming_person').$type<IncomingPerson>(),
    fromOrganizationId: integer('from_organization_id').references(() => organizations.id),
    fromOrganizationName: text('from_organization_name').notNull(),
    toOrganizationId: integer('to_organization_id').references(() => organizations.id),
    toOrganizationName: text('to_organization_name').notNull(),
    /**
     * The townships (the committees, from api/_app/scope.ts at filing) of the two branches, null for an outside
     * unit. The sending one acts as the transfer's committee and numbers its letter; a receiving one of another
     * township sees the transfer and receives the member (县内跨镇转接).
     */
    fromTownshipId: integer('from_township_id').references(() => organizations.id),
    toTownshipId: integer('to_township_id').references(() => organizations.id),
    /** 转出: the 抬头 the letter is addressed to. */
    letterAddressee: text('letter_addressee'),
    /** 转入: the number of the letter the member brought. */
    incomingLetterNumber: text('incoming_letter_number'),
    scope: text('scope').$type<TransferScope>().notNull(),
    reason: text('reason').$type<TransferReason>().notNull(),
    reasonNote: text('reason_note'),
    /** 党费交至, YYYY-MM. */
    duesPaidThrough: text('dues_paid_through').notNull(),
    contactPhone: text('contact_phone').notNull(),
    applicantAccountId: integer('applicant_account_id')
      .notNull()
      .references(() => accounts.id),
    appliedOn: date('applied_on').notNull(),
    letterYear: integer('letter_year'),
    letterSequence: integer('letter_sequence'),
    letterNumber: text('letter_number'),
    letterIssuedOn: date('letter_issued_on'),
    validityDays: integer('validity_days'),
    letterExpiresOn: date('letter_expires_on'),
    receiptDueOn: date('receipt_due_on'),
    receiptReceivedOn: date('receipt_received_on'),
    reportedOn: date('reported_on'),
    completedOn: date('completed_on'),
    /** 经办人 on the ledger: the committee staff who approved. */
    approverAccountId: integer('approver_account_id').references(() => accounts.id),
    closingReason: text('closing_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // At most one open transfer per member: the database says so, not a check-then-insert.
    uniqueIndex('transfers_one_open_per_member_uq')
      .on(t.memberId)
      .where(sql`state not in ${literalList(FINAL_STATES)}`),
    // 转入 by ID number: a secretary's registration is accepted even when another one for the number is
    // open (their answer must not tell), so several may be pending; 党委审批 lets one through at a time.
    uniqueIndex('transfers_one_approved_per_id_hash_uq')
      .on(t.idHash)
      .where(sql`state = 'awaiting_report'`),
    index('transfers_id_hash_idx').on(t.idHash),
    // Letter numbers run per issuing township and year (县内跨镇转接 means several townships number letters).
    uniqueIndex('transfers_letter_number_uq').on(t.fromTownshipId, t.letterYear, t.letterSequence),
    index('transfers_state_idx').on(t.state),
    index('transfers_from_org_idx').on(t.fromOrganizationId),
    index('transfers_to_org_idx').on(t.toOrganizationId),
    index('transfers_applied_on_idx').on(t.appliedOn),
    check('transfers_kind_ck', inList(t.kind, transferKinds)),
    check('transfers_state_ck', inList(t.state, transferStates)),
    check('transfers_scope_ck', inList(t.scope, transferScopes)),
    check('transfers_reason_ck', inList(t.reason, transferReasons)),
    check('transfers_validity_ck', sql`${t.validityDays} is null or ${t.validityDays} between 1 and 90`),
    check('transfers_letter_ck', sql`(${t.letterNumber} is null) = (${t.letterSequence} is null)`),
  ],
);

/** The member columns a transfer is filed from (shared/transfers/snapshot.ts `memberSnapshot` copies them): the form and the seed select this. */
export const transferringMember = {
  id: members.id,
  name: members.name,
  gender: members.gender,
  ethnicity: members.ethnicity,
  category: members.category,
  idMasked: members.idMasked,
  organizationId: members.organizationId,
  organizationName: organizations.name,
} satisfies Record<keyof TransferringMember, unknown>;

/** The timeline: one row per step, never updated. */
export const transferEvents = pgTable(
  'transfer_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transferId: integer('transfer_id')
      .notNull()
      .references(() => transfers.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorAccountId: integer('actor_account_id').references(() => accounts.id),
    actorRole: text('actor_role').notNull(),
    action: text('action').$type<TransferAction | 'apply'>().notNull(),
    fromState: text('from_state').$type<TransferState>(),
    toState: text('to_state').$type<TransferState>().notNull(),
    comment: text('comment'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('transfer_events_transfer_idx').on(t.transferId, t.at)],
);

/**
 * Letter numbers: one row per issuing township and year. Taking a number is an upsert that bumps
 * `last_number` inside the approval's transaction, so the row lock serialises
 * concurrent approvals and a rolled-back approval gives its number back.
 */
export const transferLetterSequences = pgTable(
  'transfer_letter_sequences',
  {
    townshipId: integer('township_id')
      .notNull()
      .references(() => organizations.id),
    year: integer('year').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ name: 'transfer_letter_sequences_pk', columns: [t.townshipId, t.year] })],
);

/**
 * "进度提醒我": the member accepted one WeChat subscribe message about this transfer. A one-time
 * subscription allows one message, so the first later step spends it: the conditional update that
 * sets `used_at` (only while it is null) is the claim, and a replayed or concurrent step finds
 * nothing left to send. Accepting again after it was spent arms it again (WeChat counts each accept).
 */
export const transferSubscriptions = pgTable(
  'transfer_subscriptions',
  {
    id: serial('id').primaryKey(),
    transferId: integer('transfer_id')
      .notNull()
      .references(() => transfers.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    /** The template the member accepted (the township's setting at that moment). */
    templateId: text('template_id').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('transfer_subscriptions_transfer_account_uq').on(t.transferId, t.accountId)],
);
