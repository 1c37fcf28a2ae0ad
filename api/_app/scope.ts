/**
 * Who sees what, in one place: a member sees themselves, a secretary their
 * branch, staff their township (the subtree under the committee they belong to).
 * Out-of-scope single records answer 404, so their existence does not leak.
 */
import { sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { organizations } from '../../db/schema/index.js';
import type { Principal } from './auth.js';
import { ApiError } from './errors.js';

/** Ids of the organizations in a subtree, as a subquery (no extra round trip). */
export function subtreeOf(rootOrganizationId: number | SQL): SQL {
  const o = alias(organizations, 'o');
  const r = alias(organizations, 'r');
  return sql`(select ${o.id} from ${organizations} ${o} where ${o.path} like (select ${r.path} from ${organizations} ${r} where ${r.id} = ${rootOrganizationId}) || '%')`;
}

/**
 * Condition on a row's organization (a column, or an expression in raw SQL such
 * as sql`m.organization_id`): staff their township's subtree, a secretary their
 * branch, anyone else nothing. The one rule for lists and for "may this officer
 * act for that member or branch".
 */
export function organizationScope(p: Principal, organizationColumn: AnyPgColumn | SQL): SQL {
  if (p.role === 'staff' && p.organizationId != null) return sql`${organizationColumn} in ${subtreeOf(p.organizationId)}`;
  if (p.role === 'secretary' && p.organizationId != null) return sql`${organizationColumn} = ${p.organizationId}`;
  return sql`false`;
}

/**
 * The committee a caller belongs to, as a subquery: staff's own organization;
 * for a secretary or member the nearest committee above their branch. Null for
 * an applicant, who belongs nowhere yet.
 */
export function townshipOf(p: Principal): SQL | null {
  const own =
    p.organizationId != null
      ? sql`${p.organizationId}`
      : p.memberId != null
        ? sql`(select m.organization_id from members m where m.id = ${p.memberId})`
        : null;
  if (!own) return null;
  return sql`(select t.id from organizations t where t.kind = 'committee'
    and (select s.path from organizations s where s.id = ${own}) like t.path || '%'
    order by length(t.path) desc limit 1)`;
}

/** Condition on members (id and organization columns) for any role. */
export function memberScope(p: Principal, memberIdColumn: AnyPgColumn, organizationColumn: AnyPgColumn): SQL {
  if (p.role === 'staff' || p.role === 'secretary') return organizationScope(p, organizationColumn);
  if (p.memberId != null) return sql`${memberIdColumn} = ${p.memberId}`;
  return sql`false`;
}

/**
 * An officer naming an organization explicitly (a filter, a form field): a
 * secretary may only name their own branch.
 */
export function assertOfficerMayUseOrganization(p: Principal, organizationId: number): void {
  if (p.role === 'staff') return;
  if (p.role === 'secretary' && p.organizationId === organizationId) return;
  throw new ApiError('forbidden', '只能查看或管理本支部的数据');
}
