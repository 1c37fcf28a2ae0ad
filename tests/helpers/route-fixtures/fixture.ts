/** What a fixture is, and the small pieces every domain's fixtures build requests with. */
import { randomUUID } from 'node:crypto';
import type { Actor, Outcome } from './actors.js';
import type { World } from './world.js';

export interface Request {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: Uint8Array;
  /** The raw body's Content-Type (default: the xlsx type of the roster import). */
  contentType?: string;
}
export interface Prepared {
  request: Request;
  /** The owning member's token, when the target belongs to a member made for this call. */
  ownerToken?: string;
}
export interface Fixture {
  prepare(w: World, actor: Actor): Promise<Prepared>;
  /** Domain answers that still mean "authorization let the caller through" (e.g. 409 already registered). */
  alsoOk?: number[];
  /** Where the domain's own rules narrow who may act beyond access + ownership. */
  override?: Partial<Record<Actor, Outcome>>;
}

/** The Content-Type a raw body goes out with: its own, or the xlsx type of the roster import. */
export const rawContentType = (request: Request): string => request.contentType ?? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A fixture's request as `call` options: JSON body or raw upload (with its Content-Type), query. */
export function requestOptions(request: Request): { body?: unknown; rawBody?: Uint8Array; query?: Record<string, string>; headers: Record<string, string> } {
  return { body: request.body, rawBody: request.rawBody, query: request.query, headers: request.rawBody ? { 'content-type': rawContentType(request) } : {} };
}

export const get = (path: string, query?: Record<string, string>): Prepared => ({ request: { method: 'GET', path, query } });
export const send = (method: string, path: string, body?: unknown): Prepared => ({ request: { method, path, body } });

export async function must<T>(w: World, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await w.ctx.call<T>(method, path, { token, body, headers: { 'idempotency-key': `fixture-${randomUUID()}` } });
  if (res.status >= 300) throw new Error(`fixture ${method} ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let registrationSeq = 0;
/** One counter for the birth dates of people filed through the API (registrations, 转入), so none repeats. */
export const nextRegistrationSeq = () => registrationSeq++;
