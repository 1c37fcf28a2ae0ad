/**
 * The demo county's two townships, read from the seeded tables: township A (红旗镇, the one the suites were
 * written for) and township B (柳林乡). Tests that pick "the branches" mean township A's.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { TestContext } from './harness.js';
import { accounts, organizations } from '../../db/schema/index.js';
import { DEMO_COMMITTEE } from '../../db/seed/core.js';
import { SECOND_TOWNSHIP } from '../../db/seed/county.js';

export async function townshipId(db: Db, which: 'A' | 'B'): Promise<number> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, which === 'A' ? DEMO_COMMITTEE : SECOND_TOWNSHIP));
  if (!row) throw new Error(`township ${which} not seeded`);
  return row.id;
}

/** A township's branches in their display order. */
export async function branchesOf(db: Db, which: 'A' | 'B'): Promise<number[]> {
  const parent = await townshipId(db, which);
  const rows = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.kind, 'branch'), eq(organizations.parentId, parent)))
    .orderBy(asc(organizations.sortOrder), asc(organizations.id));
  return rows.map((r) => r.id);
}

/** The seeded account of a role in a township (staff: its committee; secretary: of the given branch). */
export async function accountIn(db: Db, role: 'staff' | 'secretary', organizationId: number): Promise<number> {
  const [row] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.role, role), eq(accounts.organizationId, organizationId), eq(accounts.isDemo, 1)))
    .orderBy(asc(accounts.id))
    .limit(1);
  if (!row) throw new Error(`no ${role} account in organization ${organizationId}`);
  return row.id;
}

/** A signed-in token of the seeded secretary of a branch. */
export async function secretaryToken(t: TestContext, branchId: number): Promise<string> {
  return t.login('secretary', await accountIn(t.db, 'secretary', branchId));
}
