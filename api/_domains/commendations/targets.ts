/** The plan's yearly targets and the progress toward them. */
import { sql, type SQL } from 'drizzle-orm';
import * as api from '../../../shared/commendations.js';
import { CATEGORY_UNITS, commendationCategories, progressPercent, type CommendationCategory, type TargetProgress } from '../../../shared/commendations.js';
import type { Db } from '../../../db/client.js';
import { commendationTargets } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { notFound } from '../../_app/errors.js';
import { subtreeOf, townshipOf } from '../../_app/scope.js';

/**
 * Progress counts people (or organizations for 先进基层党组织), not entries, over
 * commendations aliased `c`: one title a year is also a unique index, so this
 * only matters for data entered before the rule.
 */
export const COUNTED_SUBJECTS = sql.raw(`count(distinct coalesce('m' || c.member_id, 'o' || c.organization_id))::int`);

/**
 * Targets and progress of a township for a year in one statement: each
 * category with its target (if set) and the commendations counted that year.
 */
export async function loadTargets(db: Db, township: SQL, year: number): Promise<TargetProgress[]> {
  const rows = await db
    .select({
      category: sql<CommendationCategory>`cat.category`,
      target: sql<number | null>`(select t.target from commendation_targets t where t.organization_id = ${township} and t.year = ${year} and t.category = cat.category)`,
      achieved: sql<number>`(select ${COUNTED_SUBJECTS} from commendations c
        where c.deleted_at is null and c.year = ${year} and c.category = cat.category
        and c.organization_id in ${subtreeOf(township)})`,
    })
    .from(sql`unnest(array[${sql.join(commendationCategories.map((c) => sql`${c}`), sql`, `)}]::text[]) with ordinality as cat(category, ord)`)
    .orderBy(sql`cat.ord`);
  return rows.map((r) => {
    const target = r.target == null ? null : Number(r.target);
    const achieved = Number(r.achieved);
    return { category: r.category, unit: CATEGORY_UNITS[r.category], target, achieved, percent: progressPercent(achieved, target) };
  });
}

export const getTargets = route(api.getTargets, async (ctx) => {
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  const township = townshipOf(ctx.user);
  if (!township) throw notFound('所属党委');
  return { year, targets: await loadTargets(ctx.db, township, year) };
});

/** PUT replaces the named categories' targets; sending the same targets again changes nothing. */
export const putTargets = route(api.putTargets, async (ctx) => {
  const year = ctx.query.year;
  const p = ctx.user;
  const townshipId = p.organizationId as number;
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(commendationTargets)
      .values(ctx.body.targets.map((t) => ({ organizationId: townshipId, year, category: t.category, target: t.target, updatedByAccountId: p.accountId, updatedAt: ctx.now })))
      .onConflictDoUpdate({
        target: [commendationTargets.organizationId, commendationTargets.year, commendationTargets.category],
        set: { target: sql`excluded.target`, updatedByAccountId: sql`excluded.updated_by_account_id`, updatedAt: sql`excluded.updated_at` },
      });
    await writeAudit(tx, p, { action: 'commendation_target.set', targetType: 'commendation_target', targetId: `${townshipId}:${year}`, details: { year, targets: ctx.body.targets } }, ctx.now);
  });
  return { year, targets: await loadTargets(ctx.db, sql`${townshipId}`, year) };
});
