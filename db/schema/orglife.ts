/**
 * Organizational life (shared/orglife.ts): meetings with their expected
 * attendees (应到, snapshotted from the roster on the day), the 学时 ledger,
 * 民主评议 and 谈心谈话.
 */
import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import {
  appraisalGrades,
  attendanceStatuses,
  leaveReasons,
  meetingTypes,
  type AppraisalGrade,
  type AttendanceStatus,
  type LeaveReason,
  type MeetingType,
} from '../../shared/orglife.js';
import { inList } from '../sql.js';
import { accounts, members, organizations } from './core.js';

export const orglifeMeetings = pgTable(
  'orglife_meetings',
  {
    id: serial('id').primaryKey(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    type: text('type').$type<MeetingType>().notNull(),
    topic: text('topic').notNull(),
    place: text('place').notNull(),
    host: text('host').notNull(),
    /** 党课: who gave it (a leader's 党课 duty counts from it). */
    speaker: text('speaker'),
    /** The speaker as a roster entry (a leader or a member), when they are one: the 党课 duty counts these. */
    speakerMemberId: integer('speaker_member_id').references(() => members.id),
    agenda: text('agenda').notNull().default(''),
    minutes: text('minutes').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** The Shanghai day it was held: the period it counts for. */
    day: date('day').notNull(),
    /** 学时 each attendee is credited, in minutes (0: the meeting carries no study). */
    studyMinutes: integer('study_minutes').notNull().default(0),
    createdByAccountId: integer('created_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('orglife_meetings_org_day_idx').on(t.organizationId, t.day),
    index('orglife_meetings_speaker_idx').on(t.speakerMemberId, t.day),
    check('orglife_meetings_type_ck', inList(t.type, meetingTypes)),
    check('orglife_meetings_span_ck', sql`${t.endsAt} > ${t.startsAt}`),
    check('orglife_meetings_study_ck', sql`${t.studyMinutes} between 0 and 480`),
  ],
);

/** Every expected attendee (应到) with how they stood: 实到, 请假 (with its reason) or 缺席. */
export const orglifeAttendance = pgTable(
  'orglife_attendance',
  {
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => orglifeMeetings.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    status: text('status').$type<AttendanceStatus>().notNull().default('absent'),
    leaveReason: text('leave_reason').$type<LeaveReason>(),
    leaveNote: text('leave_note'),
  },
  (t) => [
    primaryKey({ name: 'orglife_attendance_pk', columns: [t.meetingId, t.memberId] }),
    index('orglife_attendance_member_idx').on(t.memberId),
    check('orglife_attendance_status_ck', inList(t.status, attendanceStatuses)),
    check('orglife_attendance_reason_ck', sql`(${t.status} = 'excused') = (${t.leaveReason} is not null)`),
    check('orglife_attendance_reason_list_ck', sql`${t.leaveReason} is null or ${inList(t.leaveReason, leaveReasons)}`),
  ],
);

/**
 * The 学时 ledger: one row per attendee of a study-bearing meeting. The unique
 * index makes the credit once per member and meeting, whatever the retries.
 */
export const orglifeStudyCredits = pgTable(
  'orglife_study_credits',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => orglifeMeetings.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    /** The member's branch when credited. A credit taken back (attendance corrected) keeps its row at 0 minutes: the app deletes nothing. */
    organizationId: integer('organization_id').notNull(),
    year: integer('year').notNull(),
    day: date('day').notNull(),
    minutes: integer('minutes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orglife_study_credits_meeting_member_uq').on(t.meetingId, t.memberId),
    index('orglife_study_credits_member_year_idx').on(t.memberId, t.year),
    check('orglife_study_credits_minutes_ck', sql`${t.minutes} between 0 and 480`),
  ],
);

/** A branch's yearly 民主评议: who is assessed is fixed when it opens (the roster that day). */
export const orglifeAppraisals = pgTable(
  'orglife_appraisals',
  {
    id: serial('id').primaryKey(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    year: integer('year').notNull(),
    completedOn: date('completed_on'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('orglife_appraisals_org_year_uq').on(t.organizationId, t.year)],
);

/**
 * One assessed member's grade. 优秀 ≤ one third of the round's rows is enforced
 * by a trigger that locks the round first (custom migration), so concurrent edits serialise.
 */
export const orglifeGrades = pgTable(
  'orglife_grades',
  {
    appraisalId: integer('appraisal_id')
      .notNull()
      .references(() => orglifeAppraisals.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    grade: text('grade').$type<AppraisalGrade>(),
    followUp: text('follow_up'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'orglife_grades_pk', columns: [t.appraisalId, t.memberId] }),
    index('orglife_grades_member_idx').on(t.memberId),
    check('orglife_grades_grade_ck', sql`${t.grade} is null or ${inList(t.grade, appraisalGrades)}`),
    check('orglife_grades_follow_up_ck', sql`${t.grade} is distinct from 'unqualified' or coalesce(${t.followUp}, '') <> ''`),
  ],
);

/** 谈心谈话: visible to the two people and the branch secretary. */
export const orglifeTalks = pgTable(
  'orglife_talks',
  {
    id: serial('id').primaryKey(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    talkerMemberId: integer('talker_member_id').references(() => members.id),
    withMemberId: integer('with_member_id')
      .notNull()
      .references(() => members.id),
    day: date('day').notNull(),
    topic: text('topic').notNull(),
    note: text('note'),
    createdByAccountId: integer('created_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('orglife_talks_org_day_idx').on(t.organizationId, t.day), index('orglife_talks_with_idx').on(t.withMemberId, t.day)],
);
