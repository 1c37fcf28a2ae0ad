/** Organizations, members, accounts and the audit log: the tables every feature stands on. */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import {
  genders,
  memberCategories,
  memberStatuses,
  organizationKinds,
  roles,
  type Gender,
  type MemberCategory,
  type MemberStatus,
  type OrganizationKind,
  type Role,
} from '../../shared/common.js';
import { inList, literal } from '../sql.js';

const [FULL, PROBATIONARY] = [literal(memberCategories[0]), literal(memberCategories[1])];

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/**
 * The organization tree: the county at the root, township committees (the
 * tenants) under it, village branches under them. `path` is the chain of ids
 * from the root (`/1/3/`), so a subtree is one prefix match; the township of an
 * organization is the nearest committee on its path (api/_app/scope.ts).
 */
export const organizations = pgTable(
  'organizations',
  {
    id: serial('id').primaryKey(),
    parentId: integer('parent_id').references((): AnyPgColumn => organizations.id),
    name: text('name').notNull(),
    kind: text('kind').$type<OrganizationKind>().notNull(),
    path: text('path').notNull().default(''),
    sortOrder: integer('sort_order').notNull().default(0),
    /** Per-township settings (birthday window and the like), on the committee row; county-wide defaults on the county row. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('organizations_parent_name_uq').on(t.parentId, t.name),
    index('organizations_path_idx').on(t.path),
    check('organizations_kind_ck', inList(t.kind, organizationKinds)),
    // One deployment is one county: at most one county row, and only at the root.
    uniqueIndex('organizations_one_county_uq').on(t.kind).where(sql`${t.kind} = 'county'`),
    check('organizations_county_root_ck', sql`${t.kind} <> 'county' or ${t.parentId} is null`),
  ],
);

/**
 * The roster. The ID number is stored only encrypted (`id_cipher`, AES-GCM with
 * a key from env) plus a keyed hash (`id_hash`, HMAC) that makes it unique and
 * searchable without being readable; `id_masked` is what every response shows.
 */
export const members = pgTable(
  'members',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    gender: text('gender').$type<Gender>().notNull(),
    ethnicity: text('ethnicity').notNull().default('汉族'),
    birthDate: date('birth_date').notNull(),
    idCipher: text('id_cipher').notNull(),
    idHash: text('id_hash').notNull(),
    idMasked: text('id_masked').notNull(),
    phone: text('phone').notNull(),
    education: text('education'),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    category: text('category').$type<MemberCategory>().notNull(),
    /** 入党日期: the day the branch meeting admitted them as 预备党员. */
    joinedAt: date('joined_at').notNull(),
    /** 转正日期: null while still 预备党员; never before the 预备期 ends (shared/member-facts.ts). */
    confirmedAt: date('confirmed_at'),
    /** 延长预备期 (once, 6–12 months) and the day the branch meeting decided it: both or neither. */
    probationExtensionMonths: integer('probation_extension_months'),
    probationExtendedOn: date('probation_extended_on'),
    status: text('status').$type<MemberStatus>().notNull().default('active'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('members_id_hash_uq').on(t.idHash),
    index('members_org_status_idx').on(t.organizationId, t.status),
    index('members_joined_month_idx').on(sql`extract(month from ${t.joinedAt})`),
    check('members_category_ck', inList(t.category, memberCategories)),
    check('members_status_ck', inList(t.status, memberStatuses)),
    check('members_gender_ck', inList(t.gender, genders)),
    check(
      'members_confirmed_ck',
      sql`(${t.category} = ${PROBATIONARY} and ${t.confirmedAt} is null) or (${t.category} = ${FULL} and ${t.confirmedAt} is not null and ${t.confirmedAt} >= ${t.joinedAt})`,
    ),
    check(
      'members_probation_extension_ck',
      sql`(${t.probationExtensionMonths} is null and ${t.probationExtendedOn} is null) or (${t.probationExtensionMonths} between 6 and 12 and ${t.probationExtendedOn} > ${t.joinedAt})`,
    ),
    // With an extension on record, 转正 is never before the extended 预备期 ends (shared/member-facts.ts
    // probationEndsAt: one year, then the months; month ends clamp the same way in both).
    check(
      'members_confirmed_after_extension_ck',
      sql`${t.probationExtensionMonths} is null or ${t.confirmedAt} is null or ${t.confirmedAt} >= ((${t.joinedAt} + interval '1 year') + make_interval(months => ${t.probationExtensionMonths}))::date`,
    ),
  ],
);

/**
 * A login. `role` and `organization_id` are what the signed token carries:
 * a secretary's organization is their branch, staff's is the committee.
 */
export const accounts = pgTable(
  'accounts',
  {
    id: serial('id').primaryKey(),
    openid: text('openid'),
    role: text('role').$type<Role>().notNull().default('applicant'),
    organizationId: integer('organization_id').references(() => organizations.id),
    memberId: integer('member_id').references(() => members.id),
    displayName: text('display_name').notNull().default('微信用户'),
    /** Bumped (by triggers, migration 0011) when role, organization, member link, or the member's status or branch changes: tokens of an older version lose their powers. */
    authVersion: integer('auth_version').notNull().default(1),
    isDemo: integer('is_demo').notNull().default(0),
    createdAt: createdAt(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('accounts_openid_uq').on(t.openid),
    uniqueIndex('accounts_member_uq').on(t.memberId),
    check('accounts_role_ck', inList(t.role, roles)),
    check(
      'accounts_officer_org_ck',
      sql`${t.role} not in ('secretary', 'staff', 'county') or ${t.organizationId} is not null`,
    ),
  ],
);

/** Append-only: a trigger refuses UPDATE and DELETE (see the migration). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorAccountId: integer('actor_account_id'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_target_idx').on(t.targetType, t.targetId), index('audit_log_at_idx').on(t.at)],
);

/**
 * Remembered answers to writes sent with an `Idempotency-Key`: the same key and
 * body get the first answer back, the same key with another body a 422.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    accountId: integer('account_id').notNull(),
    key: text('key').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    response: jsonb('response').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('idempotency_keys_pk').on(t.accountId, t.key)],
);

/** Fixed-window counters shared by every serverless instance (login and write limits). */
export const rateLimits = pgTable('rate_limits', {
  bucket: text('bucket').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});
