/** Who sees which commendations: the caller's township, their branch, their own honors. */
import { or, sql, type SQL } from 'drizzle-orm';
import { commendations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { organizationScope } from '../../_app/scope.js';

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

/** Staff: the township; secretary: their branch; anyone: their own honors. */
export function commendationScope(p: Principal): SQL {
  const own = p.memberId != null ? sql`${commendations.memberId} = ${p.memberId}` : sql`false`;
  if (p.role === 'staff' || p.role === 'secretary') return or(organizationScope(p, commendations.organizationId), own) as SQL;
  return own;
}

export function townshipCommendations(township: SQL): SQL {
  return sql`${commendations.organizationId} in (select o.id from organizations o where o.path like (select r.path from organizations r where r.id = ${township}) || '%')`;
}
