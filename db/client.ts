/**
 * One database module, three drivers, one schema:
 * - embedded PGlite when no DATABASE_URL is set (development, tests; `db/pglite.ts`, loaded only then);
 * - Neon's serverless driver (WebSocket Pool, interactive transactions) for a Neon URL or DB_DRIVER=neon;
 * - node-postgres for any other PostgreSQL (self-hosting on a mainland cloud).
 *
 * Every statement goes through a logger that counts it against the request in
 * progress (see `statementCounter`), so round trips per request are measurable.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SQL } from 'drizzle-orm';
import type { Logger } from 'drizzle-orm/logger';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.js';
import { renderedQueryOf } from './statement.js';

export { schema };
export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DriverName = 'pglite' | 'neon' | 'node-postgres';

export interface DatabaseConfig {
  /** Unset: embedded PGlite in `dataDir`. */
  url?: string;
  /** Force a driver; otherwise chosen from the URL. */
  driver?: DriverName;
  /** PGlite data folder; `memory://` for a throwaway database. */
  dataDir?: string;
  /** PGlite: start from a dump made by `dumpDataDir()` (fast test set-up). */
  loadDataDir?: Blob;
  /** Neon over a local WebSocket-to-TCP proxy (`host:port`), for tests against a plain PostgreSQL. */
  neonWsProxy?: string;
  poolMax?: number;
}

export interface Database {
  db: Db;
  driver: DriverName;
  /** Raw SQL for health checks and tests. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the underlying instance (for dumps in tests). */
  pglite?: import('@electric-sql/pglite').PGlite;
}

/** Counts statements per async context; `count()` outside a context returns 0. */
export const statementCounter = {
  storage: new AsyncLocalStorage<CounterStore>(),
  async measure<T>(fn: () => Promise<T>, keepLog = false): Promise<{ result: T; statements: number; log: string[] }> {
    const store: CounterStore = { statements: 0, log: keepLog ? [] : undefined };
    const result = await this.storage.run(store, fn);
    return { result, statements: store.statements, log: store.log ?? [] };
  },
  /** The statements with their parameters, as sent (the bench replays them on a raw driver). */
  async capture<T>(fn: () => Promise<T>): Promise<{ result: T; calls: { query: string; params: unknown[] }[] }> {
    const store: CounterStore = { statements: 0, calls: [] };
    const result = await this.storage.run(store, fn);
    return { result, calls: store.calls ?? [] };
  },
};

interface CounterStore {
  statements: number;
  log?: string[];
  calls?: { query: string; params: unknown[] }[];
}

export class CountingLogger implements Logger {
  logQuery(query: string, params: unknown[]): void {
    const store = statementCounter.storage.getStore();
    if (!store) return;
    store.statements += 1;
    store.log?.push(query);
    store.calls?.push({ query, params });
  }
}

export function chooseDriver(config: DatabaseConfig): DriverName {
  if (config.driver) return config.driver;
  if (!config.url) return 'pglite';
  if (/\.neon\.tech(?::\d+)?\//.test(config.url) || /neon/.test(new URL(config.url).hostname)) return 'neon';
  return 'node-postgres';
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const driver = chooseDriver(config);
  const logger = new CountingLogger();
  if (driver === 'pglite') {
    // Development and tests only: the Vercel function leaves PGlite out (vercel.json excludeFiles).
    const { openPglite } = await import('./pglite.js');
    return openPglite(config, logger);
  }
  if (!config.url) throw new Error('DATABASE_URL is required for the ' + driver + ' driver');
  if (driver === 'neon') return openNeon(config.url, config, logger);
  return openNodePostgres(config.url, config, logger);
}

async function openNodePostgres(url: string, config: DatabaseConfig, logger: Logger): Promise<Database> {
  const pg = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.default.Pool({ connectionString: url, max: config.poolMax ?? 10 });
  return pooled('node-postgres', pool, drizzle({ client: pool, schema, logger }) as unknown as Db);
}

async function openNeon(url: string, config: DatabaseConfig, logger: Logger): Promise<Database> {
  const neon = await import('@neondatabase/serverless');
  const { drizzle } = await import('drizzle-orm/neon-serverless');
  const { default: ws } = await import('ws');
  // Node 20 has no global WebSocket; Node 22+ does, but one constructor everywhere is simpler.
  neon.neonConfig.webSocketConstructor = ws;
  if (config.neonWsProxy) {
    const proxy = config.neonWsProxy;
    neon.neonConfig.wsProxy = () => proxy;
    neon.neonConfig.useSecureWebSocket = false;
    neon.neonConfig.pipelineTLS = false;
    neon.neonConfig.pipelineConnect = false;
  }
  const pool = new neon.Pool({ connectionString: url, max: config.poolMax ?? 10 });
  return pooled('neon', pool, drizzle({ client: pool, schema, logger }) as unknown as Db);
}

type ClientErrors = { on(event: 'error', listener: (err: Error) => void): unknown };

/** A node-postgres or Neon pool as a Database. */
function pooled(
  driver: 'neon' | 'node-postgres',
  pool: { query(text: string): Promise<unknown>; end(): Promise<void>; on(event: 'error', listener: () => void): unknown; on(event: 'connect', listener: (client: ClientErrors) => void): unknown },
  db: Db,
): Database {
  // An idle client whose server went away emits 'error'; without a listener that kills the process.
  pool.on('error', () => {});
  pool.on('connect', ignoreCheckedOutClientErrors);
  return {
    db,
    driver,
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

/**
 * The pool listens for errors only on idle clients. A client checked out for a
 * transaction whose connection drops (database restart, failover) also emits
 * 'error' — after its pending query has already been rejected, which is how the
 * request learns of it (503). Unheard, that event is an uncaught exception that
 * kills the whole server. The dead client is then dropped by the pool on release
 * (it is no longer queryable), so the next request gets a fresh connection.
 */
function ignoreCheckedOutClientErrors(client: ClientErrors): void {
  client.on('error', () => {});
}

/**
 * The rows of a raw statement (`db.execute`), typed by the caller. A statement from
 * `statementTemplate` (db/statement.ts) is already rendered: its text and parameters go to the
 * driver session as `db.execute` would send them (same logger, hence the same statement counter),
 * without drizzle rendering it again.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const rendered = renderedQueryOf(query);
  if (rendered) return rowsOf<T>(await db._.session.prepareQuery(rendered, undefined, undefined, false).execute());
  return rowsOf<T>(await db.execute(query));
}

/** The rows of a `db.execute` answer: `{ rows }` on node-postgres, Neon and PGlite alike. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
