/** The audit log: sensitive reads and every decision, append-only. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import type { Principal } from './auth.js';
import { rowsOf } from '../../db/client.js';
import { auditedReadWindow, countHit, rateLimited } from './rate-limit.js';

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

/**
 * The audit row of a sensitive read, and the account's count of such reads in
 * this minute, in one statement: over `limit` no row is written and the read
 * is refused (429), so the reader gets nothing the log does not record.
 */
export async function writeAuditedRead(db: Db, actor: Principal, entry: AuditEntry, at: Date, limit: number): Promise<void> {
  const w = auditedReadWindow(actor.accountId, limit, at);
  const row = auditRow(actor, entry, at);
  const result = await db.execute(sql`
    with counted as (${countHit(w)})
    insert into audit_log (actor_account_id, actor_role, action, target_type, target_id, at, details)
    select ${row.actorAccountId}::int, ${row.actorRole}, ${row.action}, ${row.targetType}, ${row.targetId}, ${at.toISOString()}::timestamptz,
           ${JSON.stringify(row.details)}::jsonb
    from counted where counted.count <= ${limit}::int
    returning id`);
  if (rowsOf(result).length === 0) throw rateLimited(w);
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
