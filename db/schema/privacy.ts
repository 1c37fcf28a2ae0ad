/**
 * Consents to the privacy guide (隐私保护指引), per account, version and scope.
 * A row is the proof of one agreement; withdrawing stamps `withdrawn_at` and
 * never deletes it. One standing (not withdrawn) row per account, scope and
 * version: agreeing twice, or two taps racing, settle on the unique index.
 */
import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, pgTable, timestamp, uniqueIndex, text } from 'drizzle-orm/pg-core';
import { consentScopes, type ConsentScope } from '../../shared/privacy.js';
import { inList } from '../sql.js';
import { accounts } from './core.js';

export const privacyConsents = pgTable(
  'privacy_consents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    /** PRIVACY_GUIDE_VERSION the user read and agreed to. */
    version: integer('version').notNull(),
    scope: text('scope').$type<ConsentScope>().notNull(),
    agreedAt: timestamp('agreed_at', { withTimezone: true }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('privacy_consents_standing_uq').on(t.accountId, t.scope, t.version).where(sql`${t.withdrawnAt} is null`),
    index('privacy_consents_account_idx').on(t.accountId, t.agreedAt),
    check('privacy_consents_scope_ck', inList(t.scope, consentScopes)),
    check('privacy_consents_withdrawn_ck', sql`${t.withdrawnAt} is null or ${t.withdrawnAt} >= ${t.agreedAt}`),
  ],
);
