/**
 * Commendations (两优一先), the campaigns that award them with quotas, and the
 * township's yearly targets.
 */
import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { commendationCategories, commendationLevels, type CommendationCategory, type CommendationLevel, type Quotas } from '../../shared/commendations.js';
import { inList, literal } from '../sql.js';
import { accounts, members, organizations } from './core.js';

/** The category whose subject is an organization, not a member. */
const ORGANIZATION_CATEGORY = literal(commendationCategories[2]);

/** A 表彰活动 such as "2026年七一表彰", owned by the township committee. */
export const commendationCampaigns = pgTable(
  'commendation_campaigns',
  {
    id: serial('id').primaryKey(),
    /** The committee that runs it. */
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    year: integer('year').notNull(),
    heldOn: date('held_on'),
    /** Places per category; a category left out has no limit. */
    quotas: jsonb('quotas').$type<Quotas>().notNull().default({}),
    createdByAccountId: integer('created_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('commendation_campaigns_org_name_uq').on(t.organizationId, t.name)],
);

/**
 * One commendation. `organization_id` is the member's branch when recorded (so
 * the honor stays with the branch that earned it after a transfer) or the
 * commended organization itself; scope rules work on it for both.
 *
 * Deleting is soft (`deleted_at`): the record stays for the audit trail and for
 * certificates already printed, and leaves every list and count. The
 * once-per-campaign rule ignores deleted rows so a mistaken record can be redone.
 */
export const commendations = pgTable(
  'commendations',
  {
    id: serial('id').primaryKey(),
    category: text('category').$type<CommendationCategory>().notNull(),
    memberId: integer('member_id').references(() => members.id),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    level: text('level').$type<CommendationLevel>().notNull(),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    awardedOn: date('awarded_on').notNull(),
    issuedBy: text('issued_by').notNull(),
    citation: text('citation').notNull().default(''),
    campaignId: integer('campaign_id').references(() => commendationCampaigns.id),
    version: integer('version').notNull().default(1),
    createdByAccountId: integer('created_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedByAccountId: integer('deleted_by_account_id').references(() => accounts.id),
  },
  (t) => [
    check('commendations_category_ck', inList(t.category, commendationCategories)),
    check('commendations_level_ck', inList(t.level, commendationLevels)),
    check(
      'commendations_subject_ck',
      sql`(${t.category} = ${ORGANIZATION_CATEGORY} and ${t.memberId} is null) or (${t.category} <> ${ORGANIZATION_CATEGORY} and ${t.memberId} is not null)`,
    ),
    uniqueIndex('commendations_campaign_member_uq')
      .on(t.campaignId, t.memberId, t.category)
      .where(sql`${t.campaignId} is not null and ${t.memberId} is not null and ${t.deletedAt} is null`),
    uniqueIndex('commendations_campaign_org_uq')
      .on(t.campaignId, t.organizationId, t.category)
      .where(sql`${t.campaignId} is not null and ${t.memberId} is null and ${t.deletedAt} is null`),
    // One title per member (or organization) per honor year, campaign or not: see shared/commendation-rules.ts.
    uniqueIndex('commendations_member_year_uq')
      .on(t.memberId, t.category, t.year)
      .where(sql`${t.memberId} is not null and ${t.deletedAt} is null`),
    uniqueIndex('commendations_org_year_uq')
      .on(t.organizationId, t.category, t.year)
      .where(sql`${t.memberId} is null and ${t.deletedAt} is null`),
    index('commendations_year_idx').on(t.year, t.category).where(sql`${t.deletedAt} is null`),
    index('commendations_member_idx').on(t.memberId),
    index('commendations_org_idx').on(t.organizationId),
  ],
);

/** The plan's "年内表彰优秀党员不少于N人次": one number per committee, year and category. */
export const commendationTargets = pgTable(
  'commendation_targets',
  {
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    year: integer('year').notNull(),
    category: text('category').$type<CommendationCategory>().notNull(),
    target: integer('target').notNull(),
    updatedByAccountId: integer('updated_by_account_id').references(() => accounts.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'commendation_targets_pk', columns: [t.organizationId, t.year, t.category] }),
    check('commendation_targets_category_ck', inList(t.category, commendationCategories)),
    check('commendation_targets_nonnegative_ck', sql`${t.target} >= 0`),
  ],
);
