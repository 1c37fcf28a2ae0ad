/** What every handler receives, and the dependencies an app instance is built from. */
import type { z } from 'zod';
import type { IsoDate } from '../../shared/calendar.js';
import type { Endpoint } from '../../shared/http.js';
import type { Database, Db } from '../../db/client.js';
import type { AppConfig } from './config.js';
import type { Clock } from './clock.js';
import type { Principal } from './auth.js';
import type { WechatClient } from './wechat.js';
import type { AppRequest } from './request.js';
import type { Logger } from './log.js';

export interface AppDeps {
  database: Database;
  config: AppConfig;
  clock: Clock;
  wechat: WechatClient;
  logger: Logger;
}

type Out<S> = [NonNullable<S>] extends [z.ZodType] ? z.output<NonNullable<S>> : undefined;
type ResponseIn<E extends Endpoint> = [NonNullable<E['response']>] extends [z.ZodType] ? z.input<NonNullable<E['response']>> : never;

export interface Ctx<E extends Endpoint = Endpoint> {
  deps: AppDeps;
  db: Db;
  request: AppRequest;
  now: Date;
  /** Today's Asia/Shanghai calendar date, from the injected clock. */
  today: IsoDate;
  /** Null on public and cron routes. */
  principal: Principal | null;
  /** The signed-in account; throws 401 where there is none. */
  readonly user: Principal;
  params: Out<E['params']>;
  query: Out<E['query']>;
  body: E['rawBody'] extends true ? Uint8Array : Out<E['body']>;
  idempotencyKey: string | null;
  /** Client address (IPv6 by its /64), for login rate limits: from the socket, trusted proxies or the platform. */
  clientIp: string;
}

/** A file download (xlsx exports, templates) instead of a JSON body. */
export class FileResponse {
  constructor(
    readonly filename: string,
    readonly contentType: string,
    readonly data: Uint8Array,
  ) {}
}

/** A JSON answer with a status other than 200 (e.g. 201 Created). */
export class JsonResponse<T> {
  constructor(
    readonly status: number,
    readonly body: T,
  ) {}
}

export type HandlerResult<E extends Endpoint> = ResponseIn<E> | JsonResponse<ResponseIn<E>> | FileResponse;

export type Handler<E extends Endpoint> = (ctx: Ctx<E>) => Promise<HandlerResult<E>>;

export interface RouteOptions {
  /**
   * A write without the per-account limit (`rateLimit: false`) whose own single
   * statement refuses a stale session (`sessionIsCurrent`) and answers 401, so
   * the app need not spend a round trip on it.
   */
  sessionCheckedInStatement?: true;
}

export interface RouteDef<E extends Endpoint = Endpoint> extends RouteOptions {
  endpoint: E;
  handler: Handler<E>;
}

export function route<E extends Endpoint>(endpoint: E, handler: Handler<E>, options: RouteOptions = {}): RouteDef<E> {
  return { endpoint, handler, ...options };
}
