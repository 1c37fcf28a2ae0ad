/** Organizational life: the endpoint contracts of meetings and attendance, the due calendar and each member's 学时 (民主评议, 谈心谈话 and the export: ./review-contracts.ts). */
import { z } from 'zod';
import { bodyId, idParam, isoDate, text, urlId, urlInt } from '../common.js';
import { endpoint } from '../http.js';
import { dueStatuses } from './due.js';
import { appraisalGrades, attendanceStatuses, dueKinds, frequencies, leaveReasons, MEETING_MAX_STUDY_MINUTES, meetingTypes } from './rules.js';

const instant = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601（含时区）' });
/** A year in a query string (`?year=2026`). */
export const yearParam = urlInt(2000, 2100, '年份');

export const attendanceMark = z
  .object({
    memberId: bodyId,
    status: z.enum(attendanceStatuses),
    leaveReason: z.enum(leaveReasons).nullable().optional(),
    leaveNote: text(60, '请假说明').optional(),
  })
  .strict()
  .refine((a) => a.status !== 'excused' || a.leaveReason, { message: '请假须选择原因（病假、外出务工、事假或其他）', path: ['leaveReason'] });
export type AttendanceMark = z.infer<typeof attendanceMark>;

export const attendee = z.object({
  memberId: z.number().int(),
  name: z.string(),
  status: z.enum(attendanceStatuses),
  leaveReason: z.enum(leaveReasons).nullable(),
  leaveNote: z.string().nullable(),
});

export const meeting = z.object({
  id: z.number().int(),
  organizationId: z.number().int(),
  organizationName: z.string(),
  type: z.enum(meetingTypes),
  topic: z.string(),
  place: z.string(),
  host: z.string(),
  speaker: z.string().nullable(),
  /** The speaker's roster entry, when they are one (the 党课 duty counts it). */
  speakerMemberId: z.number().int().nullable(),
  agenda: z.string(),
  minutes: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  day: isoDate,
  /** 学时 credited to each attendee, in minutes (0: no study). */
  studyMinutes: z.number().int(),
  expectedCount: z.number().int(),
  presentCount: z.number().int(),
  excusedCount: z.number().int(),
  absentCount: z.number().int(),
  /** The caller's own attendance, when they were expected. */
  myStatus: z.enum(attendanceStatuses).nullable(),
  /** Officers only: everyone expected and how they stand. */
  attendees: z.array(attendee).nullable(),
});
export type Meeting = z.infer<typeof meeting>;

const meetingFields = {
  organizationId: bodyId.optional(),
  type: z.enum(meetingTypes),
  topic: text(100, '主题').pipe(z.string().min(1, '请填写会议主题')),
  place: text(60, '地点').pipe(z.string().min(1, '请填写地点')),
  host: text(40, '主持人').pipe(z.string().min(1, '请填写主持人')),
  /** 党课: the speaker picked from the roster or the leaders assigned to the branch (their duty counts it)… */
  speakerMemberId: bodyId.optional(),
  /** …or, for someone not on the roster (a 党校 teacher), their name. */
  speaker: text(40, '讲课人').optional(),
  agenda: text(2000, '议程').optional(),
  minutes: text(10000, '会议记录').optional(),
  startsAt: instant,
  endsAt: instant,
  /** Whether the meeting carries study (党课, 主题党日 study, collective study): attendees are credited its length in 学时. */
  carriesStudy: z.boolean(),
  /** 学时 credited, in minutes; defaults to the meeting's length. */
  studyMinutes: z.number().int().min(0).max(MEETING_MAX_STUDY_MINUTES).optional(),
  attendance: z.array(attendanceMark).max(500),
};

export const createMeeting = endpoint({
  method: 'POST',
  path: '/api/orglife/meetings',
  summary: '记录一次组织生活（三会一课、主题党日等）及出席情况',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  body: z.object(meetingFields).strict(),
  response: meeting,
  idempotent: true,
});

export const updateAttendance = endpoint({
  method: 'PUT',
  path: '/api/orglife/meetings/:id/attendance',
  summary: '修改出席情况（实到、请假、缺席），学时随之调整，每人每次只计一次',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  params: idParam,
  body: z.object({ attendance: z.array(attendanceMark).min(1).max(500) }).strict(),
  response: meeting,
  idempotent: true,
});

export const listMeetings = endpoint({
  method: 'GET',
  path: '/api/orglife/meetings',
  summary: '组织生活记录列表（党员：本支部；书记：本支部；党委：全镇或某支部）',
  access: 'member',
  ownership: 'none',
  query: z.object({ organizationId: urlId.optional(), year: yearParam.optional() }).strict(),
  response: z.object({ meetings: z.array(meeting) }),
  idempotent: true,
});

export const getMeeting = endpoint({
  method: 'GET',
  path: '/api/orglife/meetings/:id',
  summary: '一次组织生活的记录',
  access: 'member',
  ownership: 'branch',
  params: idParam,
  response: meeting,
  idempotent: true,
});

export const expectedAttendees = endpoint({
  method: 'GET',
  path: '/api/orglife/organizations/:id/expected',
  summary: '某日应到党员名单（当日在册的正式党员和预备党员）',
  access: 'officer',
  ownership: 'branch',
  params: idParam,
  query: z.object({ date: isoDate }).strict(),
  response: z.object({ date: isoDate, members: z.array(z.object({ memberId: z.number().int(), name: z.string(), category: z.string() })) }),
  idempotent: true,
});

// ---------------------------------------------------------------- the due calendar

export const dueItem = z.object({
  kind: z.enum(dueKinds),
  frequency: z.enum(frequencies),
  periodKey: z.string(),
  periodLabel: z.string(),
  periodStart: isoDate,
  periodEnd: isoDate,
  status: z.enum(dueStatuses),
  doneCount: z.number().int(),
  plannedDay: isoDate.nullable(),
  restDay: z.enum(['weekend', 'holiday']).nullable(),
});
export type DueItemView = z.infer<typeof dueItem>;

export const calendar = endpoint({
  method: 'GET',
  path: '/api/orglife/calendar',
  summary: '支部组织生活日历：本年各周期应开、已开、逾期、即将到期',
  access: 'officer',
  ownership: 'branch',
  query: z.object({ organizationId: urlId.optional(), year: yearParam.optional() }).strict(),
  response: z.object({
    organization: z.object({ id: z.number().int(), name: z.string() }),
    year: z.number().int(),
    today: isoDate,
    partyDayOfMonth: z.number().int(),
    items: z.array(dueItem),
    /** This month's and quarter's items and anything overdue. */
    current: z.array(dueItem),
    untalked: z.array(z.object({ memberId: z.number().int(), name: z.string() })),
    /** 学时 below the yearly figure (shown in the last quarter as a care list, by name). */
    studyCare: z.array(z.object({ memberId: z.number().int(), name: z.string(), hours: z.number(), required: z.number() })),
    studyCareOpen: z.boolean(),
  }),
  idempotent: true,
});

export const townshipOutstanding = endpoint({
  method: 'GET',
  path: '/api/orglife/township',
  summary: '各支部组织生活未完成事项（按支部的固定顺序）',
  access: 'staff',
  ownership: 'township',
  query: z.object({ year: yearParam.optional() }).strict(),
  response: z.object({
    year: z.number().int(),
    today: isoDate,
    branches: z.array(
      z.object({
        organizationId: z.number().int(),
        name: z.string(),
        overdue: z.array(dueItem),
        dueSoon: z.array(dueItem),
        untalkedCount: z.number().int(),
        /** The dashboard's figures, derived from the records (shared/orglife/figures.ts). */
        quarter: z.object({ due: z.number().int(), done: z.number().int(), overdue: z.number().int() }),
        /** Meetings recorded this year. */
        meetingsHeld: z.number().int(),
        /** The branch's roster and how many have reached their yearly 学时 figure: counts, never who. */
        study: z.object({ members: z.number().int(), met: z.number().int() }),
      }),
    ),
  }),
  idempotent: true,
});

// ---------------------------------------------------------------- my organizational life

export const myOrglife = endpoint({
  method: 'GET',
  path: '/api/orglife/me',
  summary: '我的组织生活：参加情况、学时、民主评议结果',
  access: 'member',
  ownership: 'self',
  query: z.object({ year: yearParam.optional() }).strict(),
  response: z.object({
    year: z.number().int(),
    meetings: z.array(meeting),
    /** 学时 from meetings that carry study plus collective study events attended (study domain), in minutes. */
    meetingStudyMinutes: z.number().int(),
    eventStudyMinutes: z.number().int(),
    studyHours: z.number(),
    requiredHours: z.number().int(),
    grades: z.array(z.object({ year: z.number().int(), grade: z.enum(appraisalGrades), followUp: z.string().nullable() })),
  }),
  idempotent: true,
});
