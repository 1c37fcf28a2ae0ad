/**
 * Meetings as records: the secretary records a meeting with its attendance in
 * one write; 应到 is the roster on the day (snapshotted into orglife_attendance),
 * and each attendee of a study-bearing meeting is credited its 学时 once (the
 * ledger's unique index). Correcting attendance moves the credit, never doubles it.
 */
import { and, eq, exists, inArray, isNull, or, sql } from 'drizzle-orm';
import { addDays, shanghaiDate } from '../../../shared/calendar.js';
import * as api from '../../../shared/orglife.js';
import { MEETING_MAX_STUDY_MINUTES, type AttendanceMark } from '../../../shared/orglife.js';
import type { Db } from '../../../db/client.js';
import { col, cols } from '../../../db/sql.js';
import { alias } from 'drizzle-orm/pg-core';
import { members, orglifeAttendance, orglifeLectureAssignments, orglifeMeetings, orglifeStudyCredits } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { organizationScope } from '../../_app/scope.js';
import { expectedOn, officerBranch } from './access.js';
import { loadMeetings, meetingAlias as mt } from './views.js';

const MAX_MEETING_MINUTES = 12 * 60;
const sc = orglifeStudyCredits;
const c = alias(orglifeStudyCredits, 'c');

/** Every mark names someone expected; one mark per member. */
function checkMarks(marks: readonly AttendanceMark[], expected: ReadonlySet<number>): void {
  const seen = new Set<number>();
  const dup = marks.filter((mk) => (seen.has(mk.memberId) ? true : (seen.add(mk.memberId), false))).map((mk) => mk.memberId);
  if (dup.length) throw new ApiError('validation_failed', '同一名党员只能登记一次', { memberIds: dup });
  const stray = marks.filter((mk) => !expected.has(mk.memberId)).map((mk) => mk.memberId);
  if (stray.length) throw new ApiError('unprocessable', '有党员不在当日应到名单中', { memberIds: stray });
}

/** The ledger follows attendance: present → the meeting's minutes, anyone else → 0 (a row once credited is kept). */
async function syncCredits(tx: Db, meetingId: number, now: Date): Promise<void> {
  await tx.execute(sql`
    insert into ${orglifeStudyCredits} ${cols(sc.meetingId, sc.memberId, sc.organizationId, sc.year, sc.day, sc.minutes, sc.createdAt)}
    select ${orglifeAttendance.meetingId}, ${orglifeAttendance.memberId}, ${members.organizationId},
           extract(year from ${orglifeMeetings.day})::int, ${orglifeMeetings.day},
           case when ${orglifeAttendance.status} = 'present' then ${orglifeMeetings.studyMinutes} else 0 end, ${now.toISOString()}::timestamptz
    from ${orglifeAttendance}
    join ${orglifeMeetings} on ${orglifeMeetings.id} = ${orglifeAttendance.meetingId}
    join ${members} on ${members.id} = ${orglifeAttendance.memberId}
    where ${orglifeAttendance.meetingId} = ${meetingId}::int and ${orglifeMeetings.studyMinutes} > 0
      and (${orglifeAttendance.status} = 'present'
           or exists (select 1 from ${orglifeStudyCredits} ${c} where ${c.meetingId} = ${orglifeAttendance.meetingId} and ${c.memberId} = ${orglifeAttendance.memberId}))
    on conflict ${cols(sc.meetingId, sc.memberId)} do update set ${col(sc.minutes)} = excluded.${col(sc.minutes)}
      where ${orglifeStudyCredits}.${col(sc.minutes)} is distinct from excluded.${col(sc.minutes)}`);
}

/** A named speaker is on the branch's roster or assigned to the branch (包村): nobody else's duty can be credited here. */
async function speakerFor(tx: Db, branchId: number, memberId: number): Promise<{ id: number; name: string }> {
  const [row] = await tx
    .select({ id: members.id, name: members.name })
    .from(members)
    .where(
      and(
        eq(members.id, memberId),
        eq(members.status, 'active'),
        or(
          eq(members.organizationId, branchId),
          exists(tx.select({ one: sql`1` }).from(orglifeLectureAssignments).where(and(eq(orglifeLectureAssignments.memberId, members.id), eq(orglifeLectureAssignments.branchId, branchId), isNull(orglifeLectureAssignments.endedAt)))),
        ),
      ),
    );
  if (!row) throw new ApiError('unprocessable', '讲课人须是本支部党员或包本村的班子成员、书记', { speakerMemberId: memberId });
  return row;
}

async function meetingFor(db: Db, p: Parameters<typeof loadMeetings>[1], id: number) {
  const [found] = await loadMeetings(db, p, sql`${mt.id} = ${id}::int`, 1);
  if (!found) throw notFound('组织生活记录');
  return found;
}

export const createMeeting = route(api.createMeeting, async (ctx) => {
  const p = ctx.user;
  const b = ctx.body;
  const startsAt = new Date(b.startsAt);
  const endsAt = new Date(b.endsAt);
  const length = Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);
  if (length < 1) throw new ApiError('validation_failed', '结束时间必须晚于开始时间');
  if (length > MAX_MEETING_MINUTES) throw new ApiError('validation_failed', '一次会议最长12小时');
  const day = shanghaiDate(startsAt);
  if (startsAt.getTime() > ctx.now.getTime()) throw new ApiError('validation_failed', '会议开始后才能记录（记录的是已召开的会议）');
  if (day < addDays(ctx.today, -366)) throw new ApiError('validation_failed', '只能补记一年内召开的会议');
  if (b.type === 'party_lecture' && !b.speaker && b.speakerMemberId === undefined) throw new ApiError('validation_failed', '党课须写明讲课人');
  const studyMinutes = b.carriesStudy ? Math.min(b.studyMinutes ?? length, MEETING_MAX_STUDY_MINUTES) : 0;
  if (b.carriesStudy && studyMinutes < 1) throw new ApiError('validation_failed', '计入学时的会议，学时须大于0');
  const branch = await officerBranch(ctx.db, p, b.organizationId);
  return withIdempotency(ctx, 'orglife.meeting.create', async (tx) => {
    const expected = await expectedOn(tx, branch.id, day);
    checkMarks(b.attendance, new Set(expected.map((e) => e.memberId)));
    const speaker = b.speakerMemberId === undefined ? null : await speakerFor(tx, branch.id, b.speakerMemberId);
    const [created] = await tx
      .insert(orglifeMeetings)
      .values({
        organizationId: branch.id,
        type: b.type,
        topic: b.topic,
        place: b.place,
        host: b.host,
        speaker: speaker?.name ?? (b.speaker || null),
        speakerMemberId: speaker?.id ?? null,
        agenda: b.agenda ?? '',
        minutes: b.minutes ?? '',
        startsAt,
        endsAt,
        day,
        studyMinutes,
        createdByAccountId: p.accountId,
        createdAt: ctx.now,
      })
      .returning({ id: orglifeMeetings.id });
    if (!created) throw new Error('meeting not created');
    const marks = new Map(b.attendance.map((mk) => [mk.memberId, mk]));
    if (expected.length) {
      await tx.insert(orglifeAttendance).values(
        expected.map((e) => {
          const mk = marks.get(e.memberId);
          const status = mk?.status ?? 'absent';
          return {
            meetingId: created.id,
            memberId: e.memberId,
            status,
            leaveReason: status === 'excused' ? (mk?.leaveReason ?? null) : null,
            leaveNote: status === 'excused' ? mk?.leaveNote || null : null,
          };
        }),
      );
    }
    await syncCredits(tx, created.id, ctx.now);
    await writeAudit(tx, p, { action: 'orglife.meeting.create', targetType: 'orglife_meeting', targetId: created.id, details: { type: b.type, day, studyMinutes, expected: expected.length } }, ctx.now);
    return new JsonResponse(201, await meetingFor(tx, p, created.id));
  });
});

export const updateAttendance = route(api.updateAttendance, async (ctx) => {
  const p = ctx.user;
  return withIdempotency(ctx, 'orglife.meeting.attendance', async (tx) => {
    const [meeting] = await tx
      .select({ id: orglifeMeetings.id })
      .from(orglifeMeetings)
      .where(and(eq(orglifeMeetings.id, ctx.params.id), organizationScope(p, orglifeMeetings.organizationId)))
      .for('update');
    if (!meeting) throw notFound('组织生活记录');
    const ids = ctx.body.attendance.map((mk) => mk.memberId);
    const listed = await tx
      .select({ memberId: orglifeAttendance.memberId })
      .from(orglifeAttendance)
      .where(and(eq(orglifeAttendance.meetingId, meeting.id), inArray(orglifeAttendance.memberId, ids)));
    checkMarks(ctx.body.attendance, new Set(listed.map((r) => r.memberId)));
    for (const mk of ctx.body.attendance) {
      await tx
        .update(orglifeAttendance)
        .set({
          status: mk.status,
          leaveReason: mk.status === 'excused' ? (mk.leaveReason ?? null) : null,
          leaveNote: mk.status === 'excused' ? mk.leaveNote || null : null,
        })
        .where(and(eq(orglifeAttendance.meetingId, meeting.id), eq(orglifeAttendance.memberId, mk.memberId)));
    }
    await syncCredits(tx, meeting.id, ctx.now);
    await writeAudit(tx, p, { action: 'orglife.meeting.attendance', targetType: 'orglife_meeting', targetId: meeting.id, details: { marks: ctx.body.attendance.length } }, ctx.now);
    return meetingFor(tx, p, meeting.id);
  });
});

export const listMeetings = route(api.listMeetings, async (ctx) => {
  const p = ctx.user;
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  let filter = sql`true`;
  if (ctx.query.organizationId !== undefined) {
    const branch = await officerBranch(ctx.db, p, ctx.query.organizationId);
    filter = sql`${mt.organizationId} = ${branch.id}::int`;
  }
  const meetings = await loadMeetings(ctx.db, p, sql`${filter} and ${mt.day} between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`);
  return { meetings };
});

export const getMeeting = route(api.getMeeting, async (ctx) => meetingFor(ctx.db, ctx.user, ctx.params.id));

export const expectedAttendees = route(api.expectedAttendees, async (ctx) => {
  const branch = await officerBranch(ctx.db, ctx.user, ctx.params.id);
  return { date: ctx.query.date, members: await expectedOn(ctx.db, branch.id, ctx.query.date) };
});
