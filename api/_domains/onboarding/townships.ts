/**
 * 乡镇管理 for county staff: the county's townships with their branches, a new
 * township, more branches. Each write runs under its Idempotency-Key; a name
 * already used in the same parent is refused (a township) or skipped (a branch),
 * by the unique index, never by a check before the insert.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { BRANCH_KIND, COUNTY_KIND, TOWNSHIP_KIND } from '../../../shared/common.js';
import * as onboardingApi from '../../../shared/onboarding.js';
import type { Township } from '../../../shared/onboarding.js';
import type { Db } from '../../../db/client.js';
import { accounts, organizations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { organizationScope } from '../../_app/scope.js';
import { createChildren } from './store.js';

const a = alias(accounts, 'a');
const b = alias(organizations, 'b');
const t = alias(organizations, 't');
const up = alias(organizations, 'up');

/** The county's townships (all, or the one named), with their branches and officer counts: two statements. */
async function loadTownships(db: Db, p: Principal, only?: number): Promise<Township[]> {
  const rows = await db
    .select({
      id: t.id,
      name: t.name,
      staffCount: sql<number>`(select count(*)::int from ${accounts} ${a} where ${a.role} = 'staff' and ${a.organizationId} = ${t.id})`,
      secretaryCount: sql<number>`(select count(*)::int from ${accounts} ${a} join ${organizations} ${b} on ${b.id} = ${a.organizationId}
        where ${a.role} = 'secretary' and ${b.parentId} = ${t.id})`,
    })
    .from(t)
    // Joined with its parent (the county): with a join, drizzle names every column with its table in the counts' subqueries.
    .innerJoin(up, eq(up.id, t.parentId))
    .where(and(eq(t.kind, TOWNSHIP_KIND), organizationScope(p, t.id), only ? eq(t.id, only) : undefined))
    .orderBy(asc(t.sortOrder), asc(t.id));
  if (rows.length === 0) return [];
  const branches = await db
    .select({ id: organizations.id, name: organizations.name, parentId: organizations.parentId })
    .from(organizations)
    .where(and(eq(organizations.kind, BRANCH_KIND), inArray(organizations.parentId, rows.map((r) => r.id))))
    .orderBy(asc(organizations.sortOrder), asc(organizations.id));
  return rows.map((r) => ({
    ...r,
    staffCount: Number(r.staffCount),
    secretaryCount: Number(r.secretaryCount),
    branches: branches.filter((x) => x.parentId === r.id).map(({ id, name }) => ({ id, name })),
  }));
}

async function oneTownship(db: Db, p: Principal, id: number): Promise<Township> {
  const [t] = await loadTownships(db, p, id);
  if (!t) throw notFound('乡镇党委');
  return t;
}

export const listTownships = route(onboardingApi.listTownships, async (ctx) => ({ townships: await loadTownships(ctx.db, ctx.user) }));

export const createTownship = route(onboardingApi.createTownship, async (ctx) => {
  const p = ctx.user;
  const name = ctx.body.name;
  return withIdempotency(ctx, 'onboarding.createTownship', async (tx) => {
    // The caller's county: their own organization, if it is the county (a county account always is).
    const [county] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(and(eq(organizations.id, p.organizationId ?? -1), eq(organizations.kind, COUNTY_KIND)));
    if (!county) throw new ApiError('forbidden', '您的账号不属于县委组织部');
    const [created] = await createChildren(tx, county.id, TOWNSHIP_KIND, [name]);
    if (!created) throw new ApiError('conflict', `本县已有“${name}”，不能重复新建`);
    const [row] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(and(eq(organizations.parentId, county.id), eq(organizations.name, name)));
    if (!row) throw new Error('township not found after insert');
    await writeAudit(tx, p, { action: 'township.create', targetType: 'organization', targetId: row.id, details: { name } }, ctx.now);
    return new JsonResponse(201, { township: await oneTownship(tx, p, row.id) });
  });
});

export const addBranches = route(onboardingApi.addBranches, async (ctx) => {
  const p = ctx.user;
  const names = [...new Set(ctx.body.names)];
  return withIdempotency(ctx, 'onboarding.addBranches', async (tx) => {
    // Another county's township (or a branch's id) reads as one that does not exist.
    const [twp] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(and(eq(organizations.id, ctx.params.id), eq(organizations.kind, TOWNSHIP_KIND), organizationScope(p, organizations.id)))
      .for('update');
    if (!twp) throw notFound('乡镇党委');
    const created = await createChildren(tx, twp.id, BRANCH_KIND, names);
    const existing = names.filter((n) => !created.includes(n));
    if (created.length > 0) {
      await writeAudit(tx, p, { action: 'branches.create', targetType: 'organization', targetId: twp.id, details: { created, existing } }, ctx.now);
    }
    return { township: await oneTownship(tx, p, twp.id), created, existing };
  });
});
