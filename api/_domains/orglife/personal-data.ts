/**
 * The member's part in organizational life — attendance, 学时 credited, their 民主评议 grade and the 谈心谈话
 * held with them — for their data export (api/_app/personal-data.ts).
 */
import { eq, sql, type Column } from 'drizzle-orm';
import { APPRAISAL_GRADE_LABELS, ATTENDANCE_LABELS, LEAVE_REASON_LABELS, MEETING_TYPE_LABELS } from '../../../shared/orglife.js';
import { orglifeAppraisals, orglifeAttendance, orglifeGrades, orglifeLectureAssignments, orglifeMeetings, orglifeStudyCredits, orglifeTalks } from '../../../db/schema/index.js';
import { jsonRows, type PersonalDataSection } from '../../_app/personal-data.js';

/** A field of the meeting a row belongs to. */
const meeting = (column: Column, meetingId: Column) => sql`(select ${column} from ${orglifeMeetings} where ${orglifeMeetings.id} = ${meetingId})`;

export const orglifeSections: PersonalDataSection[] = [
  {
    key: 'orglife_attendance',
    title: '组织生活出席',
    tables: [orglifeAttendance, orglifeMeetings],
    rows: (s) =>
      jsonRows(orglifeAttendance, ['meetingId', 'status', 'leaveReason', 'leaveNote'], {
        where: eq(orglifeAttendance.memberId, s.memberId),
        orderBy: [orglifeAttendance.meetingId],
        extra: {
          meetingType: meeting(orglifeMeetings.type, orglifeAttendance.meetingId),
          meetingDay: meeting(orglifeMeetings.day, orglifeAttendance.meetingId),
          meetingTopic: meeting(orglifeMeetings.topic, orglifeAttendance.meetingId),
        },
      }),
    labels: { status: ATTENDANCE_LABELS, leaveReason: LEAVE_REASON_LABELS, meetingType: MEETING_TYPE_LABELS },
  },
  {
    key: 'orglife_study_credits',
    title: '组织学习学时',
    tables: [orglifeStudyCredits],
    rows: (s) =>
      jsonRows(orglifeStudyCredits, ['meetingId', 'year', 'day', 'minutes'], {
        where: eq(orglifeStudyCredits.memberId, s.memberId),
        orderBy: [orglifeStudyCredits.day, orglifeStudyCredits.id],
      }),
  },
  {
    key: 'orglife_grades',
    title: '民主评议',
    tables: [orglifeGrades, orglifeAppraisals],
    rows: (s) =>
      jsonRows(orglifeGrades, ['appraisalId', 'grade', 'followUp', 'updatedAt'], {
        where: eq(orglifeGrades.memberId, s.memberId),
        orderBy: [orglifeGrades.appraisalId],
        extra: { year: sql`(select ${orglifeAppraisals.year} from ${orglifeAppraisals} where ${orglifeAppraisals.id} = ${orglifeGrades.appraisalId})` },
      }),
    labels: { grade: APPRAISAL_GRADE_LABELS },
  },
  {
    key: 'orglife_talks',
    title: '谈心谈话',
    tables: [orglifeTalks],
    rows: (s) =>
      jsonRows(orglifeTalks, ['id', 'day', 'topic', 'note'], {
        where: eq(orglifeTalks.withMemberId, s.memberId),
        orderBy: [orglifeTalks.day, orglifeTalks.id],
      }),
  },
  {
    key: 'orglife_lecture_duty',
    title: '包村与党课',
    tables: [orglifeLectureAssignments],
    rows: (s) =>
      jsonRows(orglifeLectureAssignments, ['branchId', 'createdAt', 'endedAt'], {
        where: eq(orglifeLectureAssignments.memberId, s.memberId),
        orderBy: [orglifeLectureAssignments.branchId],
      }),
  },
  {
    key: 'orglife_lectures_given',
    title: '所讲党课',
    tables: [orglifeMeetings],
    rows: (s) =>
      jsonRows(orglifeMeetings, ['id', 'organizationId', 'day', 'topic'], {
        where: eq(orglifeMeetings.speakerMemberId, s.memberId),
        orderBy: [orglifeMeetings.day, orglifeMeetings.id],
      }),
  },
];
