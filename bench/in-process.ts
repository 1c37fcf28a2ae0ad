/**
 * The app in the bench's own process (no HTTP): for counting statements, capturing the SQL a route
 * sends. Limits are lifted (the bench logs in often); the clock
 * starts at `now`.
 */
import { createApp, type App } from '../api/_app/app.js';
import { AdjustableClock } from '../api/_app/clock.js';
import { loadConfig } from '../api/_app/config.js';
import { silentLogger } from '../api/_app/log.js';
import { routes } from '../api/_routes.js';
import type { Database } from '../db/client.js';

export type Call = (method: string, urlPath: string, token?: string, body?: string, headers?: Record<string, string>) => Promise<Response>;

export function inProcessApp(database: Database, now: string, config = loadConfig({ APP_ENV: 'test', LOGIN_RATE_LIMIT: '1000000' })): { app: App; call: Call } {
  const app = createApp(
    {
      database,
      config,
      clock: new AdjustableClock(now),
      wechat: { code2session: () => Promise.reject(new Error('unused')) },
      logger: silentLogger,
    },
    routes,
  );
  const call: Call = (method, urlPath, token, body, headers = {}) =>
    app.fetch(new Request(`http://bench.local${urlPath}`, { method, headers: { 'content-type': 'application/json', ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body }));
  return { app, call };
}
