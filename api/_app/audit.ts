/** The audit log: sensitive reads and every decision, append-only. */
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import type { Principal } from './auth.js';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | number | null;
  details?: Record<string, unknown>;
}

/** Pass the transaction when the audited change is in one, so both land or neither. */
export async function writeAudit(db: Db, actor: Principal | null, entry: AuditEntry, at: Date): Promise<void> {
  await db.insert(auditLog).values(auditRow(actor, entry, at));
}

export function auditRow(actor: Principal | null, entry: AuditEntry, at: Date) {
  return {
    actorAccountId: actor?.accountId ?? null,
    actorRole: actor?.role ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId == null ? null : String(entry.targetId),
    at,
    details: entry.details ?? {},
  };
}
