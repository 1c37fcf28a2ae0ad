/**
 * 民主评议党员: a branch's yearly round (who is assessed is the roster the day it
 * opens) and the grade the branch proposes for each member. 优秀 ≤ one third is the
 * database's rule (trigger, migration orglife_excellent_third), so concurrent
 * edits cannot pass it; the handler turns the refusal into plain words.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import * as api from '../../../shared/orglife.js';
import { type Appraisal, type AppraisalGrade } from '../../../shared/orglife.js';
import type { Db } from '../../../db/client.js';
import { members, orglifeAppraisals, orglifeGrades } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, conflict, notFound, pgError } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { organizationScope } from '../../_app/scope.js';
import { expectedOn, officerBranch } from './access.js';

async function loadAppraisal(db: Db, p: Principal, id: number): Promise<Appraisal> {
  const [round] = await db
    .select()
    .from(orglifeAppraisals)
    .where(and(eq(orglifeAppraisals.id, id), organizationScope(p, orglifeAppraisals.organizationId)));
  if (!round) throw notFound('民主评议');
  const rows = await db
    .select({ memberId: orglifeGrades.memberId, name: members.name, grade: orglifeGrades.grade, followUp: orglifeGrades.followUp })
    .from(orglifeGrades)
    .innerJoin(members, eq(members.id, orglifeGrades.memberId))
    .where(eq(orglifeGrades.appraisalId, id))
    .orderBy(asc(members.name), asc(members.id));
  const excellentCount = rows.filter((r) => r.grade === 'excellent').length;
  return {
    id: round.id,
    organizationId: round.organizationId,
    year: round.year,
    assessedCount: rows.length,
    excellentCount,
    excellentLimit: Math.floor(rows.length / 3),
    completed: round.completedOn != null,
    members: rows.map((r) => ({ ...r, grade: r.grade as AppraisalGrade | null })),
  };
}

export const openAppraisal = route(api.openAppraisal, async (ctx) => {
  const p = ctx.user;
  const thisYear = Number(ctx.today.slice(0, 4));
  if (ctx.body.year > thisYear || ctx.body.year < thisYear - 1) throw new ApiError('validation_failed', '只能开展本年度（或补做上一年度）的民主评议');
  const branch = await officerBranch(ctx.db, p, ctx.body.organizationId);
  return withIdempotency(ctx, 'orglife.appraisal.open', async (tx) => {
    const [created] = await tx
      .insert(orglifeAppraisals)
      .values({ organizationId: branch.id, year: ctx.body.year, createdAt: ctx.now })
      .onConflictDoNothing({ target: [orglifeAppraisals.organizationId, orglifeAppraisals.year] })
      .returning({ id: orglifeAppraisals.id });
    if (created) {
      const roster = await expectedOn(tx, branch.id, ctx.today);
      if (roster.length) await tx.insert(orglifeGrades).values(roster.map((m) => ({ appraisalId: created.id, memberId: m.memberId, updatedAt: ctx.now })));
      await writeAudit(tx, p, { action: 'orglife.appraisal.open', targetType: 'orglife_appraisal', targetId: created.id, details: { year: ctx.body.year, assessed: roster.length } }, ctx.now);
      return new JsonResponse(201, await loadAppraisal(tx, p, created.id));
    }
    const [existing] = await tx
      .select({ id: orglifeAppraisals.id })
      .from(orglifeAppraisals)
      .where(and(eq(orglifeAppraisals.organizationId, branch.id), eq(orglifeAppraisals.year, ctx.body.year)));
    if (!existing) throw new Error('appraisal neither created nor found');
    return loadAppraisal(tx, p, existing.id);
  });
});

export const getAppraisal = route(api.getAppraisal, async (ctx) => loadAppraisal(ctx.db, ctx.user, ctx.params.id));

export const gradeMember = route(api.gradeMember, async (ctx) => {
  const p = ctx.user;
  try {
    return await withIdempotency(ctx, 'orglife.appraisal.grade', async (tx) => {
      const [round] = await tx
        .select({ id: orglifeAppraisals.id })
        .from(orglifeAppraisals)
        .where(and(eq(orglifeAppraisals.id, ctx.params.id), organizationScope(p, orglifeAppraisals.organizationId)));
      if (!round) throw notFound('民主评议');
      const [updated] = await tx
        .update(orglifeGrades)
        .set({ grade: ctx.body.grade, followUp: ctx.body.grade === 'unqualified' ? (ctx.body.followUp ?? null) : ctx.body.followUp || null, updatedAt: ctx.now })
        .where(and(eq(orglifeGrades.appraisalId, round.id), eq(orglifeGrades.memberId, ctx.params.memberId)))
        .returning({ memberId: orglifeGrades.memberId });
      if (!updated) throw notFound('参评党员');
      // Completed the day the last member is graded (the due calendar counts it then).
      await tx
        .update(orglifeAppraisals)
        .set({ completedOn: ctx.today })
        .where(
          and(
            eq(orglifeAppraisals.id, round.id),
            isNull(orglifeAppraisals.completedOn),
            sql`not exists (select 1 from ${orglifeGrades} where ${orglifeGrades.appraisalId} = ${round.id}::int and ${orglifeGrades.grade} is null)`,
          ),
        );
      await writeAudit(tx, p, { action: 'orglife.appraisal.grade', targetType: 'orglife_appraisal', targetId: round.id, details: { memberId: updated.memberId, grade: ctx.body.grade } }, ctx.now);
      return loadAppraisal(tx, p, round.id);
    });
  } catch (err) {
    if (pgError(err).constraint === 'orglife_grades_excellent_third_ck') {
      throw conflict('评为优秀的党员不能超过参评党员的三分之一', { reason: 'excellent_limit' });
    }
    throw err;
  }
});
