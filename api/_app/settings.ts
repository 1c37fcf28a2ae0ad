/**
 * Loading settings (shared/settings.ts resolves them): a township's committee row with the county
 * row above it, in one statement, so every reader sees the same county-over-default, township-over-
 * county answer. The readers never parse `organizations.settings` themselves.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { effectiveSettings, type Settings } from '../../shared/settings.js';
import { COUNTY_KIND, TOWNSHIP_KIND } from '../../shared/common.js';
import type { Db } from '../../db/client.js';
import { organizations } from '../../db/schema/index.js';
import type { Principal } from './auth.js';
import { townshipOf } from './scope.js';

const township = alias(organizations, 'st_township');
const county = alias(organizations, 'st_county');

export interface SettingsRows {
  organizationId: number;
  organizationName: string;
  /** The row's own settings (the township's, or the county's for the county level). */
  own: unknown;
  /** The county row's settings (undefined at the county level: nothing is above it). */
  inherited: unknown;
}

/** The township's row and the county row above it; null when `townshipId` is not a township. */
export async function townshipSettingsRows(db: Db, townshipId: SQL | number): Promise<SettingsRows | null> {
  const [row] = await db
    .select({ id: township.id, name: township.name, own: township.settings, inherited: county.settings })
    .from(township)
    .leftJoin(county, and(eq(county.id, township.parentId), eq(county.kind, COUNTY_KIND)))
    .where(and(sql`${township.id} = ${townshipId}`, eq(township.kind, TOWNSHIP_KIND)));
  return row ? { organizationId: row.id, organizationName: row.name, own: row.own, inherited: row.inherited ?? undefined } : null;
}

/** The county row (one per deployment). */
export async function countySettingsRows(db: Db): Promise<SettingsRows | null> {
  const [row] = await db.select({ id: organizations.id, name: organizations.name, own: organizations.settings }).from(organizations).where(eq(organizations.kind, COUNTY_KIND));
  return row ? { organizationId: row.id, organizationName: row.name, own: row.own, inherited: undefined } : null;
}

/**
 * The settings that apply to a caller: their township's; for county staff, the county-wide
 * defaults; the built-in defaults for anyone who belongs nowhere yet. One statement.
 */
export async function settingsFor(db: Db, p: Principal): Promise<Settings> {
  const t = townshipOf(p);
  const rows = t ? await townshipSettingsRows(db, t) : p.role === 'county' ? await countySettingsRows(db) : null;
  if (!rows) return effectiveSettings(undefined, undefined);
  return rows.inherited === undefined ? effectiveSettings(rows.own, undefined) : effectiveSettings(rows.inherited, rows.own);
}
