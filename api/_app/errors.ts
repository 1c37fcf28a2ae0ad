/** The one error type handlers throw; the app turns it into `{ error: { code, message, details? } }`. */
import { ERROR_STATUS, type ErrorCode } from '../../shared/errors.js';

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = '记录') => new ApiError('not_found', `${what}不存在或无权查看`);
export const forbidden = (message = '没有权限执行此操作') => new ApiError('forbidden', message);
export const conflict = (message: string, details?: unknown) => new ApiError('conflict', message, details);

/** Postgres error fields as drizzle 0.45 wraps them (`DrizzleQueryError.cause`). */
export function pgError(err: unknown): { code?: string; constraint?: string } {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const rec = e as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof rec.code === 'string' && /^[0-9A-Z]{5}$/.test(rec.code)) {
      return { code: rec.code, constraint: typeof rec.constraint === 'string' ? rec.constraint : undefined };
    }
    e = rec.cause;
  }
  return {};
}

export const isUniqueViolation = (err: unknown, constraint?: string) => {
  const e = pgError(err);
  return e.code === '23505' && (!constraint || e.constraint === constraint);
};

/** Connection-level failures: the database is away, the request may be retried later. */
export function isConnectionFailure(err: unknown): boolean {
  const { code } = pgError(err);
  if (code && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03')) return true;
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const rec = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof rec.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(rec.code)) return true;
    // pg's client (and Neon's copy of it) answers "Client has encountered a connection error and is not
    // queryable" / "Client was closed and is not queryable" to a query on a connection that already dropped:
    // typically the ROLLBACK after the cut, which is the error a transaction surfaces.
    if (
      typeof rec.message === 'string' &&
      /Connection terminated|connection (?:is )?closed|WebSocket|socket hang up|^Client (?:has encountered a connection error|was closed) and is not queryable$/i.test(rec.message)
    )
      return true;
    e = rec.cause;
  }
  return false;
}
