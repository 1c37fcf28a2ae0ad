/**
 * One-time invitation codes (乡镇开通): a code gives the account that redeems it
 * a role and an organization. Only the SHA-256 of the code is stored: a code has
 * about 50 bits of randomness and a short life, so a keyless hash is enough, and
 * a leaked table reveals no usable code. A code works once: redeeming is one
 * conditional UPDATE (unused, unrevoked, unexpired), so concurrent tries settle
 * in the database.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { invitationRoles, type InvitationRole } from '../../shared/onboarding.js';
import { inList } from '../sql.js';
import { accounts, members, organizations } from './core.js';

export const invitations = pgTable(
  'invitations',
  {
    id: serial('id').primaryKey(),
    codeHash: text('code_hash').notNull(),
    role: text('role').$type<InvitationRole>().notNull(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    /**
     * The roster entry of the person invited, when the inviter named one (a secretary is usually a member of
     * their branch): redeeming links the account to it, so the officer has their own study, birthday and data.
     */
    memberId: integer('member_id').references(() => members.id),
    /** Null for the first county account's code, printed by `npm run county:init`. */
    createdByAccountId: integer('created_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedByAccountId: integer('used_by_account_id').references(() => accounts.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedByAccountId: integer('revoked_by_account_id').references(() => accounts.id),
  },
  (t) => [
    uniqueIndex('invitations_code_hash_uq').on(t.codeHash),
    index('invitations_organization_idx').on(t.organizationId, t.createdAt),
    check('invitations_role_ck', inList(t.role, invitationRoles)),
    // Used and revoked are final and exclusive: both updates require the other to be null.
    check('invitations_used_ck', sql`(${t.usedAt} is null) = (${t.usedByAccountId} is null)`),
    check('invitations_final_ck', sql`${t.usedAt} is null or ${t.revokedAt} is null`),
    check('invitations_expiry_ck', sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);
