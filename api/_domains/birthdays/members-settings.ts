/** Members with their branch and their township's settings (the birthday window, the reminder template): one statement. */
import { eq, sql } from 'drizzle-orm';
import { alias, type SelectedFields } from 'drizzle-orm/pg-core';
import type { Db } from '../../../db/client.js';
import { members, organizations } from '../../../db/schema/index.js';
import { townshipOfOrganization } from '../../_app/scope.js';

export const branch = alias(organizations, 'branch');
const township = alias(organizations, 'township');
const county = alias(organizations, 'county');

/**
 * `columns` of members (and `branch`) plus `settings`: the township's, over the county-wide
 * defaults it inherits (the county row's settings), key by key.
 */
export function selectMembersWithSettings<T extends SelectedFields>(db: Db, columns: T) {
  return db
    .select({ ...columns, settings: sql<unknown>`coalesce(${county.settings}, '{}'::jsonb) || coalesce(${township.settings}, '{}'::jsonb)` })
    .from(members)
    .innerJoin(branch, eq(branch.id, members.organizationId))
    .leftJoin(township, eq(township.id, townshipOfOrganization(members.organizationId)))
    .leftJoin(county, eq(county.id, township.parentId));
}
