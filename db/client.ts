/**
 * One database module, three drivers, one schema:
 * - embedded PGlite when no DATABASE_URL is set (development, tests);
 * - Neon's serverless driver (WebSocket Pool, interactive transactions) for a Neon URL or DB_DRIVER=neon;
 * - node-postgres for any other PostgreSQL (self-hosting on a mainland cloud).
 *
 * Every statement goes through a logger that counts it against the request in
 * progress (see `statementCounter`), so round trips per request are measurable.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm/logger';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.js';

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
  storage: new AsyncLocalStorage<{ statements: number; log?: string[] }>(),
  async measure<T>(fn: () => Promise<T>, keepLog = false): Promise<{ result: T; statements: number; log: string[] }> {
    const store: { statements: number; log?: string[] } = { statements: 0, log: keepLog ? [] : undefined };
    const result = await this.storage.run(store, fn);
    return { result, statements: store.statements, log: store.log ?? [] };
  },
};

class CountingLogger implements Logger {
  logQuery(query: string): void {
    const store = statementCounter.storage.getStore();
    if (!store) return;
    store.statements += 1;
    store.log?.push(query);
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
  if (driver === 'pglite') return openPglite(config, logger);
  if (!config.url) throw new Error('DATABASE_URL is required for the ' + driver + ' driver');
  if (driver === 'neon') return openNeon(config.url, config, logger);
  return openNodePostgres(config.url, config, logger);
}

async function openPglite(config: DatabaseConfig, logger: Logger): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const dataDir = config.dataDir ?? 'memory://';
  const release = dataDir.startsWith('memory://') ? async () => {} : await acquireDataDirLock(dataDir);
  let client: import('@electric-sql/pglite').PGlite;
  try {
    client = await PGlite.create({ dataDir, loadDataDir: config.loadDataDir });
  } catch (err) {
    await release();
    throw err;
  }
  const db = drizzle({ client, schema, logger }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    pglite: client,
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await client.close();
      await release();
    },
  };
}

async function openNodePostgres(url: string, config: DatabaseConfig, logger: Logger): Promise<Database> {
  const pg = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.default.Pool({ connectionString: url, max: config.poolMax ?? 10 });
  // An idle client whose server went away emits 'error'; without a listener that kills the process.
  pool.on('error', () => {});
  pool.on('connect', ignoreCheckedOutClientErrors);
  const db = drizzle({ client: pool, schema, logger }) as unknown as Db;
  return {
    db,
    driver: 'node-postgres',
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
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
  pool.on('error', () => {});
  pool.on('connect', ignoreCheckedOutClientErrors);
  const db = drizzle({ client: pool, schema, logger }) as unknown as Db;
  return {
    db,
    driver: 'neon',
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
function ignoreCheckedOutClientErrors(client: { on(event: 'error', listener: (err: Error) => void): unknown }): void {
  client.on('error', () => {});
}

/**
 * PGlite has no lock of its own: two processes on one folder silently lose
 * writes. A lock file with the owner's pid refuses the second one clearly.
 */
async function acquireDataDirLock(dataDir: string): Promise<() => Promise<void>> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  await fs.mkdir(dataDir, { recursive: true });
  const lockFile = path.join(path.dirname(path.resolve(dataDir)), `.${path.basename(dataDir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return async () => {
        await fs.rm(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await fs.readFile(lockFile, 'utf8').catch(() => ''));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new DatabaseLockedError(dataDir, owner);
      }
      await fs.rm(lockFile, { force: true }); // left behind by a process that died
    }
  }
  throw new DatabaseLockedError(dataDir, 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `嵌入式数据库 ${dataDir} 已被另一个进程（pid ${pid}）打开。PGlite 只允许一个进程使用同一数据目录：` +
        `请先停止那个进程（例如另一个 npm run dev），或设置 DATABASE_URL 使用 PostgreSQL。`,
    );
    this.name = 'DatabaseLockedError';
  }
}
