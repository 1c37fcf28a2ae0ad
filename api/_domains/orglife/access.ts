/**
 * Who may touch which branch's organizational life, and the roster a meeting
 * expects: all through api/_app/scope.ts, so the county tenancy carries over.
 */
import { and, asc, eq, lte, type SQL } from 'drizzle-orm';
import { shanghaiDate, type IsoDate } from '../../../shared/calendar.js';
import { branchEstablishedOn, orglifeSettings, type OrglifeSettings } from '../../../shared/orglife.js';
import { rowsOf, type Db } from '../../../db/client.js';
import { members, organizations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { ApiError, notFound } from '../../_app/errors.js';
import { assertOfficerMayUseOrganization, organizationScope } from '../../_app/scope.js';
import { settingsFor as effectiveSettingsFor } from '../../_app/settings.js';

export interface Branch {
  id: number;
  name: string;
  createdOn: IsoDate;
}

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

export const BRANCH_COLUMNS = { id: organizations.id, name: organizations.name, createdAt: organizations.createdAt, settings: organizations.settings };

export function toBranch(row: { id: number; name: string; createdAt: Date; settings: Record<string, unknown> }): Branch {
  return { id: row.id, name: row.name, createdOn: branchEstablishedOn(row.settings, shanghaiDate(row.createdAt)) };
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

/** The township's organizational-life settings (frequencies, 主题党日's fixed day), over the county's defaults. */
export async function settingsFor(db: Db, p: Principal): Promise<OrglifeSettings> {
  return orglifeSettings(await effectiveSettingsFor(db, p));
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

export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

export const iso = (value: string | Date) => new Date(value).toISOString();

/** Officers read their scope's organizational life; county staff read the county's (the dispatcher refuses them every write). */
export const isOfficer = (p: Principal) => p.role === 'secretary' || p.role === 'staff' || p.role === 'county';
