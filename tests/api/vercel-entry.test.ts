/**
 * The Vercel entry as Vercel routes to it. vercel.json is compiled with
 * `@vercel/routing-utils` (the code the CLI and the platform use), and the
 * api/index.ts default export is driven with the URLs Vercel delivers over
 * every route of the route table.
 *
 * What Vercel delivers to a rewritten function (checked against the CLI and a
 * deployment): the *original* path and query, plus whatever query the compiled
 * destination carries (`/api/index?__path=$1&path=$1` once broke 13 routes
 * whose query schemas are strict). `deliveredUrl` reproduces that from the
 * compiled routes, so a rewrite that adds query keys again fails here.
 *
 * Runs on PostgreSQL through the Neon driver, the production path (the
 * function has no embedded database): the entry builds its app from the
 * environment, as on Vercel, against this file's copy of the demo township.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { getTransformedRoutes } from '@vercel/routing-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../api/_routes.js';
import { cacheControlFor, STATIC_HEADERS } from '../../server/static-headers.js';
import { TEST_NOW } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/harness.js';
import { buildWorld, expectedOutcome, FIXTURES, rawContentType, type Actor, type World } from '../helpers/route-fixtures/index.js';
import { startWechatStub, type WechatStub } from '../helpers/wechat-stub.js';

interface VercelRoute {
  src?: string;
  dest?: string;
  continue?: boolean;
  handle?: string;
  headers?: Record<string, string>;
}

const vercelJson = JSON.parse(readFileSync(new URL('../../vercel.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function compiledRoutes(config: Record<string, unknown>): VercelRoute[] {
  const { routes: compiled, error } = getTransformedRoutes(config as Parameters<typeof getTransformedRoutes>[0]);
  if (error) throw new Error(`vercel.json does not compile: ${error.message}`);
  return (compiled ?? []) as VercelRoute[];
}

/** The route that sends a request to the function, with its captures. */
function functionRoute(compiled: VercelRoute[], pathname: string): { route: VercelRoute; match: RegExpExecArray } | null {
  for (const route of compiled) {
    if (route.continue || route.handle || !route.src || !route.dest) continue;
    const match = new RegExp(route.src).exec(pathname);
    if (match) return { route, match };
  }
  return null;
}

/** The URL the function receives: the original path and query, plus the destination's query. */
function deliveredUrl(compiled: VercelRoute[], original: URL): URL {
  const hit = functionRoute(compiled, original.pathname);
  if (!hit) throw new Error(`no rewrite reaches the function for ${original.pathname}`);
  const dest = hit.route.dest!.replace(/\$(\d+)/g, (_, n: string) => encodeURIComponent(hit.match[Number(n)] ?? ''));
  const delivered = new URL(original);
  for (const [key, value] of new URL(dest, original).searchParams) delivered.searchParams.append(key, value);
  return delivered;
}

const samplePath = (path: string) => path.replace(/:[a-zA-Z]+/g, '5');

/** Domain answers of the demo township that still mean the request reached its route. */
const DOMAIN_ANSWERS: Record<string, number[]> = {
  // No subscribe-message template is configured: the reminders are queued and the cron says so.
  'POST /api/cron/birthday-reminders': [503],
  'GET /api/cron/birthday-reminders': [503],
};

describe('vercel.json routing', () => {
  const compiled = compiledRoutes(vercelJson);

  it('serves the H5 files with the headers the local server sets, the CSP and the caching included (SECURITY.md)', () => {
    const headersOf = (pathname: string) =>
      Object.assign({}, ...compiled.filter((r) => r.headers && r.src && new RegExp(r.src).test(pathname)).map((r) => r.headers)) as Record<string, string>;
    const pages = ['/', '/index.html', '/js/app.1a2b3c4d.js', '/css/937.83e43fa5.css', '/static/images/logo.0a1b2c3d.png', '/favicon.ico', '/js/app.1a2b3c4d.js.map'];
    for (const page of pages) {
      const got = Object.fromEntries(Object.entries(headersOf(page)).map(([k, v]) => [k.toLowerCase(), v]));
      const want: Record<string, string> = Object.fromEntries(Object.entries(STATIC_HEADERS).map(([k, v]) => [k.toLowerCase(), v]));
      // The local server answers `/` with index.html (server/static-files.ts).
      want['cache-control'] = cacheControlFor(page === '/' ? 'index.html' : page);
      expect(got, page).toEqual(want);
    }
    expect(headersOf('/js/app.1a2b3c4d.js')['Cache-Control']).toContain('immutable');
    expect(headersOf('/')['Cache-Control']).toBe('no-cache');
    // The API's own caching is the app's business (no-store on personal data): vercel.json adds none.
    expect(headersOf('/api/me')['Cache-Control']).toBeUndefined();
  });

  it('rewrites every route of the table to the function without adding query parameters', () => {
    const missed: string[] = [];
    for (const { endpoint } of routes) {
      const hit = functionRoute(compiled, samplePath(endpoint.path));
      if (!hit) missed.push(endpoint.path);
      else expect(hit.route.dest, endpoint.path).toBe('/api/index');
    }
    expect(missed).toEqual([]);
  });

  it('would catch a rewrite that appends the captured path to the query', () => {
    const broken = compiledRoutes({ ...vercelJson, rewrites: [{ source: '/api/:path*', destination: '/api/index?__path=:path*' }] });
    const url = deliveredUrl(broken, new URL('https://x.test/api/members/5?status=active'));
    expect([...url.searchParams.keys()]).toEqual(['status', '__path', 'path']);
  });
});

describe('the api/index.ts default export over every route, as Vercel delivers the request [PostgreSQL via Neon driver]', () => {
  let ctx: TestContext;
  let stub: WechatStub;
  let entry: { fetch(request: Request): Promise<Response> };
  let world: World;
  const saved = { ...process.env };
  const limits = { WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' };

  beforeAll(async () => {
    ctx = await createTestContext('neon', { env: limits });
    stub = await startWechatStub();
    Object.assign(process.env, {
      ...limits,
      APP_ENV: 'test',
      APP_NOW: TEST_NOW,
      DATABASE_URL: ctx.opened.url,
      DB_DRIVER: 'neon',
      NEON_WS_PROXY: ctx.opened.proxy!.address,
      WECHAT_APPID: 'wx-test-appid',
      WECHAT_SECRET: 'wx-test-secret',
      WECHAT_API_BASE: stub.apiBase,
    });
    entry = (await import('../../api/index.js')).default;
    world = await buildWorld(ctx);
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    const { getSharedApp } = await import('../../api/_compose.js');
    await (await getSharedApp()).deps.database.close();
    await stub?.close();
    await ctx?.close();
  });

  /** The first caller the route lets through, so a valid request can really succeed. */
  function allowedActor(key: string): Actor | 'cron' | null {
    const { endpoint } = routes.find((r) => `${r.endpoint.method} ${r.endpoint.path}` === key)!;
    if (endpoint.access === 'public') return null;
    if (endpoint.access === 'cron') return 'cron';
    const fixture = FIXTURES[key]!;
    const actor = (['owner', 'ownSecretary', 'staff', 'county'] as const).find(
      (a) => (fixture.override?.[a] ?? expectedOutcome(endpoint.access, endpoint.ownership, a)) === 'ok',
    );
    if (!actor) throw new Error(`no caller may use ${key}`);
    return actor;
  }

  it('answers every valid request, with the URL untouched and as the compiled rewrite delivers it', async () => {
    const compiled = compiledRoutes(vercelJson);
    const shapes: Record<string, (u: URL) => URL> = { original: (u) => u, 'as delivered by the rewrite': (u) => deliveredUrl(compiled, u) };
    const failures: string[] = [];
    let calls = 0;
    const templateRes = await ctx.call('GET', '/api/members/import-template', { token: world.tokens.staff });
    const template = templateRes.bytes;
    for (const { endpoint } of routes) {
      const key = `${endpoint.method} ${endpoint.path}`;
      const fixture = FIXTURES[key];
      expect(fixture, `a fixture for ${key}`).toBeDefined();
      for (const [shape, deliver] of Object.entries(shapes)) {
        const actor = allowedActor(key);
        const prepared = await fixture!.prepare(world, actor === 'cron' || actor === null ? 'staff' : actor);
        const token =
          actor === 'cron'
            ? ctx.config.cronSecret!
            : actor === null
              ? null
              : actor === 'owner'
                ? (prepared.ownerToken ?? (await world.freshMember()).token)
                : world.tokens[actor as Exclude<Actor, 'anonymous' | 'owner'>];
        const { request } = prepared;
        const original = new URL(request.path, 'https://dangjian.example.cn');
        for (const [k, v] of Object.entries(request.query ?? {})) original.searchParams.set(k, v);
        // The WeChat stub signs in codes it knows.
        const body = key === 'POST /api/auth/wechat' ? { code: `good-${randomUUID()}` } : request.body;
        // A real workbook (the blank template) rather than the matrix's empty upload.
        const rawBody = key === 'POST /api/members/import' ? template : request.rawBody;
        const headers = new Headers({ 'idempotency-key': `vercel-${randomUUID()}` });
        if (token) headers.set('authorization', `Bearer ${token}`);
        if (rawBody) headers.set('content-type', rawContentType(request));
        else if (body !== undefined) headers.set('content-type', 'application/json');
        const res = await entry.fetch(
          new Request(deliver(original), {
            method: request.method,
            headers,
            body: rawBody ? (rawBody as BodyInit) : body === undefined ? undefined : JSON.stringify(body),
          }),
        );
        calls++;
        const ok = res.status < 300 || [...(fixture!.alsoOk ?? []), ...(DOMAIN_ANSWERS[key] ?? [])].includes(res.status);
        if (!ok || res.status === 400) failures.push(`${key} (${shape}): ${res.status} ${(await res.text()).slice(0, 160)}`);
        else await res.arrayBuffer();
      }
    }
    console.log(`[vercel entry] ${routes.length} routes × ${Object.keys(shapes).length} URL shapes = ${calls} calls`);
    expect(failures).toEqual([]);
  }, 240_000);

  it('refuses a query key the route does not know (the strict schemas still hold behind the rewrite)', async () => {
    const token = await ctx.login('member');
    const res = await entry.fetch(
      new Request('https://dangjian.example.cn/api/study/me?__path=study%2Fme', { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(res.status).toBe(400);
  });
});
