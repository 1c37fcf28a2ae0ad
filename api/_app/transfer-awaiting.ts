/**
 * Transfers waiting for the caller, as SQL over a transfers table or alias: the inbox (transfers domain) and the
 * dashboard both count with this, from the machine's `awaitingSteps` (shared/transfers), so 待我办理 and 转接待办 agree.
 */
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { awaitingSteps } from '../../shared/transfers.js';
import type { Principal } from './auth.js';

/** The transfers table or an alias of it (`alias(transfers, 't')`). */
type TransferColumns = Record<'kind' | 'state' | 'fromOrganizationId' | 'toOrganizationId' | 'memberId', AnyColumn>;

export function awaitingCallerSql(p: Principal, t: TransferColumns): SQL {
  const parts: SQL[] = [];
  for (const step of awaitingSteps(p.role)) {
    const here = sql`(${t.kind} = ${step.kind} and ${t.state} = ${step.state})`;
    if (step.side === 'any') parts.push(here);
    else if (p.organizationId != null) {
      parts.push(sql`(${here} and ${step.side === 'from' ? t.fromOrganizationId : t.toOrganizationId} = ${p.organizationId})`);
    }
  }
  if (parts.length === 0) return sql`false`;
  // Nobody acts as an officer on their own transfer.
  const notOwn = p.memberId != null ? sql` and ${t.memberId} is distinct from ${p.memberId}` : sql``;
  return sql`((${sql.join(parts, sql` or `)})${notOwn})`;
}
