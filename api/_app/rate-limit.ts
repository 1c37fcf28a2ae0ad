/**
 * Fixed-window rate limits kept in the database, since serverless instances
 * share no memory. One statement per check; a write's check also confirms
 * that its session is still current (no extra round trip).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { sessionIsCurrent, staleSession, type Principal } from './auth.js';
import { ApiError } from './errors.js';

export async function enforceRateLimit(
  db: Db,
  bucket: string,
  limit: number,
  windowSeconds: number,
  now: Date,
  /** Refuse (401) unless this session's role, branch and status are still the account's. */
  session?: Principal,
): Promise<void> {
  const windowStart = new Date(Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000);
  const rows = await db.execute(sql`
    insert into rate_limits (bucket, window_start, count)
    select ${bucket}, ${windowStart.toISOString()}::timestamptz, 1 where ${session ? sessionIsCurrent(session) : sql`true`}
    on conflict (bucket) do update set
      count = case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end,
      window_start = excluded.window_start
    returning count`);
  const [row] = rowsOf<{ count: number }>(rows);
  if (!row) throw staleSession();
  const count = Number(row.count);
  if (count > limit) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowSeconds * 1000 - now.getTime()) / 1000));
    throw new ApiError('rate_limited', '操作过于频繁，请稍后再试', undefined, { 'Retry-After': String(retryAfter) });
  }
}

/** `db.execute` answers `{ rows }` on node-postgres/Neon/PGlite alike. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
