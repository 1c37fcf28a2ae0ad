/**
 * 党课责任表: township staff keep who is assigned which villages (包村); each leader's
 * progress against the township's yearly quota is derived from the 党课 records naming
 * them as speaker (shared/orglife/duty.ts), and their 双重组织生活 from the attendance
 * of their own branch's meetings. Leaders are listed by name: a duty list, never ranked.
 */
import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import * as api from '../../../shared/orglife.js';
import { lectureProgress, ownBranchAttendance, type LectureDutyResponse } from '../../../shared/orglife.js';
import type { Db } from '../../../db/client.js';
import { members, organizations, orglifeAttendance, orglifeLectureAssignments, orglifeMeetings } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { ApiError, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { organizationScope } from '../../_app/scope.js';
import { settingsFor } from '../../_app/settings.js';
import { branchesInScope, officerBranch } from './access.js';

const own = alias(organizations, 'own_branch');
const la = orglifeLectureAssignments;

const inYear = (column: typeof orglifeMeetings.day, year: number) => sql`${column} between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`;

/** The duty table of the caller's township (county staff: the county's) for a year. */
export async function loadDuty(db: Db, p: Principal, year: number): Promise<LectureDutyResponse> {
  const [branches, settings, assignments] = await Promise.all([
    branchesInScope(db, p),
    settingsFor(db, p),
    db
      .select({ memberId: la.memberId, branchId: la.branchId, name: members.name, ownId: own.id, ownName: own.name })
      .from(la)
      .innerJoin(members, eq(members.id, la.memberId))
      .innerJoin(own, eq(own.id, members.organizationId))
      .where(and(organizationScope(p, la.branchId), isNull(la.endedAt), eq(members.status, 'active')))
      .orderBy(asc(members.name), asc(members.id)),
  ]);
  const leaderIds = [...new Set(assignments.map((a) => a.memberId))];
  const ids = leaderIds.length ? leaderIds : [-1];
  const [lectures, marks] = await Promise.all([
    db
      .select({ type: orglifeMeetings.type, day: orglifeMeetings.day, organizationId: orglifeMeetings.organizationId, speakerMemberId: orglifeMeetings.speakerMemberId })
      .from(orglifeMeetings)
      .where(and(inArray(orglifeMeetings.speakerMemberId, ids), eq(orglifeMeetings.type, 'party_lecture'), inYear(orglifeMeetings.day, year))),
    // Their own branch's meetings only: a leader's attendance elsewhere is not 双重组织生活.
    db
      .select({ memberId: orglifeAttendance.memberId, status: orglifeAttendance.status })
      .from(orglifeAttendance)
      .innerJoin(orglifeMeetings, eq(orglifeMeetings.id, orglifeAttendance.meetingId))
      .innerJoin(members, eq(members.id, orglifeAttendance.memberId))
      .where(and(inArray(orglifeAttendance.memberId, ids), eq(orglifeMeetings.organizationId, members.organizationId), inYear(orglifeMeetings.day, year))),
  ]);
  const branchName = new Map(branches.map((b) => [b.id, b.name]));
  const quota = settings.lectureQuotaPerYear;
  const leaders = leaderIds.map((memberId) => {
    const rows = assignments.filter((a) => a.memberId === memberId);
    const first = rows[0]!;
    const villages = branches.filter((b) => rows.some((r) => r.branchId === b.id)).map((b) => ({ organizationId: b.id, name: b.name }));
    const progress = lectureProgress(memberId, villages.map((v) => v.organizationId), lectures, year, quota);
    return {
      memberId,
      name: first.name,
      ownBranch: { organizationId: first.ownId, name: branchName.get(first.ownId) ?? first.ownName },
      villages,
      ...progress,
      ownBranchMeetings: ownBranchAttendance(marks.filter((m) => m.memberId === memberId)),
    };
  });
  return { year, quota, leaders, branches: branches.map((b) => ({ organizationId: b.id, name: b.name })) };
}

export const lectureDuty = route(api.lectureDuty, async (ctx) => loadDuty(ctx.db, ctx.user, ctx.query.year ?? Number(ctx.today.slice(0, 4))));

export const putLectureDuty = route(api.putLectureDuty, async (ctx) => {
  const p = ctx.user;
  const branchIds = [...new Set(ctx.body.branchIds)];
  return withIdempotency(ctx, 'orglife.lecture-duty', async (tx) => {
    const [leader] = await tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.id, ctx.params.id), eq(members.status, 'active'), organizationScope(p, members.organizationId)));
    if (!leader) throw notFound('党员');
    if (branchIds.length) {
      const found = await tx
        .select({ id: organizations.id })
        .from(organizations)
        .where(and(inArray(organizations.id, branchIds), eq(organizations.kind, 'branch'), organizationScope(p, organizations.id)));
      const missing = branchIds.filter((id) => !found.some((f) => f.id === id));
      if (missing.length) throw new ApiError('unprocessable', '所包的村须是本镇的支部', { branchIds: missing });
    }
    const before = await tx.select({ branchId: la.branchId }).from(la).where(and(eq(la.memberId, leader.id), isNull(la.endedAt)));
    // Villages taken away are ended, not deleted; villages given (back) are current.
    await tx
      .update(la)
      .set({ endedAt: ctx.now })
      .where(and(eq(la.memberId, leader.id), isNull(la.endedAt), branchIds.length ? notInArray(la.branchId, branchIds) : sql`true`));
    if (branchIds.length) {
      await tx
        .insert(la)
        .values(branchIds.map((branchId) => ({ memberId: leader.id, branchId, createdByAccountId: p.accountId, createdAt: ctx.now })))
        .onConflictDoUpdate({ target: [la.memberId, la.branchId], set: { endedAt: null }, setWhere: sql`${la.endedAt} is not null` });
    }
    await writeAudit(tx, p, { action: 'orglife.lecture-duty', targetType: 'member', targetId: leader.id, details: { before: before.map((b) => b.branchId), after: branchIds } }, ctx.now);
    return loadDuty(tx, p, Number(ctx.today.slice(0, 4)));
  });
});

export const lectureSpeakers = route(api.lectureSpeakers, async (ctx) => {
  const branch = await officerBranch(ctx.db, ctx.user, ctx.params.id);
  const leaders = await ctx.db
    .select({ memberId: members.id, name: members.name, organizationName: own.name })
    .from(la)
    .innerJoin(members, eq(members.id, la.memberId))
    .innerJoin(own, eq(own.id, members.organizationId))
    .where(and(eq(la.branchId, branch.id), isNull(la.endedAt), eq(members.status, 'active')))
    .orderBy(asc(members.name), asc(members.id));
  return { leaders };
});
