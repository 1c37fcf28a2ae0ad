/**
 * The setup of the race suites on the machine's PostgreSQL: each runs once through the production Neon driver and
 * once through node-postgres (`npm start` self-hosting), on its own test database with the route fixtures' world.
 * Call `raceSuite(driver)` inside the suite's `describe`: it registers the `beforeAll` / `afterAll`.
 */
import { afterAll, beforeAll } from 'vitest';
import { createTestContext, type CallResult, type TestContext, type TestDriver } from './harness.js';
import { buildWorld, type World } from './route-fixtures/index.js';

export const POSTGRES_DRIVERS = ['neon', 'node-postgres'] as const;
export type Res = CallResult<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const statuses = (results: Res[]) => results.map((r) => r.status).sort((a, b) => a - b);

export function raceSuite(driver: (typeof POSTGRES_DRIVERS)[number]) {
  let ctx: TestContext;
  let w: World;
  beforeAll(async () => {
    // The harness opens node-postgres as well as Neon for PostgreSQL; only the type names the two test drivers.
    ctx = await createTestContext(driver as TestDriver, { env: { WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' } });
    w = await buildWorld(ctx);
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
  });
  return {
    get ctx() {
      return ctx;
    },
    get w() {
      return w;
    },
    call: (method: string, path: string, token: string, body?: unknown, key?: string): Promise<Res> =>
      ctx.call(method, path, { token, body, headers: key ? { 'idempotency-key': key } : undefined }),
  };
}
