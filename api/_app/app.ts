/**
 * The API as one Web-standard `fetch(Request) → Response` function: Vercel's
 * Node runtime calls it directly and tests call it without any server. The
 * local server (`npm run dev`, `npm start`) calls the same app's `handle` with
 * a request built straight from Node's http (request.ts), one adapter fewer.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { shanghaiDate } from '../../shared/calendar.js';
import { rowsOf } from '../../db/client.js';
import { allowed, type Endpoint } from '../../shared/http.js';
import { bearerToken, sessionIsCurrent, staleSession, verifySession, type Principal } from './auth.js';
import { hasLoneSurrogate } from './body.js';
import { addressBucket, clientAddress } from './client-address.js';
import { corsHeaders, errorAnswer, preflightAnswer, resultAnswer } from './answer.js';
import type { AppDeps, Ctx, RouteDef } from './context.js';
import { ApiError, pgError } from './errors.js';
import { checkIdempotencyKey } from './idempotency.js';
import { assertCanonicalNumbers } from './json-numbers.js';
import { enforceRateLimit } from './rate-limit.js';
import { fromWebRequest, toWebResponse, type AppAnswer, type AppRequest } from './request.js';

interface CompiledRoute {
  def: RouteDef;
  pattern: RegExp;
  paramNames: string[];
}

/** What the server knows about the connection (the Node server passes the socket's address). */
export interface ConnectionInfo {
  remoteAddress?: string;
}

export interface App {
  /** Vercel and the tests: a Web Request in, a Web Response out. */
  fetch(request: Request, connection?: ConnectionInfo): Promise<Response>;
  /** The Node server: the same app on its own light request and answer (request.ts). */
  handle(request: AppRequest, connection?: ConnectionInfo): Promise<AppAnswer>;
  routes: readonly RouteDef[];
  deps: AppDeps;
}

const WRITE_WINDOW_SECONDS = 60;
/** A request given by its path resolves against this; only the path and query are read. */
const RELATIVE_BASE = 'http://app.invalid';
/** Decoding is stateless for whole buffers, so one decoder serves every request. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

export function compilePath(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        paramNames.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), paramNames };
}

export function createApp(deps: AppDeps, allRoutes: readonly RouteDef[]): App {
  // Development routes (demo login, dev clock) do not exist in production.
  const routeDefs = deps.config.production ? allRoutes.filter((r) => !r.endpoint.devOnly) : allRoutes;
  const compiled: CompiledRoute[] = routeDefs.map((def) => ({ def, ...compilePath(def.endpoint.path) }));
  // Literal segments must win over parameters (/api/members/export before /api/members/:id).
  compiled.sort((a, b) => a.paramNames.length - b.paramNames.length);
  // A path without parameters is found by its text; only the routes with parameters are tried one by one.
  const literal = new Map<string, CompiledRoute[]>();
  for (const r of compiled) if (!r.paramNames.length) literal.set(r.def.endpoint.path, [...(literal.get(r.def.endpoint.path) ?? []), r]);
  const withParams = compiled.filter((r) => r.paramNames.length > 0);
  const routesFor = (pathname: string) => [...(literal.get(pathname) ?? []), ...withParams.filter((r) => r.pattern.test(pathname))];

  async function handle(request: AppRequest, connection: ConnectionInfo = {}): Promise<AppAnswer> {
    const cors = corsHeaders(request.headers, deps.config.corsOrigins);
    try {
      if (request.method === 'OPTIONS') return preflightAnswer(cors);
      const url = new URL(request.url, RELATIVE_BASE);
      const pathname = url.pathname.replace(/\/+$/, '') || '/';
      const matches = routesFor(pathname);
      if (matches.length === 0) throw new ApiError('not_found', '接口不存在');
      const match = matches.find((r) => r.def.endpoint.method === request.method);
      if (!match) {
        const allow = [...new Set(matches.map((r) => r.def.endpoint.method))].join(', ');
        throw new ApiError('method_not_allowed', `不支持 ${request.method} 方法`, undefined, { Allow: allow });
      }
      const result = await dispatch(match, request, url, pathname, connection);
      return resultAnswer(result, cors);
    } catch (err) {
      return errorAnswer(err, cors, deps.logger);
    }
  }

  async function dispatch(match: CompiledRoute, request: AppRequest, url: URL, pathname: string, connection: ConnectionInfo) {
    const { endpoint, handler } = match.def;
    const now = deps.clock.now();
    const principal = await authenticate(endpoint, request, now);
    const groups = match.paramNames.length ? match.pattern.exec(pathname) : null;
    const rawParams = Object.fromEntries(match.paramNames.map((name, i) => [name, decodePathSegment(groups?.[i + 1] ?? '')]));
    const params = endpoint.params ? parseInput(endpoint.params, rawParams, 'path') : undefined;
    const query = endpoint.query ? parseInput(endpoint.query, queryObject(url.searchParams), 'query') : undefined;
    const body = await readBody(endpoint, request);
    if (principal && endpoint.method !== 'GET') await guardWrite(match.def, principal, now);
    const ctx: Ctx = {
      deps,
      db: deps.database.db,
      request,
      now,
      today: shanghaiDate(now),
      principal,
      get user(): Principal {
        if (!principal) throw new ApiError('unauthorized', '请先登录');
        return principal;
      },
      params,
      query,
      body,
      idempotencyKey: request.headers.get('idempotency-key'),
      clientIp: addressBucket(clientAddress(request.headers, connection.remoteAddress, deps.config.clientAddress)),
    };
    checkIdempotencyKey(endpoint.idempotencyKey, ctx);
    return runWithRetry(() => handler(ctx as never));
  }

  async function authenticate(endpoint: Endpoint, request: AppRequest, now: Date): Promise<Principal | null> {
    if (endpoint.access === 'cron') {
      const secret = deps.config.cronSecret;
      const token = bearerToken(request.headers.get('authorization'));
      if (!secret || token !== secret) throw new ApiError('unauthorized', '定时任务凭证无效');
      return null;
    }
    const token = bearerToken(request.headers.get('authorization'));
    if (endpoint.access === 'public') {
      return token ? verifySession(token, deps.config.sessionSecret, now).catch(() => null) : null;
    }
    if (!token) throw new ApiError('unauthorized', '请先登录');
    const principal = await verifySession(token, deps.config.sessionSecret, now);
    if (!allowed(endpoint.access, principal.role, endpoint.method)) {
      throw new ApiError('forbidden', principal.role === 'county' ? COUNTY_READ_ONLY : FORBIDDEN_MESSAGES[endpoint.access]);
    }
    return principal;
  }

  /**
   * Writes are rate-limited per account, and refused at once (401) when the
   * account's role, branch or status changed since the token was issued; both
   * in one statement. A hot write that skips the limit checks its session in
   * its own statement (`sessionCheckedInStatement`), or pays one more here.
   */
  async function guardWrite(def: RouteDef, principal: Principal, now: Date): Promise<void> {
    const { endpoint } = def;
    // A public route (login) works with or without a token, and with a stale one.
    const session = endpoint.access === 'public' ? undefined : principal;
    if (endpoint.rateLimit !== false) {
      await enforceRateLimit(deps.database.db, `write:${principal.accountId}`, deps.config.writeRateLimit, WRITE_WINDOW_SECONDS, now, session);
    } else if (session && !def.sessionCheckedInStatement) {
      const [row] = rowsOf<{ current: boolean }>(await deps.database.db.execute(sql`select ${sessionIsCurrent(session)} as current`));
      if (!row?.current) throw staleSession();
    }
  }

  async function readBody(endpoint: Endpoint, request: AppRequest): Promise<unknown> {
    if (!endpoint.body && !endpoint.rawBody) return undefined;
    const bytes = await request.body(deps.config.bodyLimitBytes);
    if (endpoint.rawBody) return bytes;
    const contentType = request.headers.get('content-type') ?? '';
    if (bytes.length > 0 && contentType && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
      throw new ApiError('unsupported_media_type', '请求体必须是 JSON（Content-Type: application/json）');
    }
    let json: unknown = {};
    if (bytes.length > 0) {
      let text: string;
      try {
        text = STRICT_UTF8.decode(bytes);
        json = JSON.parse(text);
      } catch {
        throw new ApiError('malformed_json', '请求体不是有效的 JSON');
      }
      assertCanonicalNumbers(text);
      if (hasLoneSurrogate(json)) {
        throw new ApiError('validation_failed', '请求内容含有无效字符', { in: 'body', issues: [{ path: [], message: '含有无效的 Unicode 字符' }] });
      }
    }
    return parseInput(endpoint.body as z.ZodType, json, 'body');
  }

  const fetch = async (request: Request, connection?: ConnectionInfo) => toWebResponse(await handle(fromWebRequest(request), connection));
  return { fetch, handle, routes: routeDefs, deps };
}

/**
 * A serialization failure or deadlock means PostgreSQL rolled the transaction
 * back and asks for it to be run again; handlers do their writes in one
 * transaction, so re-running the handler is safe.
 */
async function runWithRetry<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const { code } = pgError(err);
      if (attempt >= attempts || (code !== '40001' && code !== '40P01')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}

const FORBIDDEN_MESSAGES: Record<Endpoint['access'], string> = {
  public: '',
  cron: '',
  authenticated: '请先登录',
  member: '此功能仅对已登记的党员开放，请先完成登记并等待审核',
  officer: '此功能仅对支部书记和党委工作人员开放',
  staff: '此功能仅对党委工作人员开放',
  committee: '此功能仅对镇党委和县委组织部工作人员开放',
  county: '此功能仅对县委组织部开放',
};
/** County staff oversee: they read every township, the townships act on their own records. */
const COUNTY_READ_ONLY = '县委组织部可以查看各乡镇的数据，办理由乡镇党委和支部进行';

function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'path' | 'query' | 'body'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
  const first = issues[0];
  const message =
    // The message is shown to people: never a field's code name, never zod's English default.
    where === 'path' ? '请求的记录编号无效' : first && /[\u4e00-\u9fff]/.test(first.message) ? first.message : '填写的内容有误，请检查后重试';
  throw new ApiError('validation_failed', message, { in: where, issues });
}

/** A malformed percent-escape (`/api/transfers/%`) is a bad id, not a server error. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError('validation_failed', '请求的记录编号无效', { in: 'path', issues: [{ path: [], message: '路径编码无效' }] });
  }
}

/** Repeated query keys become arrays, as Vercel's `req.query` does. */
function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length > 1 ? all : (all[0] ?? '');
  }
  return out;
}
