/**
 * `npm run bench`: the whole performance suite in one run (about 8 minutes on 2 cores), printing
 * every budget of issues 17 and 23 beside its measured value in one Markdown table. Prints figures
 * and says which budgets are met; never fails on time (round trips are what tests assert).
 *
 *  1. round trips: SQL statements per request of every GET route and the check-in (in-process);
 *  2. ceiling ratio (bench/loads.ts): the app's hot routes on node-postgres, Neon and PGlite
 *     against a raw node-postgres server replaying the app's own statements, at 10 and 100
 *     connections, plus a bare Node server;
 *  3. cold start of the API entry and the bundle's weight (bench/cold.ts);
 *  4. county scale through the real tenancy (bench/county.ts): 20 townships, 30,000 members,
 *     a year of study and organizational life, the dashboards and 各乡镇概况 over HTTP;
 *  5. client budgets (bench/client.ts): H5 first screen bytes and first content on a slow link,
 *     weapp main package and subpackages (built when dist/ is missing).
 *
 *   npm run bench -- --quick          a smaller scale for trying (1 s points, 3,000 members, no PGlite), ~3 min
 *   npm run bench -- --client-only    5 alone (no PostgreSQL, no load)
 *   npm run bench -- --write-readme   also rewrite README's 性能 results from this run (bench/readme.ts)
 *   BENCH_SECONDS=3 (per load point)  BENCH_SKIP=roundtrips,load,cold,county,client  COUNTY_MEMBERS=30000
 *
 * Writes bench-results/<timestamp>.json and .md (git-ignored); `npx tsx bench/readme.ts <file>.json`
 * regenerates the README section from a saved run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedDemoIfEmpty } from '../db/seed/index.js';
import { TEST_NOW } from '../tests/helpers/constants.js';
import { budgetTable, clientRows, countyRows, serverRows } from './budgets.js';
import { runClientBudgets } from './client.js';
import { runColdStarts } from './cold.js';
import { runCounty } from './county.js';
import { RATIO_CONNECTIONS } from './budgets.js';
import { ROOT, round, scratchDatabase } from './lib.js';
import { runLoads } from './loads.js';
import { writeReadme } from './readme.js';
import { renderMarkdown, type BenchResults } from './report.js';
import { countRoundTrips } from './roundtrips.js';

const QUICK = process.argv.includes('--quick');
const CLIENT_ONLY = process.argv.includes('--client-only');
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 3));
const SKIP = new Set([...(process.env.BENCH_SKIP ?? '').split(',').filter(Boolean), ...(CLIENT_ONLY ? ['roundtrips', 'load', 'cold', 'county'] : [])]);
const startedAt = performance.now();
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const say = (line: string) => console.log(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0)} s] ${line}`);

const results: BenchResults = {
  startedAt: new Date().toISOString(),
  scale: QUICK ? 'quick' : 'full',
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAtStart: os.loadavg().map((n) => round(n, 2)),
    loadAtEnd: [],
    postgres: '',
  },
  seconds: SECONDS,
  roundTrips: [],
  loads: [],
  totalSeconds: 0,
};

const needsDb = !SKIP.has('roundtrips') || !SKIP.has('load') || !SKIP.has('cold');
const scratch = needsDb ? await scratchDatabase('bench_run') : null;
const cleanups: (() => Promise<void>)[] = scratch ? [() => scratch.drop()] : [];
try {
  if (scratch) {
    const config = loadConfig({ APP_ENV: 'development' });
    const database = await openDatabase({ url: scratch.url, driver: 'node-postgres', poolMax: 4 });
    await migrateDatabase(database);
    await seedDemoIfEmpty(database.db, { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey }, new Date(TEST_NOW));
    const probe = new pg.Client({ connectionString: scratch.url });
    await probe.connect();
    results.machine.postgres = (await probe.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '';
    await probe.end();
    say(`scratch database ${scratch.name} migrated and seeded (PostgreSQL ${results.machine.postgres})`);
    if (!SKIP.has('roundtrips')) {
      results.roundTrips = await countRoundTrips(database);
      say(`round trips counted for ${results.roundTrips.length} routes`);
    }
    await database.close();
  }
  if (!SKIP.has('load') && scratch) {
    results.loads = await runLoads({ url: scratch.url, seconds: SECONDS, connections: RATIO_CONNECTIONS, drivers: QUICK ? ['node-postgres', 'neon'] : ['node-postgres', 'neon', 'pglite'], say });
    say('\n' + budgetTable(serverRows(results.loads), '## Server budgets').join('\n'));
  }
  if (!SKIP.has('cold') && scratch) results.cold = await runColdStarts(scratch.url, QUICK ? 1 : 3, say, cleanups);
  if (!SKIP.has('county')) {
    const members = Number(process.env.COUNTY_MEMBERS ?? (QUICK ? 3_000 : 30_000));
    say(`county: generating ${members.toLocaleString()} members in 20 townships, a year of study and organizational life …`);
    // 40 runs, so the p95 is the second-worst time rather than the single worst (with 15 it was the maximum).
    results.county = await runCounty({ members, runs: QUICK ? 5 : 40, log: say });
    say('\n' + budgetTable(countyRows(results.county), '## County budgets').join('\n'));
  }
  if (!SKIP.has('client')) {
    results.client = await runClientBudgets(say, QUICK ? 1 : 3);
    say('\n' + budgetTable(clientRows(results.client), '## Client budgets').join('\n'));
  }
} finally {
  for (const c of cleanups.reverse()) await c().catch((err: Error) => console.error(`cleanup: ${err.message}`));
}

results.machine.loadAtEnd = os.loadavg().map((n) => round(n, 2));
results.totalSeconds = round((performance.now() - startedAt) / 1000, 0);
const markdown = renderMarkdown(results);
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', `${stamp}.json`), JSON.stringify(results, null, 2));
writeFileSync(path.join(ROOT, 'bench-results', `${stamp}.md`), markdown);
console.log(`\n${markdown}`);
console.log(`(written: bench-results/${stamp}.json and .md; ${results.totalSeconds} s in all)`);
if (process.argv.includes('--write-readme')) {
  writeReadme(results);
  console.log('README.md: 性能 results rewritten from this run');
}
process.exit(0);
