/**
 * A real PostgreSQL restart under load (`pg_ctlcluster … restart`), with the
 * app kept running on both drivers (Neon over WebSocket, node-postgres): while
 * the server is down every request gets a 503 JSON error (never a 500, never a
 * crash), and within a few seconds of its return requests succeed again on the
 * same app instance — the pools drop their dead connections by themselves.
 *
 * It interrupts every database on the server, so it is its own vitest project,
 * defined only when FAULTS_RESTART=1 and run by `npm test` after everything
 * else: `FAULTS_RESTART=1 npx vitest run --project faults-restart`.
 * PG_CLUSTER names the cluster (`<version>/<name>`, default: the one in
 * /etc/postgresql, `main`); TEST_PG_URL the server (see tests/helpers/constants.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Logger } from '../../api/_app/log.js';
import { studyEntries } from '../../db/schema/index.js';
import { runLoad, timeToRecover } from '../helpers/faults.js';
import { createTestContext, type TestContext, type TestDriver } from '../helpers/harness.js';
import { buildWorld, type Person } from '../helpers/route-fixtures/index.js';

const [version, cluster] = (process.env.PG_CLUSTER ?? `${readdirSync('/etc/postgresql')[0]}/main`).split('/');
const drivers = ['neon', 'node-postgres'] as const;
const logged: string[] = [];
const logger: Logger = { info: () => {}, error: (event) => logged.push(event) };
const apps: { driver: string; ctx: TestContext; workers: Person[]; staff: string }[] = [];

beforeAll(async () => {
  for (const driver of drivers) {
    const ctx = await createTestContext(driver as TestDriver, { env: { WRITE_RATE_LIMIT: '1000000' }, logger });
    const w = await buildWorld(ctx);
    apps.push({ driver, ctx, workers: await Promise.all(Array.from({ length: 4 }, () => w.freshMember())), staff: w.tokens.staff });
  }
}, 120_000);

afterAll(async () => {
  for (const app of apps) await app.ctx.close().catch(() => {});
});

it('PostgreSQL restarts under load: 503s while it is down, then requests succeed again without restarting the app', async () => {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const loads = apps.map((app) => runLoad(app.ctx, app.workers, stopped));
  await new Promise((r) => setTimeout(r, 500)); // load running against a healthy server
  const started = Date.now();
  // Asynchronous, so the load keeps hitting the app while the server stops and starts.
  await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version!, cluster!, 'restart']);
  const restartMs = Date.now() - started;
  const recovered = await Promise.all(apps.map((app) => timeToRecover(app.ctx, app.staff, 10_000)));
  await new Promise((r) => setTimeout(r, 500)); // and a little load after it
  stop();
  const reports = await Promise.all(loads);
  apps.forEach((app, i) => {
    console.log(
      `[${app.driver}] restart took ${restartMs} ms; recovered ${recovered[i]} ms after it; ${reports[i]!.requests} requests, statuses ${JSON.stringify(reports[i]!.statuses)}`,
    );
  });
  for (const [i, report] of reports.entries()) {
    expect(report.unexpected, apps[i]!.driver).toEqual([]);
    expect(recovered[i]).toBeLessThan(5_000);
    expect(report.statuses[503] ?? 0, 'the restart should have been felt').toBeGreaterThan(0);
    // Every check-in the load saw succeed (after retries with its key) is stored exactly once.
    const app = apps[i]!;
    const rows = await app.ctx.db
      .select({ key: studyEntries.idempotencyKey })
      .from(studyEntries)
      .where(sql`${studyEntries.memberId} in ${app.workers.map((x) => x.memberId)}`);
    expect(rows.map((r) => r.key).sort()).toEqual(report.checkIns.map((c) => c.key).sort());
  }
  expect(logged.filter((e) => e !== 'database_unavailable')).toEqual([]);
}, 120_000);
