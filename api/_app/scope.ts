/**
 * Who sees what, in one place: a member sees themselves, a secretary their
 * branch, township staff their township (the subtree under their committee),
 * county staff the whole county (the subtree under the county). The township
 * is the tenant: every record belongs to the township its organization sits
 * in (the nearest committee at or above it), and no one below the county
 * reaches another township. Out-of-scope single records answer 404, so their
 * existence does not leak.
 */
import { sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { organizations } from '../../db/schema/index.js';
import { COUNTY_KIND, TOWNSHIP_KIND } from '../../shared/common.js';
import type { Principal } from './auth.js';
import { ApiError } from './errors.js';

/** Ids of the organizations in a subtree, as a subquery (no extra round trip). */
export function subtreeOf(rootOrganizationId: number | SQL): SQL {
  const o = alias(organizations, 'o');
  const r = alias(organizations, 'r');
  return sql`(select ${o.id} from ${organizations} ${o} where ${o.path} like (select ${r.path} from ${organizations} ${r} where ${r.id} = ${rootOrganizationId}) || '%')`;
}

/** Staff and county staff see a whole subtree (the township, the county) from their own organization down. */
export function seesSubtree(p: Principal): p is Principal & { organizationId: number } {
  return (p.role === 'staff' || p.role === 'county') && p.organizationId != null;
}

/**
 * Condition on a row's organization (a column, or an expression in raw SQL such
 * as sql`m.organization_id`): staff their township's subtree, county staff the
 * county's, a secretary their branch, anyone else nothing. The one rule for
 * lists and for "may this officer act for that member or branch".
 */
export function organizationScope(p: Principal, organizationColumn: AnyPgColumn | SQL): SQL {
  if (seesSubtree(p)) return sql`${organizationColumn} in ${subtreeOf(p.organizationId)}`;
  if (p.role === 'secretary' && p.organizationId != null) return sql`${organizationColumn} = ${p.organizationId}`;
  return sql`false`;
}

/** The nearest organization of a kind at or above an organization, as a subquery (null when there is none). */
function nearestOfKind(kind: string, organizationId: number | SQL | AnyPgColumn): SQL {
  const t = alias(organizations, 'twp');
  const s = alias(organizations, 'src');
  return sql`(select ${t.id} from ${organizations} ${t} where ${t.kind} = ${kind}
    and (select ${s.path} from ${organizations} ${s} where ${s.id} = ${organizationId}) like ${t.path} || '%'
    order by length(${t.path}) desc limit 1)`;
}

/**
 * The township (committee) an organization belongs to, as a subquery: the
 * nearest committee at or above it; null above the townships (the county).
 * The one way to find "the committee above a branch".
 */
export function townshipOfOrganization(organizationId: number | SQL | AnyPgColumn): SQL {
  return nearestOfKind(TOWNSHIP_KIND, organizationId);
}

/** The county an organization belongs to (the deployment's root above its townships), as a subquery. */
export function countyOfOrganization(organizationId: number | SQL | AnyPgColumn): SQL {
  return nearestOfKind(COUNTY_KIND, organizationId);
}

/**
 * The committee a caller belongs to, as a subquery: staff's own organization;
 * for a secretary or member the nearest committee above their branch. Null for
 * an applicant, who belongs nowhere yet, and for county staff, who belong to
 * no one township (they name one: `townshipFor`).
 */
export function townshipOf(p: Principal): SQL | null {
  if (p.role === 'county') return null;
  const own =
    p.organizationId != null
      ? sql`${p.organizationId}`
      : p.memberId != null
        ? sql`(select m.organization_id from members m where m.id = ${p.memberId})`
        : null;
  if (!own) return null;
  return townshipOfOrganization(own);
}

/**
 * The township a township-wide read is about: the caller's own; county staff
 * name one (`?townshipId=`, a township of their county: anything else reads as
 * a township that does not exist). Null when there is none.
 */
export function townshipFor(p: Principal, requestedTownshipId?: number | null): SQL | null {
  if (p.role === 'county' && p.organizationId != null) {
    if (requestedTownshipId == null) return null;
    const t = alias(organizations, 'twp');
    return sql`(select ${t.id} from ${organizations} ${t} where ${t.id} = ${requestedTownshipId}::int and ${t.kind} = ${TOWNSHIP_KIND}
      and ${t.id} in ${subtreeOf(p.organizationId)})`;
  }
  return townshipOf(p);
}

/** Condition on members (id and organization columns) for any role. */
export function memberScope(p: Principal, memberIdColumn: AnyPgColumn, organizationColumn: AnyPgColumn): SQL {
  if (seesSubtree(p) || p.role === 'secretary') return organizationScope(p, organizationColumn);
  if (p.memberId != null) return sql`${memberIdColumn} = ${p.memberId}`;
  return sql`false`;
}

/**
 * An officer naming an organization explicitly (a filter, a form field): a
 * secretary may only name their own branch. Staff and county staff may name
 * any; the query they filter is already held to their subtree by
 * `organizationScope`, so another township's branch simply matches nothing.
 */
export function assertOfficerMayUseOrganization(p: Principal, organizationId: number): void {
  if (seesSubtree(p)) return;
  if (p.role === 'secretary' && p.organizationId === organizationId) return;
  throw new ApiError('forbidden', '只能查看或管理本支部的数据');
}
