/**
 * For browser tests: the API and the built H5 app on one local origin, on a
 * fresh copy of the seeded demo database, with an adjustable clock.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../api/_app/app.js';
import { AdjustableClock } from '../../api/_app/clock.js';
import { loadConfig, type AppConfig } from '../../api/_app/config.js';
import { silentLogger } from '../../api/_app/log.js';
import { routes } from '../../api/_routes.js';
import type { Db } from '../../db/client.js';
import { startServer } from '../../server/node-server.js';
import { TEST_NOW } from './constants.js';
import { openTestDatabase } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface AppServer {
  url: string;
  clock: AdjustableClock;
  /** The server's database, for a test that puts in place what another path would have written (an imported roster row). */
  db: Db;
  config: AppConfig;
  close(): Promise<void>;
}

export async function startAppServer(opts: { now?: string; staticDir?: string } = {}): Promise<AppServer> {
  const opened = await openTestDatabase('pglite');
  const clock = new AdjustableClock(opts.now ?? TEST_NOW);
  const config = loadConfig({ APP_ENV: 'test' });
  const app = createApp(
    {
      database: opened.database,
      config,
      clock,
      wechat: { code2session: () => Promise.reject(new Error('no WeChat in browser tests')) },
      logger: silentLogger,
    },
    routes,
  );
  const server = await startServer({ app, staticDir: opts.staticDir ?? path.join(ROOT, 'miniapp/dist/h5') });
  return {
    url: server.url,
    clock,
    db: opened.database.db,
    config,
    close: async () => {
      await server.close();
      await opened.close();
    },
  };
}
