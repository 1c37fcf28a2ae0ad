/**
 * 本镇设置 and 县级默认设置: township staff read and replace their township's own choices; county staff
 * read any township's and replace the county-wide defaults (the county row only: a township's own
 * choices are the township's to make). Resolution and bounds live in shared/settings.ts.
 */
import { and, eq, sql } from 'drizzle-orm';
import * as api from '../../shared/settings.js';
import { ownSettingsOf, resolveSettings, storedSettings, type OwnSettings, type SettingsResponse } from '../../shared/settings.js';
import { COUNTY_KIND, TOWNSHIP_KIND } from '../../shared/common.js';
import type { Db } from '../../db/client.js';
import { organizations } from '../../db/schema/index.js';
import type { Principal } from '../_app/auth.js';
import { writeAudit } from '../_app/audit.js';
import { route } from '../_app/context.js';
import { ApiError, notFound } from '../_app/errors.js';
import { withIdempotency } from '../_app/idempotency.js';
import { townshipFor } from '../_app/scope.js';
import { countySettingsRows, townshipSettingsRows, type SettingsRows } from '../_app/settings.js';

function view(level: 'township' | 'county', rows: SettingsRows): SettingsResponse {
  // At the county level the row itself is the county's (first argument); a township inherits the county row.
  const resolved = level === 'county' ? resolveSettings(rows.own, undefined) : resolveSettings(rows.inherited, rows.own);
  const sources = level === 'county' ? relabel(resolved.sources) : resolved.sources;
  const inherited = level === 'county' ? resolveSettings(undefined, undefined).values : resolveSettings(rows.inherited, undefined).values;
  return {
    level,
    organizationId: rows.organizationId,
    organizationName: rows.organizationName,
    effective: resolved.values,
    sources,
    own: ownSettingsOf(rows.own),
    inherited,
  };
}

/** At the county level the county row is read as the first layer, so its values say 'county', never 'township'. */
function relabel(sources: api.SettingSources): api.SettingSources {
  return JSON.parse(JSON.stringify(sources).replaceAll('"township"', '"county"')) as api.SettingSources;
}

function townshipOfCaller(p: Principal, requested: number | undefined) {
  if (p.role === 'county' && requested == null) throw new ApiError('validation_failed', '请选择要查看的乡镇', { in: 'query', issues: [{ path: ['townshipId'], message: '请选择要查看的乡镇' }] });
  const t = townshipFor(p, requested ?? null);
  if (!t) throw notFound('所属党委');
  return t;
}

export const getTownshipSettings = route(api.getTownshipSettings, async (ctx) => {
  const rows = await townshipSettingsRows(ctx.db, townshipOfCaller(ctx.user, ctx.query.townshipId));
  if (!rows) throw notFound('乡镇');
  return view('township', rows);
});

/** Replaces one organization's own settings under a row lock; audited with what it was and what it is. */
async function replaceOwn(tx: Db, p: Principal, where: ReturnType<typeof and>, own: OwnSettings, now: Date): Promise<void> {
  const [row] = await tx.select({ id: organizations.id, kind: organizations.kind, settings: organizations.settings }).from(organizations).where(where).for('update');
  if (!row) throw notFound('组织');
  const next = storedSettings(row.settings, own);
  await tx.update(organizations).set({ settings: next }).where(eq(organizations.id, row.id));
  await writeAudit(
    tx,
    p,
    {
      action: row.kind === COUNTY_KIND ? 'settings.county.set' : 'settings.township.set',
      targetType: 'organization_settings',
      targetId: row.id,
      details: { before: ownSettingsOf(row.settings), after: ownSettingsOf(next) },
    },
    now,
  );
}

export const putTownshipSettings = route(api.putTownshipSettings, async (ctx) => {
  // Only township staff get here (allowed() refuses county staff a PUT): their own committee row.
  const township = townshipFor(ctx.user, null);
  if (!township) throw notFound('所属党委');
  return withIdempotency(ctx, 'settings.township', async (tx) => {
    await replaceOwn(tx, ctx.user, and(sql`${organizations.id} = ${township}`, eq(organizations.kind, TOWNSHIP_KIND)), ctx.body, ctx.now);
    const rows = await townshipSettingsRows(tx, township);
    if (!rows) throw notFound('乡镇');
    return view('township', rows);
  });
});

export const getCountySettings = route(api.getCountySettings, async (ctx) => {
  const rows = await countySettingsRows(ctx.db);
  if (!rows) throw notFound('县委组织部');
  return view('county', rows);
});

export const putCountySettings = route(api.putCountySettings, async (ctx) => {
  const countyId = ctx.user.organizationId;
  if (countyId == null) throw notFound('县委组织部');
  return withIdempotency(ctx, 'settings.county', async (tx) => {
    await replaceOwn(tx, ctx.user, and(eq(organizations.id, countyId), eq(organizations.kind, COUNTY_KIND)), ctx.body, ctx.now);
    const rows = await countySettingsRows(tx);
    if (!rows) throw notFound('县委组织部');
    return view('county', rows);
  });
});
