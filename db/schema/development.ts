/**
 * 发展党员: one record per person on the way in (not yet on the roster: the ID
 * number is sealed like members'), its dated steps, the township's yearly
 * target, and the county's working-day calendar for 公示 (shared/development/).
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { genders, type Gender } from '../../shared/common.js';
import { developmentStages, developmentSteps, type DevelopmentStage, type DevelopmentStep } from '../../shared/development/rules.js';
import { workCalendarKinds, type WorkCalendarKind } from '../../shared/development/workdays.js';
import { inList } from '../sql.js';
import { accounts, members, organizations } from './core.js';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const developmentRecords = pgTable(
  'development_records',
  {
    id: serial('id').primaryKey(),
    /** The branch that develops them. */
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    gender: text('gender').$type<Gender>().notNull(),
    birthDate: date('birth_date').notNull(),
    idCipher: text('id_cipher').notNull(),
    idHash: text('id_hash').notNull(),
    idMasked: text('id_masked').notNull(),
    phone: text('phone'),
    /** The applicant's own account, once they have linked it (their own view). */
    applicantAccountId: integer('applicant_account_id').references(() => accounts.id),
    /** The roster row the township's approval created. */
    memberId: integer('member_id').references(() => members.id),
    /** 培养联系人: two full members of the branch, named when they become 积极分子. */
    contact1MemberId: integer('contact1_member_id').references(() => members.id),
    contact2MemberId: integer('contact2_member_id').references(() => members.id),
    stage: text('stage').$type<DevelopmentStage>().notNull().default('applicant'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One open record per person; a cancelled one may be followed by a new application.
    uniqueIndex('development_records_id_hash_uq').on(t.idHash).where(sql`${t.stage} <> 'cancelled'`),
    uniqueIndex('development_records_applicant_uq').on(t.applicantAccountId),
    uniqueIndex('development_records_member_uq').on(t.memberId),
    index('development_records_org_idx').on(t.organizationId, t.stage),
    check('development_records_stage_ck', inList(t.stage, developmentStages)),
    check('development_records_gender_ck', inList(t.gender, genders)),
    check('development_records_contacts_ck', sql`${t.contact1MemberId} is null or ${t.contact1MemberId} <> ${t.contact2MemberId}`),
  ],
);

export const developmentStepRows = pgTable(
  'development_steps',
  {
    id: serial('id').primaryKey(),
    recordId: integer('record_id')
      .notNull()
      .references(() => developmentRecords.id),
    step: text('step').$type<DevelopmentStep>().notNull(),
    /** 0 for a step done once; 1, 2, … for the repeated reviews. The unique index settles double submissions. */
    seq: integer('seq').notNull().default(0),
    date: date('date').notNull(),
    evidence: text('evidence').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    /** Recorded after the step's latest permitted day. */
    late: boolean('late').notNull().default(false),
    recordedByAccountId: integer('recorded_by_account_id').references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('development_steps_record_step_uq').on(t.recordId, t.step, t.seq),
    check('development_steps_step_ck', inList(t.step, developmentSteps)),
  ],
);

/** The township committee's yearly 发展 target (预备党员 admitted that year). */
export const developmentTargets = pgTable(
  'development_targets',
  {
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    year: integer('year').notNull(),
    target: integer('target').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('development_targets_org_year_uq').on(t.organizationId, t.year), check('development_targets_target_ck', sql`${t.target} between 0 and 10000`)],
);

/** Holidays and make-up working days (调休上班) the county keeps; seeded with the official 2026 arrangement. */
export const workCalendarDays = pgTable(
  'work_calendar_days',
  {
    day: date('day').primaryKey(),
    kind: text('kind').$type<WorkCalendarKind>().notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [check('work_calendar_days_kind_ck', inList(t.kind, workCalendarKinds))],
);
