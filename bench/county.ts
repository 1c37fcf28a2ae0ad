/**
 * County scale through the real tenancy (issue 17 "Must show", issue 23.4): a script that prints
 * figures, not a test; also part of `npm run bench`.
 *
 * A scratch database on the machine's PostgreSQL, migrated; a county generated in bulk SQL by
 * bench/county-data.ts (county root, 20 townships, 400 branches, 30,000 members, a year of study
 * and organizational life). The real app then serves it over HTTP on loopback (the Node server
 * `npm start` runs, node-postgres), and each read is timed from request to the last byte with a
 * county, township-staff or secretary token: the township dashboard, the county dashboard and its
 * drill-down, 各乡镇概况 (GET /api/county/overview), the organizational-life due calendar of a
 * branch and the township's outstanding list, study oversight. Round trips per read are counted
 * in-process (the statement counter). With plans, EXPLAIN (ANALYZE, BUFFERS) of each statement
 * the app sent, captured with its parameters. Drops the database at the end.
 *
 *   npm run bench:county               MEMBERS=30000 TOWNSHIPS=20 RUNS=15
 *   npm run bench:county -- --plans    print every plan
 *   KEEP_DB=1 npm run bench:county     keep the database to try plans by hand
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { addDays, shanghaiDate } from '../shared/calendar.js';
import { openDatabase, statementCounter } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { startServer } from '../server/node-server.js';
import { buildCounty, queryOn, type CountyFixture } from './county-data.js';
import { inProcessApp } from './in-process.js';
import { median, percentile, round, scratchDatabase } from './lib.js';

export interface CountyOptions {
  members?: number;
  townships?: number;
  branchesPerTownship?: number;
  days?: number;
  runs?: number;
  printPlans?: boolean;
  log?: (line: string) => void;
}

export interface CountyTiming {
  key: string;
  label: string;
  path: string;
  as: string;
  medianMs: number;
  p95Ms: number;
  runs: number;
  statements: number;
  status: number;
}

export interface CountyResult {
  members: number;
  townships: number;
  branches: number;
  studyDayRows: number;
  meetings: number;
  attendance: number;
  transfers: number;
  commendations: number;
  setupSeconds: number;
  townshipMembers: number;
  timings: CountyTiming[];
  plans: { label: string; executionMs: number; planningMs: number; plan: string }[];
}

const NOW = new Date('2026-06-15T10:00:00+08:00');
const TODAY = shanghaiDate(NOW);

type Role = keyof CountyFixture['accounts'];

/** The reads measured: key (the budget table's), label, caller, path. */
function readsOf(f: CountyFixture): { key: string; label: string; as: Role; path: string }[] {
  return [
    { key: 'township-dashboard', label: '党委驾驶舱 (township staff, GET /api/dashboard)', as: 'staff', path: '/api/dashboard' },
    { key: 'county-overview', label: '各乡镇概况 (county staff, GET /api/county/overview)', as: 'county', path: '/api/county/overview' },
    { key: 'county-dashboard', label: '全县驾驶舱 (county staff, GET /api/dashboard)', as: 'county', path: '/api/dashboard' },
    { key: 'county-drilldown', label: '县看乡镇驾驶舱 (county staff, ?townshipId)', as: 'county', path: `/api/dashboard?townshipId=${f.township.id}` },
    { key: 'secretary-dashboard', label: '支部驾驶舱 (secretary, GET /api/dashboard)', as: 'secretary', path: '/api/dashboard' },
    { key: 'orglife-calendar', label: '组织生活日历 (secretary, GET /api/orglife/calendar)', as: 'secretary', path: '/api/orglife/calendar' },
    { key: 'orglife-township', label: '各支部组织生活 (township staff, GET /api/orglife/township)', as: 'staff', path: '/api/orglife/township' },
    { key: 'branch-week', label: '支部本周学习 (secretary)', as: 'secretary', path: `/api/study/organizations/${f.branchId}/week` },
    { key: 'study-summary-92', label: '党委学习汇总 92 天 (township staff)', as: 'staff', path: `/api/study/summary?from=${addDays(TODAY, -91)}&to=${TODAY}` },
    { key: 'study-me', label: '我的学习 (member, GET /api/study/me)', as: 'member', path: '/api/study/me' },
  ];
}

export async function runCounty(options: CountyOptions = {}): Promise<CountyResult> {
  const shape = {
    members: options.members ?? 30_000,
    townships: options.townships ?? 20,
    branchesPerTownship: options.branchesPerTownship ?? 20,
    days: options.days ?? 365,
    today: TODAY,
  };
  const RUNS = options.runs ?? 40;
  const log = options.log ?? ((line: string) => console.log(line));
  const scratch = await scratchDatabase('bench_county');
  const client = new pg.Client({ connectionString: scratch.url });
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const t0 = performance.now();
    database = await openDatabase({ url: scratch.url, driver: 'node-postgres', poolMax: 4 });
    await migrateDatabase(database);
    await client.connect();
    const q = queryOn(client);
    const fixture = await buildCounty(q, shape);
    const setupSeconds = (performance.now() - t0) / 1000;
    const c = fixture.counts;
    log(
      `county: ${shape.members.toLocaleString()} members, ${shape.townships} townships × ${shape.branchesPerTownship} branches, ` +
        `${c.studyDays.toLocaleString()} member-days, ${c.meetings.toLocaleString()} meetings (${c.attendance.toLocaleString()} attendance rows), ` +
        `${c.transfers} transfers, ${c.commendations} commendations, generated in ${setupSeconds.toFixed(0)} s`,
    );

    const { app } = inProcessApp(database, NOW.toISOString());
    server = await startServer({ app });
    const login = async (role: Role) => {
      const res = await fetch(`${server!.url}/api/auth/dev`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, accountId: fixture.accounts[role] }),
      });
      if (res.status !== 200) throw new Error(`login ${role}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    };
    const tokens = Object.fromEntries(await Promise.all((['county', 'staff', 'secretary', 'member'] as const).map(async (r) => [r, await login(r)]))) as Record<Role, string>;
    const get = async (urlPath: string, role: Role) => {
      const res = await fetch(`${server!.url}${urlPath}`, { headers: { authorization: `Bearer ${tokens[role]}`, 'accept-encoding': 'br, gzip' } });
      await res.arrayBuffer();
      return res.status;
    };
    /** Round trips, counted in-process on the same app (the HTTP server's requests run in their own async context). */
    const statementsOf = (urlPath: string, role: Role) =>
      statementCounter.capture(() => app.fetch(new Request(`http://bench.local${urlPath}`, { headers: { authorization: `Bearer ${tokens[role]}` } })));

    const [{ v: version } = { v: '' }] = await q<{ v: string }>(`select current_setting('server_version') as v`);
    log(`latency over HTTP (loopback, PostgreSQL ${version}; one township of ${c.townshipMembers} active members; ${RUNS} runs after 3 warm-ups):`);
    const timings: CountyTiming[] = [];
    const plans: CountyResult['plans'] = [];
    for (const r of readsOf(fixture)) {
      for (let i = 0; i < 3; i++) await get(r.path, r.as);
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        status = await get(r.path, r.as);
        times.push(performance.now() - started);
      }
      const { result, calls } = await statementsOf(r.path, r.as);
      if (result.status !== 200 || status !== 200) throw new Error(`${r.path} as ${r.as}: ${result.status} ${await result.text()}`);
      const timing = { ...r, medianMs: round(median(times)), p95Ms: round(percentile(times, 95)), runs: RUNS, statements: calls.length, status };
      timings.push(timing);
      log(`  ${r.label.padEnd(58)} median ${String(timing.medianMs).padStart(6)} ms   p95 ${String(timing.p95Ms).padStart(6)} ms   ${calls.length} statement(s)`);
      for (const [i, call] of calls.entries()) {
        const label = `${r.key}${calls.length > 1 ? ` #${i + 1}` : ''}`;
        const rows = await q<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${call.query}`, call.params);
        const plan = rows.map((x) => x['QUERY PLAN']).join('\n');
        const executionMs = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
        const planningMs = Number(/Planning Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
        plans.push({ label, executionMs, planningMs, plan });
        if (options.printPlans) log(`\n---- EXPLAIN (ANALYZE, BUFFERS): ${label}\n${plan}\n`);
      }
    }
    log(`  server-side execution (EXPLAIN ANALYZE): ${plans.map((p) => `${p.label} ${p.executionMs.toFixed(1)} ms`).join(', ')}`);
    return {
      members: shape.members,
      townships: shape.townships,
      branches: shape.townships * shape.branchesPerTownship,
      studyDayRows: c.studyDays,
      meetings: c.meetings,
      attendance: c.attendance,
      transfers: c.transfers,
      commendations: c.commendations,
      setupSeconds: round(setupSeconds),
      townshipMembers: c.townshipMembers,
      timings,
      plans,
    };
  } finally {
    await server?.close();
    await client.end().catch(() => {});
    await database?.close();
    if (process.env.KEEP_DB) log(`(kept database ${scratch.name}; drop it with: psql -h 127.0.0.1 -U postgres -c 'drop database ${scratch.name}')`);
    else await scratch.drop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runCounty({
    members: process.env.MEMBERS ? Number(process.env.MEMBERS) : undefined,
    townships: process.env.TOWNSHIPS ? Number(process.env.TOWNSHIPS) : undefined,
    runs: process.env.RUNS ? Number(process.env.RUNS) : undefined,
    printPlans: process.argv.includes('--plans'),
  });
  process.exit(0);
}
