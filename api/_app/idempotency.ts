/**
 * Idempotent writes. The key is claimed by an insert in the same transaction as
 * the write: a concurrent duplicate waits on the unique index, then finds the
 * stored answer and replays it. Same key for another request (other record,
 * query or body) → 422.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema/index.js';
import type { Ctx } from './context.js';
import { JsonResponse } from './context.js';
import { ApiError } from './errors.js';

const KEY_SHAPE = /^[\w.:-]{8,128}$/;

export function requireIdempotencyKey(ctx: Ctx): string {
  const key = ctx.idempotencyKey;
  if (!key) throw new ApiError('bad_request', '缺少 Idempotency-Key 请求头（防止重复提交）');
  if (!KEY_SHAPE.test(key)) throw new ApiError('bad_request', 'Idempotency-Key 格式无效（8–128 位字母、数字或 -_.:）');
  return key;
}

/** What names the request a key was made for: which record (path), which view (query) and what (body). */
export interface RequestParts {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

/**
 * The route name, the path parameters, the query and the body: the same key and
 * body sent to another transfer, session or event is another request (422),
 * not a replay of the first record's answer.
 */
export function requestFingerprint(route: string, request: RequestParts): string {
  const hash = createHash('sha256').update(route).update('\n');
  hash.update(stableJson(request.params ?? null)).update('\n').update(stableJson(request.query ?? null)).update('\n');
  if (request.body instanceof Uint8Array) hash.update('bytes:').update(request.body);
  else hash.update(stableJson(request.body));
  return hash.digest('hex');
}

export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/**
 * Runs `write` at most once per (account, Idempotency-Key). `write` must do its
 * work with the transaction it is given.
 */
export async function withIdempotency<T>(
  ctx: Ctx,
  route: string,
  write: (tx: Db) => Promise<JsonResponse<T> | T>,
): Promise<JsonResponse<T>> {
  const key = requireIdempotencyKey(ctx);
  const accountId = ctx.user.accountId;
  const fingerprint = requestFingerprint(route, ctx);
  return ctx.db.transaction(async (tx) => {
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ accountId, key, route, requestHash: fingerprint, status: 0, response: {} })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const [previous] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key)));
      if (!previous || previous.requestHash !== fingerprint || previous.route !== route) {
        throw new ApiError('idempotency_mismatch', '同一个 Idempotency-Key 已用于不同的请求内容');
      }
      return new JsonResponse(previous.status, previous.response as T);
    }
    const result = await write(tx as unknown as Db);
    const answer = result instanceof JsonResponse ? result : new JsonResponse(200, result);
    await tx
      .update(idempotencyKeys)
      .set({ status: answer.status, response: answer.body as object })
      .where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key)));
    return answer;
  });
}
