/**
 * Fixed-window rate limits kept in the database, since serverless instances
 * share no memory. One statement per check; a write's check also confirms
 * that its session is still current (no extra round trip).
 */
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.js';
import { sessionIsCurrent, staleSession, type Principal } from './auth.js';
import { ApiError } from './errors.js';

export interface RateWindow {
  bucket: string;
  limit: number;
  windowSeconds: number;
  now: Date;
}

const windowStartOf = (w: RateWindow) => new Date(Math.floor(w.now.getTime() / (w.windowSeconds * 1000)) * w.windowSeconds * 1000);

/**
 * The upsert that counts one hit in the bucket's current window and returns `count` (a statement, or a CTE of one).
 * With `session`, nothing is counted and no row comes back unless the session's role, branch and status are still the account's.
 */
export function countHit(w: RateWindow, session?: Principal): SQL {
  return sql`
    insert into rate_limits (bucket, window_start, count)
    select ${w.bucket}, ${windowStartOf(w).toISOString()}::timestamptz, 1 where ${session ? sessionIsCurrent(session) : sql`true`}
    on conflict (bucket) do update set
      count = case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end,
      window_start = excluded.window_start
    returning count`;
}

/** The 429 for a bucket over its limit, with the seconds left in the window. */
export function rateLimited(w: RateWindow): ApiError {
  const retryAfter = Math.max(1, Math.ceil((windowStartOf(w).getTime() + w.windowSeconds * 1000 - w.now.getTime()) / 1000));
  return new ApiError('rate_limited', '操作过于频繁，请稍后再试', undefined, { 'Retry-After': String(retryAfter) });
}

export async function enforceRateLimit(
  db: Db,
  bucket: string,
  limit: number,
  windowSeconds: number,
  now: Date,
  /** Refuse (401) unless this session's role, branch and status are still the account's. */
  session?: Principal,
): Promise<void> {
  const w = { bucket, limit, windowSeconds, now };
  const [row] = rowsOf<{ count: number }>(await db.execute(countHit(w, session)));
  if (!row) throw staleSession();
  if (Number(row.count) > limit) throw rateLimited(w);
}

/**
 * Reads that leave an audit row (exports, the ID reveal, the medal list) are
 * limited per account, so a loop cannot fill the append-only log: the count
 * and the audit row go in one statement (see `writeAuditedRead`).
 */
export function auditedReadWindow(accountId: number, limit: number, now: Date): RateWindow {
  return { bucket: `audited-read:${accountId}`, limit, windowSeconds: 60, now };
}

