/**
 * The embedded database (PGlite) for development and tests. Loaded only when no
 * DATABASE_URL is set; the production function leaves it and its 16 MB of wasm
 * out (vercel.json `excludeFiles`).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'drizzle-orm/logger';
import { tryAcquirePidLock } from '../server/pid-lock.js';
import { schema, type Database, type DatabaseConfig, type Db } from './client.js';

export async function openPglite(config: DatabaseConfig, logger: Logger): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const dataDir = config.dataDir ?? 'memory://';
  const release = dataDir.startsWith('memory://') ? async () => {} : acquireDataDirLock(dataDir);
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

/**
 * PGlite has no lock of its own: two processes on one folder silently lose
 * writes. A lock file with the owner's pid refuses the second one clearly.
 */
function acquireDataDirLock(dataDir: string): () => Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(path.dirname(path.resolve(dataDir)), `.${path.basename(dataDir)}.lock`);
  const attempt = tryAcquirePidLock(lockFile);
  if (!attempt.acquired) throw new DatabaseLockedError(dataDir, attempt.owner ?? 0);
  return async () => attempt.release();
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
