/** Who sees which commendations: the caller's township, their branch, their own honors. */
import { or, sql, type SQL } from 'drizzle-orm';
import { commendations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { organizationScope, seesSubtree, subtreeOf } from '../../_app/scope.js';

/** Staff: the township; secretary: their branch; anyone: their own honors. */
export function commendationScope(p: Principal): SQL {
  const own = p.memberId != null ? sql`${commendations.memberId} = ${p.memberId}` : sql`false`;
  if (seesSubtree(p) || p.role === 'secretary') return or(organizationScope(p, commendations.organizationId), own) as SQL;
  return own;
}

export function townshipCommendations(township: SQL): SQL {
  return sql`${commendations.organizationId} in ${subtreeOf(township)}`;
}
