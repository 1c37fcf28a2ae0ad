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

/** Condition on a row's organization column for list queries. */
export function organizationScope(p: Principal, organizationColumn: AnyPgColumn): SQL {
  if (p.role === 'staff' && p.organizationId != null) return sql`${organizationColumn} in ${subtreeOf(p.organizationId)}`;
  if (p.role === 'secretary' && p.organizationId != null) return sql`${organizationColumn} = ${p.organizationId}`;
  return sql`false`;
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
