/**
 * The county's side: the holiday list (a year at a time) the 公示 working days are counted on, and the
 * county's yearly 发展 target with each township's progress, in the townships' fixed order.
 */
import { and, asc, between, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import * as api from '../../../shared/development.js';
import type { CountyDevelopmentResponse, WorkCalendarResponse } from '../../../shared/development.js';
import { TOWNSHIP_KIND } from '../../../shared/common.js';
import type { Db } from '../../../db/client.js';
import { developmentRecords, developmentTargets, members, organizations, workCalendarDays } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { ApiError, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { subtreeOf } from '../../_app/scope.js';

/** The year's days and the years that have a list: one statement. */
async function loadYear(db: Db, year: number): Promise<WorkCalendarResponse> {
  const rows = await db
    .select({ day: workCalendarDays.day, kind: workCalendarDays.kind, note: workCalendarDays.note, listedYears: sql<number[]>`(select coalesce(array_agg(distinct extract(year from d.day)::int order by extract(year from d.day)::int), '{}') from ${workCalendarDays} d)` })
    .from(sql`(select 1) as one`)
    .leftJoin(workCalendarDays, between(workCalendarDays.day, `${year}-01-01`, `${year}-12-31`))
    .orderBy(asc(workCalendarDays.day));
  const listedYears = (rows[0]?.listedYears ?? []).map(Number);
  const days = rows.filter((r) => r.day != null).map((r) => ({ day: r.day!, kind: r.kind!, note: r.note ?? '' }));
  return { year, days, listedYears };
}

export const getWorkCalendar = route(api.getWorkCalendar, async (ctx) => loadYear(ctx.db, ctx.query.year ?? Number(ctx.today.slice(0, 4))));

/** Replaces the whole year's list (what the page shows is what is stored); audited with the counts before and after. */
export const putWorkCalendar = route(api.putWorkCalendar, async (ctx) => {
  const { year } = ctx.params;
  const checked = api.putWorkCalendarBody(year).safeParse(ctx.body);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
    throw new ApiError('validation_failed', issues[0]!.message, { in: 'body', issues });
  }
  return withIdempotency(ctx, `development.work-calendar:${year}`, async (tx) => {
    const removed = await tx.delete(workCalendarDays).where(between(workCalendarDays.day, `${year}-01-01`, `${year}-12-31`)).returning({ day: workCalendarDays.day });
    if (ctx.body.days.length) await tx.insert(workCalendarDays).values(ctx.body.days);
    const count = (kind: string) => ctx.body.days.filter((d) => d.kind === kind).length;
    await writeAudit(
      tx,
      ctx.user,
      { action: 'work_calendar.set', targetType: 'work_calendar', targetId: year, details: { before: removed.length, removedDays: removed.map((r) => r.day), after: ctx.body.days.length, holidays: count('holiday'), workdays: count('workday') } },
      ctx.now,
    );
    return loadYear(tx, year);
  });
});

/** The county's target and each township's, with 预备党员 admitted (支部大会, approved) that year: one statement. */
async function loadProgress(db: Db, p: Principal, year: number): Promise<CountyDevelopmentResponse> {
  if (p.organizationId == null) throw notFound('县委组织部');
  const countyId = p.organizationId;
  const t = alias(organizations, 'cd_township');
  const admittedIn = (root: ReturnType<typeof sql>) => sql<number>`(select count(*)::int from ${developmentRecords}
    join ${members} on ${members.id} = ${developmentRecords.memberId}
    where ${developmentRecords.organizationId} in ${subtreeOf(root)}
    and ${members.joinedAt} between ${`${year}-01-01`} and ${`${year}-12-31`})`;
  const targetOf = (org: ReturnType<typeof sql>) =>
    sql<number | null>`(select ${developmentTargets.target} from ${developmentTargets} where ${developmentTargets.organizationId} = ${org} and ${developmentTargets.year} = ${year})`;
  const rows = await db
    .select({
      id: t.id,
      name: t.name,
      target: targetOf(sql`${t.id}`),
      admitted: admittedIn(sql`${t.id}`),
      countyTarget: targetOf(sql`${countyId}::int`),
      countyAdmitted: admittedIn(sql`${countyId}::int`),
    })
    .from(sql`(select 1) as one`)
    .leftJoin(t, and(eq(t.kind, TOWNSHIP_KIND), sql`${t.id} in ${subtreeOf(countyId)}`))
    // The townships' fixed order (by their sort order, then id): never by how far they are.
    .orderBy(asc(t.sortOrder), asc(t.id));
  const first = rows[0];
  return {
    year,
    county: { year, target: first?.countyTarget ?? null, admitted: Number(first?.countyAdmitted ?? 0) },
    townships: rows
      .filter((r) => r.id != null)
      .map((r) => ({ organizationId: r.id!, name: r.name!, year, target: r.target == null ? null : Number(r.target), admitted: Number(r.admitted) })),
  };
}

export const countyDevelopment = route(api.countyDevelopment, async (ctx) => loadProgress(ctx.db, ctx.user, ctx.query.year ?? Number(ctx.today.slice(0, 4))));

export const setCountyDevelopmentTarget = route(api.setCountyDevelopmentTarget, async (ctx) => {
  const { year } = ctx.params;
  const { target } = ctx.body;
  const countyId = ctx.user.organizationId;
  if (countyId == null) throw notFound('县委组织部');
  return withIdempotency(ctx, `development.county-target:${year}`, async (tx) => {
    const [before] = await tx
      .select({ target: developmentTargets.target })
      .from(developmentTargets)
      .where(and(eq(developmentTargets.organizationId, countyId), eq(developmentTargets.year, year)));
    await tx
      .insert(developmentTargets)
      .values({ organizationId: countyId, year, target, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: [developmentTargets.organizationId, developmentTargets.year], set: { target, updatedAt: ctx.now } });
    await writeAudit(tx, ctx.user, { action: 'development.county_target.set', targetType: 'development_target', targetId: `${countyId}:${year}`, details: { before: before?.target ?? null, after: target } }, ctx.now);
    return loadProgress(tx, ctx.user, year);
  });
});
