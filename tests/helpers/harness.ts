/**
 * Test harness: the real app on a real database, on both drivers. Each test file
 * gets its own copy of the seeded demo township (PGlite from a dump; PostgreSQL
 * from a template database reached through the production Neon driver).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { createApp, type App } from '../../api/_app/app.js';
import { AdjustableClock } from '../../api/_app/clock.js';
import { loadConfig, type AppConfig } from '../../api/_app/config.js';
import { silentLogger, type Logger } from '../../api/_app/log.js';
import type { WechatClient } from '../../api/_app/wechat.js';
import { routes } from '../../api/_routes.js';
import { openDatabase, statementCounter, type Database, type DriverName } from '../../db/client.js';
import { databaseUrl, PG_ADMIN_URL, TEST_NOW } from './constants.js';
import { startNeonProxy, type NeonProxy } from './neon-proxy.js';

export type TestDriver = 'pglite' | 'neon';
export const TEST_DRIVERS: TestDriver[] = ['pglite', 'neon'];
export const DRIVER_LABELS: Record<TestDriver, string> = {
  pglite: 'PGlite (embedded)',
  neon: 'PostgreSQL via Neon driver',
};

export interface OpenedTestDatabase {
  database: Database;
  /** For the Neon driver: the proxy, so fault tests can cut connections. */
  proxy?: NeonProxy;
  /** For PostgreSQL: the database's URL (direct node-postgres access in tests). */
  url?: string;
  close(): Promise<void>;
}

export async function openTestDatabase(driver: TestDriver | DriverName): Promise<OpenedTestDatabase> {
  if (driver === 'pglite') {
    const dump = await readFile(inject('pgliteDumpPath'));
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([dump]) });
    return { database, close: () => database.close() };
  }
  const template = inject('pgTemplate');
  if (!template) throw new Error(`PostgreSQL is not available at ${PG_ADMIN_URL}: start it (see README) to run the ${driver} suites`);
  return openPostgresDatabase(driver, template);
}

/** A database of its own on the machine's PostgreSQL: a copy of `template`, or empty without one; `close` drops it. */
export async function openPostgresDatabase(driver: 'neon' | 'node-postgres', template?: string): Promise<OpenedTestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(template ? `create database ${name} template ${template}` : `create database ${name}`);
  const url = databaseUrl(name);
  const proxy = driver === 'neon' ? await startNeonProxy() : undefined;
  const database = await openDatabase({
    url,
    driver,
    neonWsProxy: proxy?.address,
    poolMax: 20,
  });
  return {
    database,
    proxy,
    url,
    close: async () => {
      await database.close().catch(() => {});
      await proxy?.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Sent as is (malformed JSON tests). */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** The connection's address (default 127.0.0.1, a trusted proxy here, so tests may name clients with X-Forwarded-For). */
  remoteAddress?: string;
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  bytes: Uint8Array;
}

export interface TestContext {
  driver: TestDriver;
  app: App;
  db: Database['db'];
  database: Database;
  opened: OpenedTestDatabase;
  clock: AdjustableClock;
  config: AppConfig;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * Logs in through the dev login as a seeded account; returns the access token.
   * The token stands for a signed-in client: when a test moves the clock past
   * its 15 minutes, or a call answers 401 because the account changed, `call`
   * renews it with its refresh token (and repeats the call once), as the
   * mini-program's client does. To test expiry or stale sessions themselves,
   * sign in with a plain `call('POST', '/api/auth/dev')`.
   */
  login(role: 'staff' | 'secretary' | 'member' | 'applicant' | 'county', accountId?: number): Promise<string>;
  close(): Promise<void>;
}

export interface ContextOptions {
  env?: Record<string, string>;
  wechat?: WechatClient;
  logger?: Logger;
}

const unusedWechat: WechatClient = {
  code2session: () => Promise.reject(new Error('WeChat is not used in this test')),
};

export async function createTestContext(driver: TestDriver, options: ContextOptions = {}): Promise<TestContext> {
  const opened = await openTestDatabase(driver);
  const config = loadConfig({ APP_ENV: 'test', TRUST_PROXY: 'loopback', ...options.env });
  const clock = new AdjustableClock(TEST_NOW);
  const app = createApp(
    { database: opened.database, config, clock, wechat: options.wechat ?? unusedWechat, logger: options.logger ?? silentLogger },
    routes,
  );
  /** Sessions of `login()` tokens, by the token a test holds (renewed ones replace the entry's value). */
  const sessions = new Map<string, { token: string; refreshToken: string; expiresAt: number }>();
  /** The current access token for a `login()` token, renewed (outside any statement count) once it has expired, or when `force`d. */
  const current = async (token: string, force = false): Promise<string> => {
    const session = sessions.get(token);
    if (!session || (!force && clock.now().getTime() < session.expiresAt)) return session?.token ?? token;
    const res = await statementCounter.storage.exit(() =>
      app.fetch(
        new Request('http://test.local/api/auth/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: session.refreshToken }),
        }),
        { remoteAddress: '127.0.0.1' },
      ),
    );
    if (res.status !== 200) return session.token;
    const renewed = (await res.json()) as { token: string; refreshToken: string; expiresAt: string };
    Object.assign(session, { token: renewed.token, refreshToken: renewed.refreshToken, expiresAt: Date.parse(renewed.expiresAt) });
    return session.token;
  };
  const call: TestContext['call'] = async (method, path, opts = {}) => {
    const url = new URL(path, 'http://test.local');
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers = new Headers(opts.headers);
    let body: BodyInit | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody as BodyInit;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const send = async (force = false) => {
      if (opts.token) headers.set('authorization', `Bearer ${await current(opts.token, force)}`);
      return app.fetch(new Request(url, { method, headers, body }), { remoteAddress: opts.remoteAddress ?? '127.0.0.1' });
    };
    let response = await send();
    // Like the mini-program's client: a 401 for a signed-in session (its role, branch or status changed) renews it once.
    if (response.status === 401 && opts.token && sessions.has(opts.token)) response = await send(true);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    return {
      status: response.status,
      headers: response.headers,
      bytes,
      body: isJson && bytes.length ? JSON.parse(new TextDecoder().decode(bytes)) : null,
    };
  };
  return {
    driver,
    app,
    db: opened.database.db,
    database: opened.database,
    opened,
    clock,
    config,
    call,
    async login(role, accountId) {
      const res = await call<{ token: string; refreshToken: string; expiresAt: string }>('POST', '/api/auth/dev', { body: { role, accountId } });
      if (res.status !== 200) throw new Error(`dev login as ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
      sessions.set(res.body.token, { token: res.body.token, refreshToken: res.body.refreshToken, expiresAt: Date.parse(res.body.expiresAt) });
      return res.body.token;
    },
    close: () => opened.close(),
  };
}

/** Runs the same suite on PGlite and on PostgreSQL through the Neon driver. */
/**
 * One describe per driver. `body` gets the context (ready inside tests and hooks) and the driver's name, known
 * when tests are collected: a test PGlite cannot run (a race needs a second connection) is declared
 * `it.runIf(driver === 'neon')(...)`, so the PGlite half reports it as skipped instead of as a pass that ran nothing.
 */
export function describeEachDriver(title: string, body: (ctx: () => TestContext, driver: TestDriver) => void, options: ContextOptions = {}): void {
  for (const driver of TEST_DRIVERS) {
    describe(`${title} [${DRIVER_LABELS[driver]}]`, () => {
      let ctx: TestContext | undefined;
      beforeAll(async () => {
        ctx = await createTestContext(driver, options);
      }, 60_000);
      afterAll(async () => {
        await ctx?.close();
      });
      body(() => {
        if (!ctx) throw new Error('test context not ready');
        return ctx;
      }, driver);
    });
  }
}
