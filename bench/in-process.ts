/**
 * The app in the bench's own process (no HTTP): for counting statements, capturing the SQL a route
 * sends, and timing reads at county scale. Limits are lifted (the bench logs in often); the clock
 * starts at `now`.
 */
import { createApp, type App } from '../api/_app/app.js';
import { AdjustableClock } from '../api/_app/clock.js';
import { loadConfig } from '../api/_app/config.js';
import { silentLogger } from '../api/_app/log.js';
import { routes } from '../api/_routes.js';
import { statementCounter, type Database } from '../db/client.js';

export type Call = (method: string, urlPath: string, token?: string, body?: string, headers?: Record<string, string>) => Promise<Response>;

export function inProcessApp(database: Database, now: string): { app: App; call: Call } {
  const app = createApp(
    {
      database,
      config: loadConfig({ APP_ENV: 'test', LOGIN_RATE_LIMIT: '1000000' }),
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

/** A call whose answer must be 200 JSON. */
export function jsonCall(call: Call) {
  return async (method: string, urlPath: string, token?: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await call(method, urlPath, token, body === undefined ? undefined : JSON.stringify(body));
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${urlPath}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** `read` timed `runs` times after three warm-ups: sorted times (ms) and the most statements a run took. */
export async function timeRuns(runs: number, read: () => Promise<unknown>): Promise<{ times: number[]; statements: number; at(q: number): number }> {
  for (let i = 0; i < 3; i++) await read();
  const times: number[] = [];
  let statements = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const { statements: n } = await statementCounter.measure(read);
    times.push(performance.now() - started);
    statements = Math.max(statements, n);
  }
  times.sort((a, b) => a - b);
  return { times, statements, at: (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))]! };
}
