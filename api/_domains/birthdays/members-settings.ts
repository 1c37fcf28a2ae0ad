/** Members with their branch and their township's settings (the birthday window, the reminder template): one statement. */
import { eq, sql } from 'drizzle-orm';
import { alias, type SelectedFields } from 'drizzle-orm/pg-core';
import type { Db } from '../../../db/client.js';
import { members, organizations } from '../../../db/schema/index.js';

export const branch = alias(organizations, 'branch');
const committee = alias(organizations, 'committee');

/** `columns` of members (and `branch`) plus `settings`: the committee's, else the branch's. */
export function selectMembersWithSettings<T extends SelectedFields>(db: Db, columns: T) {
  return db
    .select({ ...columns, settings: sql<unknown>`coalesce(${committee.settings}, ${branch.settings})` })
    .from(members)
    .innerJoin(branch, eq(branch.id, members.organizationId))
    .leftJoin(committee, eq(committee.id, branch.parentId));
}
