/**
 * Who may touch which branch's organizational life, and the roster a meeting
 * expects: all through api/_app/scope.ts, so the county tenancy carries over.
 */
import { and, asc, eq, lte } from 'drizzle-orm';
import { type IsoDate } from '../../../shared/calendar.js';
import { type Db } from '../../../db/client.js';
import { members, organizations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { ApiError, notFound } from '../../_app/errors.js';
import { BRANCH_COLUMNS, toBranch, type Branch } from '../../_app/orglife-due.js';
import { assertOfficerMayUseOrganization, organizationScope } from '../../_app/scope.js';

export { BRANCH_COLUMNS, settingsFor, toBranch, type Branch } from '../../_app/orglife-due.js';

/**
 * The branch an officer acts for: a secretary's own (or, named, only their own: 403),
 * staff's named branch within their township (404 outside it, so it does not leak).
 */
export async function officerBranch(db: Db, p: Principal, named: number | undefined): Promise<Branch> {
  const id = named ?? (p.role === 'secretary' ? p.organizationId : null);
  if (id == null) throw new ApiError('validation_failed', '请选择支部');
  assertOfficerMayUseOrganization(p, id);
  const [row] = await db
    .select(BRANCH_COLUMNS)
    .from(organizations)
    .where(and(eq(organizations.id, id), eq(organizations.kind, 'branch'), organizationScope(p, organizations.id)));
  if (!row) throw notFound('支部');
  return toBranch(row);
}

/** The branches an officer sees, in their fixed order (sortOrder, then name): never ranked. */
export async function branchesInScope(db: Db, p: Principal): Promise<Branch[]> {
  const rows = await db
    .select(BRANCH_COLUMNS)
    .from(organizations)
    .where(and(eq(organizations.kind, 'branch'), organizationScope(p, organizations.id)))
    .orderBy(asc(organizations.sortOrder), asc(organizations.name), asc(organizations.id));
  return rows.map(toBranch);
}

/**
 * 应到: the members in the branch's roster on the day — active, admitted (入党) by
 * then; 预备党员 attend too. The roster has no branch history, so a member who
 * moved in later is counted from their current branch (the transfer letter's day is not on the member row).
 */
export async function expectedOn(db: Db, branchId: number, day: IsoDate) {
  return db
    .select({ memberId: members.id, name: members.name, category: members.category })
    .from(members)
    .where(and(eq(members.organizationId, branchId), eq(members.status, 'active'), lte(members.joinedAt, day)))
    .orderBy(asc(members.name), asc(members.id));
}


/** Officers read their scope's organizational life; county staff read the county's (the dispatcher refuses them every write). */
export const isOfficer = (p: Principal) => p.role === 'secretary' || p.role === 'staff' || p.role === 'county';
