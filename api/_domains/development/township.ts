/** The township committee's side: the approval queue and the yearly 发展 target's progress. */
import { and, count, eq, isNotNull, sql } from 'drizzle-orm';
import * as api from '../../../shared/development.js';
import type { Db } from '../../../db/client.js';
import { developmentRecords, developmentTargets, members } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { ApiError } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { organizationScope, townshipOf } from '../../_app/scope.js';
import { loadRecords, loadWorkCalendar, summaryOf } from './view.js';

function township(p: Principal) {
  const t = townshipOf(p);
  if (!t) throw new ApiError('forbidden', '只有党委工作人员可以操作');
  return t;
}

/** Progress: 预备党员 the township's branches admitted (入党日期) in `year` and the committee approved. */
async function progressOf(db: Db, p: Principal, year: number) {
  const [admitted] = await db
    .select({ n: count() })
    .from(developmentRecords)
    .innerJoin(members, eq(members.id, developmentRecords.memberId))
    .where(
      and(
        organizationScope(p, developmentRecords.organizationId),
        isNotNull(developmentRecords.memberId),
        sql`${members.joinedAt} between ${`${year}-01-01`} and ${`${year}-12-31`}`,
      ),
    );
  const [target] = await db
    .select({ target: developmentTargets.target })
    .from(developmentTargets)
    .where(and(eq(developmentTargets.year, year), sql`${developmentTargets.organizationId} = ${township(p)}`));
  return { year, target: target?.target ?? null, admitted: admitted?.n ?? 0 };
}

export const developmentQueue = route(api.developmentQueue, async (ctx) => {
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  const { records, steps } = await loadRecords(ctx.db, organizationScope(ctx.user, developmentRecords.organizationId));
  const cal = await loadWorkCalendar(ctx.db);
  const items = records
    .map((r) => summaryOf(r, steps.get(r.id) ?? [], ctx.today, cal))
    // Waiting for the township: its step is the next one and may be taken today.
    .filter((s) => s.next?.actor === 'township' && s.next.earliest <= ctx.today)
    .map(({ open: _open, ...s }) => s);
  return { items, progress: await progressOf(ctx.db, ctx.user, year) };
});

export const setDevelopmentTarget = route(api.setDevelopmentTarget, async (ctx) => {
  const { year } = ctx.params;
  const { target } = ctx.body;
  return withIdempotency(ctx, `development.target:${year}`, async (tx) => {
    const organizationId = sql<number>`${township(ctx.user)}`;
    await tx
      .insert(developmentTargets)
      .values({ organizationId, year, target, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: [developmentTargets.organizationId, developmentTargets.year], set: { target, updatedAt: ctx.now } });
    await writeAudit(tx, ctx.user, { action: 'development.target.set', targetType: 'development_target', targetId: year, details: { target } }, ctx.now);
    return progressOf(tx, ctx.user, year);
  });
});
