/**
 * Transfers waiting for the caller, as SQL over a transfers table or alias: the inbox (transfers domain) and the
 * dashboard both count with this, from the machine's `awaitingSteps` (shared/transfers), so 待我办理 and 转接待办 agree.
 */
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { awaitingSteps, type AwaitingSide } from '../../shared/transfers.js';
import type { Principal } from './auth.js';

/** The transfers table or an alias of it (`alias(transfers, 't')`). */
type TransferColumns = Record<'kind' | 'state' | 'fromOrganizationId' | 'toOrganizationId' | 'fromTownshipId' | 'toTownshipId' | 'memberId', AnyColumn>;

/** The caller's side of a transfer for one awaiting step (their branch, or their township). */
function onSide(side: AwaitingSide, t: TransferColumns, organizationId: number): SQL {
  switch (side) {
    case 'from':
      return sql`${t.fromOrganizationId} = ${organizationId}`;
    case 'to':
      return sql`${t.toOrganizationId} = ${organizationId}`;
    // The committee the transfer belongs to: the township it leaves, else (转入) the one it joins. A row
    // without either (written before townships were recorded on transfers) is the caller's, whose scope holds it.
    case 'home':
      return sql`coalesce(${t.fromTownshipId}, ${t.toTownshipId}, ${organizationId}::int) = ${organizationId}::int`;
    case 'to_township':
      return sql`${t.toTownshipId} = ${organizationId}`;
  }
}

export function awaitingCallerSql(p: Principal, t: TransferColumns): SQL {
  const parts: SQL[] = [];
  if (p.organizationId != null) {
    for (const step of awaitingSteps(p.role)) {
      parts.push(sql`(${t.kind} = ${step.kind} and ${t.state} = ${step.state} and ${onSide(step.side, t, p.organizationId)})`);
    }
  }
  if (parts.length === 0) return sql`false`;
  // Nobody acts as an officer on their own transfer.
  const notOwn = p.memberId != null ? sql` and ${t.memberId} is distinct from ${p.memberId}` : sql``;
  return sql`((${sql.join(parts, sql` or `)})${notOwn})`;
}
