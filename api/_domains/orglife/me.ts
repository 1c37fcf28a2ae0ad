/** 我的组织生活: the member's own meetings, 学时 and 民主评议 grades (their own only). */
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import * as api from '../../../shared/orglife.js';
import { requiredStudyHours, studyHoursOf, type AppraisalGrade } from '../../../shared/orglife.js';
import { orglifeAppraisals, orglifeAttendance, orglifeGrades } from '../../../db/schema/index.js';
import { route } from '../../_app/context.js';
import { forbidden } from '../../_app/errors.js';
import { loadMeetings, meetingAlias as mt } from './views.js';
import { officerMemberIds, studyTotals } from './ledger.js';

export const myOrglife = route(api.myOrglife, async (ctx) => {
  const memberId = ctx.user.memberId;
  if (memberId == null) throw forbidden('当前账号没有关联党员档案');
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  const [meetings, totals, officers, grades] = await Promise.all([
    loadMeetings(
      ctx.db,
      ctx.user,
      sql`exists (select 1 from ${orglifeAttendance} where ${orglifeAttendance.meetingId} = ${mt.id} and ${orglifeAttendance.memberId} = ${memberId}::int)
          and ${mt.day} between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`,
    ),
    studyTotals(ctx.db, [memberId], year),
    officerMemberIds(ctx.db, [memberId]),
    ctx.db
      .select({ year: orglifeAppraisals.year, grade: orglifeGrades.grade, followUp: orglifeGrades.followUp })
      .from(orglifeGrades)
      .innerJoin(orglifeAppraisals, eq(orglifeAppraisals.id, orglifeGrades.appraisalId))
      .where(and(eq(orglifeGrades.memberId, memberId), isNotNull(orglifeGrades.grade)))
      .orderBy(asc(orglifeAppraisals.year)),
  ]);
  const t = totals.get(memberId) ?? { meetingMinutes: 0, eventMinutes: 0 };
  // Attendance lists of others stay with the officers: a member sees counts and their own mark.
  return {
    year,
    meetings: meetings.map((m) => ({ ...m, attendees: null })),
    meetingStudyMinutes: t.meetingMinutes,
    eventStudyMinutes: t.eventMinutes,
    studyHours: studyHoursOf(t.meetingMinutes + t.eventMinutes),
    requiredHours: requiredStudyHours(officers.has(memberId)),
    grades: grades.map((g) => ({ year: g.year, grade: g.grade as AppraisalGrade, followUp: g.followUp })),
  };
});
