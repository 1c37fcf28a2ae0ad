/** Members with their branch and their township's settings (the birthday window, the reminder template): one statement. */
import { eq } from 'drizzle-orm';
import { alias, type SelectedFields } from 'drizzle-orm/pg-core';
import { effectiveSettings, type Settings } from '../../../shared/settings.js';
import type { Db } from '../../../db/client.js';
import { members, organizations } from '../../../db/schema/index.js';
import { townshipOfOrganization } from '../../_app/scope.js';

export const branch = alias(organizations, 'branch');
const township = alias(organizations, 'township');
const county = alias(organizations, 'county');

/**
 * `columns` of members (and `branch`) plus the township's and the county's settings rows; resolve them
 * with `settingsOf` (shared/settings.ts: the township's value over the county-wide default, key by key).
 */
export function selectMembersWithSettings<T extends SelectedFields>(db: Db, columns: T) {
  return db
    .select({ ...columns, townshipSettings: township.settings, countySettings: county.settings })
    .from(members)
    .innerJoin(branch, eq(branch.id, members.organizationId))
    .leftJoin(township, eq(township.id, townshipOfOrganization(members.organizationId)))
    .leftJoin(county, eq(county.id, township.parentId));
}

export function settingsOf(row: { townshipSettings: unknown; countySettings: unknown }): Settings {
  return effectiveSettings(row.countySettings ?? undefined, row.townshipSettings ?? undefined);
}
