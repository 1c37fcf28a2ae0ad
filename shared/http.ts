/**
 * Endpoint contracts: method, path, request schemas and response schema in one
 * object, imported by the server (to parse requests) and by the mini-program's
 * API client (to type requests and validate responses).
 */
import { z } from 'zod';
import type { Role } from './common.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route (`allowed` below). Ownership (self, own branch) is resolved by the handler's scope. */
export type Access =
  | 'public' // no token needed
  | 'authenticated' // any signed-in account, registered or not
  | 'member' // member, secretary or staff (a registered Party member or an officer)
  | 'officer' // branch secretary (own branch) or committee staff (township)
  | 'staff' // committee staff only
  | 'committee' // township staff or county staff, each acting on what their level handles (the record decides)
  | 'county' // the county organization department only (townships, county rollups)
  | 'cron'; // the scheduler's shared secret

/**
 * How a route resolves whose record it touches, once `access` let the caller in.
 * Declared on every contract; the authorization matrix test is generated from it.
 */
export type Ownership =
  | 'none' // nothing owned (public, system), or a collection each caller sees only their own scope of
  | 'self' // the caller's own records (/me, my registration, my check-in)
  | 'personal' // one member's record that only that member may act on (their open study session, their own application)
  | 'member' // one member's record: that member, their branch's secretary and staff
  | 'branch' // one branch's record: its members (where access lets members in), its secretary and staff
  | 'township'; // a committee-wide record: staff (access already says so)

/**
 * Whether a write takes an `Idempotency-Key` header. The dispatcher enforces it:
 * `required` answers 400 without one, `optional` checks its shape when sent,
 * `none` ignores it. Handlers replay with `withIdempotency` (api/_app/idempotency.ts).
 */
export type IdempotencyKeyRule = 'required' | 'optional' | 'none';

/**
 * Whether a role passes a route's `access` (the server's check; the mini-program hides what it would refuse).
 * County staff read what township staff read (GET), inside the whole county; they never write a township's
 * records (the township acts, the county oversees), so every other method on those routes refuses them.
 */
export function allowed(access: Access, role: Role, method: HttpMethod = 'GET'): boolean {
  switch (access) {
    case 'public':
    case 'authenticated':
      return true;
    case 'member':
      return role === 'member' || role === 'secretary' || role === 'staff' || (role === 'county' && method === 'GET');
    case 'officer':
      return role === 'secretary' || role === 'staff' || (role === 'county' && method === 'GET');
    case 'staff':
      return role === 'staff' || (role === 'county' && method === 'GET');
    case 'committee':
      return role === 'staff' || role === 'county';
    case 'county':
      return role === 'county';
    case 'cron':
      return false;
  }
}

export interface Endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Express-style path, `/api/members/:id`. */
  path: string;
  summary: string;
  access: Access;
  /** Whose record the route touches, once `access` let the caller in. */
  ownership: Ownership;
  /** Writes: whether an Idempotency-Key is required (default `none`). */
  idempotencyKey?: IdempotencyKeyRule;
  params?: P;
  query?: Q;
  body?: B;
  /** Schema of a 2xx JSON answer; `null` for a file download. */
  response: R | null;
  /** Safe to retry automatically (reads, and writes that take an Idempotency-Key). */
  idempotent?: boolean;
  /** Body is a raw file (xlsx upload, a photo) rather than JSON. */
  rawBody?: boolean;
  /** The media types a raw body may be (OpenAPI; the handler checks the bytes). Default: the xlsx type. */
  rawBodyTypes?: readonly string[];
  /**
   * Writes are rate-limited per account (one statement against a shared
   * counter). `false` only for a hot write whose own single statement already
   * bounds what a flood can do (a per-day cap and an idempotency key).
   */
  rateLimit?: boolean;
  /** Demo and test tooling: absent from a production server and its OpenAPI document. */
  devOnly?: true;
}

export function endpoint<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
>(def: Endpoint<P, Q, B, R>): Endpoint<P, Q, B, R> {
  return def;
}

export type ParamsOf<E> = E extends Endpoint<infer P, z.ZodType, z.ZodType, z.ZodType> ? z.input<P> : never;
export type QueryOf<E> = E extends Endpoint<z.ZodType, infer Q, z.ZodType, z.ZodType> ? z.input<Q> : never;
export type BodyOf<E> = E extends Endpoint<z.ZodType, z.ZodType, infer B, z.ZodType> ? z.input<B> : never;
export type ResponseOf<E> = E extends Endpoint<z.ZodType, z.ZodType, z.ZodType, infer R> ? z.output<R> : never;

/** Fills `:name` placeholders from params. */
export function buildPath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
