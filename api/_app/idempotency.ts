/**
 * Idempotent writes. Whether a route takes an Idempotency-Key is declared on its
 * contract (`idempotencyKey`) and enforced by the dispatcher (`checkIdempotencyKey`);
 * `withIdempotency` is the one helper handlers run their write through. The key is
 * claimed by an insert in the same transaction as the write: a concurrent
 * duplicate waits on the unique index, then finds the stored answer and replays
 * it. Same key for another request (other record, query or body) → 422.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { IdempotencyKeyRule } from '../../shared/http.js';
import { idempotencyKeys } from '../../db/schema/index.js';
import type { Ctx } from './context.js';
import { JsonResponse } from './context.js';
import { ApiError } from './errors.js';

const KEY_SHAPE = /^[\w.:-]{8,128}$/;

export function requireIdempotencyKey(ctx: Pick<Ctx, 'idempotencyKey'>): string {
  const key = ctx.idempotencyKey;
  if (!key) throw new ApiError('bad_request', '缺少 Idempotency-Key 请求头（防止重复提交）');
  if (!KEY_SHAPE.test(key)) throw new ApiError('bad_request', 'Idempotency-Key 格式无效（8–128 位字母、数字或 -_.:）');
  return key;
}

/**
 * The dispatcher's check of a route's declaration: `required` answers 400
 * without a well-formed key, `optional` checks a sent key's shape, `none`
 * ignores the header.
 */
export function checkIdempotencyKey(rule: IdempotencyKeyRule | undefined, ctx: Pick<Ctx, 'idempotencyKey'>): void {
  if (rule === 'required' || (rule === 'optional' && ctx.idempotencyKey)) requireIdempotencyKey(ctx);
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
 * Runs `write` in one transaction, at most once per (account, Idempotency-Key):
 * a retry gets the first answer back instead of doing it twice (or a confusing
 * 409). Without a key (a route that declares it `optional`) the write simply
 * runs. `write` must do its work with the transaction it is given.
 */
export async function withIdempotency<T>(
  ctx: Ctx,
  route: string,
  write: (tx: Db) => Promise<JsonResponse<T> | T>,
): Promise<JsonResponse<T> | T> {
  if (!ctx.idempotencyKey) return ctx.db.transaction(async (tx) => write(tx as unknown as Db));
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
