/**
 * `npm run bench`: the whole performance suite in one run (about 8 minutes on a
 * 2-core machine). Prints figures, never passes or fails on time.
 *
 *  1. round trips: SQL statements per request of every route (statementCounter, in-process);
 *  2. ceiling ratio: autocannon (its own process, loopback, 2 s per point) at 1, 10 and 100
 *     connections against (a) a bare Node server, (b) raw node-postgres running the app's
 *     check-in and study-me SQL, (c) the app's hot routes on node-postgres, Neon (through a
 *     local WebSocket proxy) and PGlite;
 *  3. cold start of the API entry (api/index.ts `{ fetch }`) per driver, with tsx and as an
 *     esbuild bundle under plain node; the bundle's size and whether exceljs stays lazy;
 *  4. county scale (bench/county.ts): 30,000 members, a year of study, latency and plans;
 *  5. mini-program weight: weapp main package and total, H5 first-load JS;
 *  6. client budgets (bench/client.ts): H5 first screen bytes and first content time on an emulated
 *     1.6 Mbit/s + 150 ms link, weapp main package and subpackages, each against its budget.
 *
 * `npm run bench -- --client-only` runs 5 and 6 alone (no database server, no load: about a minute
 * once dist/h5 and dist/weapp are built).
 *
 * Writes bench-results/<timestamp>.json and .md (git-ignored) and prints the Markdown.
 *   BENCH_SECONDS=2 (per load point)  BENCH_SKIP=load,cold,county,miniapp  COUNTY_MEMBERS=30000
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApp } from '../api/_app/app.js';
import { AdjustableClock } from '../api/_app/clock.js';
import { loadConfig } from '../api/_app/config.js';
import { silentLogger } from '../api/_app/log.js';
import { routes } from '../api/_routes.js';
import { openDatabase, statementCounter } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedDemoIfEmpty } from '../db/seed/index.js';
import { TEST_NOW } from '../tests/helpers/constants.js';
import { startNeonProxy } from '../tests/helpers/neon-proxy.js';
import { clientBudgetTable, runClientBudgets, type ClientResult } from './client.js';
import { runCounty, type CountyResult } from './county.js';
import { median, ROOT, round, runLoad, scratchDatabase, startChildServer, type ChildServer, type LoadResult } from './lib.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONCURRENCY = [1, 10, 100];
const CLIENT_ONLY = process.argv.includes('--client-only');
const SKIP = new Set([...(process.env.BENCH_SKIP ?? '').split(',').filter(Boolean), ...(CLIENT_ONLY ? ['roundtrips', 'load', 'cold', 'county'] : [])]);
const startedAt = performance.now();
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const elapsed = () => `${((performance.now() - startedAt) / 1000).toFixed(0)} s`;
const say = (line: string) => console.log(`[bench ${elapsed()}] ${line}`);

const config = loadConfig({ APP_ENV: 'development' });
const keys = { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey };
const CHECKIN_BODY = JSON.stringify({ way: '平台自主学', topic: '学习党的二十大报告', minutes: 1 });

interface LoadPoint extends LoadResult {
  target: string;
  driver: string;
  route: string;
  connections: number;
}

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? '',
  memoryGb: round(os.totalmem() / 2 ** 30, 1),
  node: process.version,
  platform: `${os.type()} ${os.release()}`,
  loadAtStart: os.loadavg().map((n) => round(n, 2)),
  loadAtEnd: [] as number[],
  postgres: '',
};

const results: {
  startedAt: string;
  machine: typeof machine;
  seconds: number;
  roundTrips: { route: string; role: string; status: number; statements: number }[];
  loads: LoadPoint[];
  coldStart: { driver: string; runner: string; firstAnswerMs: number; runs: number[] }[];
  bundle?: { bytes: number; gzipBytes: number; entryInputs: number; excelLazy: boolean; excelInEntry: boolean; heavyInEntry: string[] };
  county?: CountyResult;
  client?: ClientResult;
  miniapp?: { weappMain: number; weappTotal: number; subpackages: Record<string, number>; h5FirstLoadJs: number; h5FirstLoadFiles: string[]; h5TotalJs: number };
  totalSeconds: number;
} = { startedAt: new Date().toISOString(), machine, seconds: SECONDS, roundTrips: [], loads: [], coldStart: [], totalSeconds: 0 };

// ------------------------------------------------------------------ a scratch database, migrated and seeded
const scratchDb = SKIP.has('roundtrips') ? null : await scratchDatabase('bench_run');
const cleanups: (() => Promise<void>)[] = scratchDb ? [() => scratchDb.drop()] : [];
/** The scratch database; the parts that use it do not run with --client-only. */
const scratch = { get url() { return scratchDb!.url; }, get name() { return scratchDb!.name; } };
try {
  if (scratchDb) {
    const database = await openDatabase({ url: scratch.url, driver: 'node-postgres', poolMax: 4 });
    await migrateDatabase(database);
    await seedDemoIfEmpty(database.db, keys, new Date(TEST_NOW));
    const probe = new pg.Client({ connectionString: scratch.url });
    await probe.connect();
    const version = (await probe.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '';
    await probe.end();
    machine.postgres = version;
    say(`scratch database ${scratch.name} migrated and seeded (PostgreSQL ${version})`);

    // ---------------------------------------------------------------- 1. round trips per route
    results.roundTrips = await countRoundTrips(database);
    await database.close();
  }

  // ------------------------------------------------------------------ 2. ceiling ratio
  if (!SKIP.has('load')) await loads();

  // ------------------------------------------------------------------ 3. cold start and bundle
  if (!SKIP.has('cold')) await coldStarts();

  // ------------------------------------------------------------------ 4. county scale
  if (!SKIP.has('county')) {
    say('county: generating 30,000 members and a year of study …');
    results.county = await runCounty({
      members: Number(process.env.COUNTY_MEMBERS ?? 30_000),
      runs: 15,
      printPlans: true,
      log: (line) => say(line),
    });
  }

  // ------------------------------------------------------------------ 5. mini-program weight
  if (!SKIP.has('miniapp')) await miniappWeight();

  // ------------------------------------------------------------------ 6. client budgets
  if (!SKIP.has('client')) results.client = await runClientBudgets((line) => say(line));
} finally {
  for (const c of cleanups.reverse()) await c().catch((err: Error) => console.error(`cleanup: ${err.message}`));
}

machine.loadAtEnd = os.loadavg().map((n) => round(n, 2));
results.totalSeconds = round((performance.now() - startedAt) / 1000, 0);
const markdown = renderMarkdown();
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench-results', `${stamp}.json`), JSON.stringify(results, null, 2));
writeFileSync(path.join(ROOT, 'bench-results', `${stamp}.md`), markdown);
console.log(`\n${markdown}`);
console.log(`(written: bench-results/${stamp}.json and .md; ${results.totalSeconds} s in all)`);
process.exit(0);

// ==================================================================== parts

async function countRoundTrips(database: Awaited<ReturnType<typeof openDatabase>>) {
  const app = createApp(
    { database, config: loadConfig({ APP_ENV: 'test', LOGIN_RATE_LIMIT: '1000000' }), clock: new AdjustableClock(TEST_NOW), wechat: { code2session: () => Promise.reject(new Error('unused')) }, logger: silentLogger },
    routes,
  );
  const call = async (method: string, urlPath: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.fetch(
      new Request(`http://bench.local${urlPath}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const login = async (role: string) => (await call('POST', '/api/auth/dev', undefined, { role })).json?.token as string;
  const tokens: Record<string, string> = { member: await login('member'), secretary: await login('secretary'), staff: await login('staff') };
  const secretaryBranch = ((await call('GET', '/api/me', tokens.secretary)).json as { account?: { organization?: { id: number } } } | null)?.account?.organization?.id;
  const queries: Record<string, string> = {
    '/api/registrations': '?status=pending',
    '/api/commendations': '?year=2026',
    '/api/commendations/export': '?year=2026',
    '/api/commendation-campaigns': '?year=2026',
    '/api/commendation-targets': '?year=2026',
    '/api/birthdays': '?month=2026-06',
    '/api/birthdays/medal-eligible': '?year=2026',
    '/api/transfers/ledger': '?year=2026',
  };
  // As whom each read is counted: the heaviest caller allowed (staff over secretary over member), the inbox as a secretary.
  const asRole: Record<string, string> = { '/api/transfers': 'secretary', '/api/dashboard': 'staff', '/api/me': 'member', '/api/study/me': 'member', '/api/birthdays/me': 'member', '/api/registrations/mine': 'member' };
  const roleFor = (p: string, access: string | string[]) => {
    if (asRole[p]) return asRole[p]!;
    const list = Array.isArray(access) ? access : [access];
    if (list.includes('public')) return '';
    if (list.includes('staff')) return 'staff';
    if (list.includes('officer')) return 'secretary';
    return list.includes('authenticated') && !list.includes('member') ? 'staff' : 'member';
  };
  const out: { route: string; role: string; status: number; statements: number }[] = [];
  const probe = async (label: string, role: string, method: string, urlPath: string, body?: unknown, headers?: Record<string, string>) => {
    const { result, statements } = await statementCounter.measure(() => call(method, urlPath, role ? tokens[role] : undefined, body, headers));
    out.push({ route: label, role: role || 'public', status: result.status, statements });
  };
  await probe('POST /api/study/checkins', 'member', 'POST', '/api/study/checkins', JSON.parse(CHECKIN_BODY), { 'idempotency-key': 'bench-round-trip' });
  await probe('POST /api/study/checkins (replay)', 'member', 'POST', '/api/study/checkins', JSON.parse(CHECKIN_BODY), { 'idempotency-key': 'bench-round-trip' });
  if (secretaryBranch) await probe('GET /api/study/organizations/:id/day', 'secretary', 'GET', `/api/study/organizations/${secretaryBranch}/day`);
  await probe('GET /api/dashboard (secretary)', 'secretary', 'GET', '/api/dashboard');
  for (const r of routes) {
    const { method, path: p, access } = r.endpoint as { method: string; path: string; access: string | string[] };
    if (method !== 'GET' || p.includes(':') || access === 'cron') continue;
    await probe(`GET ${p}`, roleFor(p, access), 'GET', `${p}${queries[p] ?? ''}`);
  }
  say(`round trips counted for ${out.length} routes`);
  return out;
}

async function loads() {
  const point = async (target: string, driver: string, route: string, connections: number, spec: Parameters<typeof runLoad>[0]) => {
    const r = await runLoad(spec);
    results.loads.push({ target, driver, route, connections, ...r });
    const codes = Object.entries(r.statusCodes).map(([c, n]) => `${c}×${n}`).join(' ');
    say(`${target.padEnd(8)} ${driver.padEnd(13)} ${route.padEnd(24)} c=${String(connections).padEnd(3)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ${codes}`);
  };

  // (a) the ceiling
  const ceiling = await startChildServer('bench/servers/ceiling.ts');
  for (const c of CONCURRENCY) await point('ceiling', '-', 'fixed JSON', c, { url: `${ceiling.url}/`, method: 'GET', connections: c, durationSeconds: SECONDS });
  await ceiling.stop();

  // Who may check in: every seeded account with a member record, per driver logged in through the app.
  const admin = new pg.Client({ connectionString: scratch.url });
  await admin.connect();
  const people = (await admin.query<{ account_id: number; member_id: number; role: string }>(
    `select a.id as account_id, a.member_id, a.role from accounts a join members m on m.id = a.member_id and m.status = 'active'
     where a.is_demo = 1 and a.role = 'member' order by a.id`,
  )).rows;
  await admin.end();
  say(`${people.length} seeded member accounts share the check-in load (60 one-minute check-ins each per day; the app's clock moves a day per run)`);

  // (b) raw node-postgres, same SQL
  const raw = await startChildServer('bench/servers/raw-pg.ts', { DATABASE_URL: scratch.url });
  let rawDay = 0;
  for (const c of CONCURRENCY) {
    const day = new Date(Date.parse('2027-01-01T00:00:00Z') + rawDay++ * 86_400_000).toISOString().slice(0, 10);
    const headerSets = people.map((p) => ({ 'x-member-id': String(p.member_id), 'x-account-id': String(p.account_id), 'x-day': day }));
    await point('raw-pg', 'node-postgres', 'POST check-in', c, {
      url: `${raw.url}/checkin`, method: 'POST', headers: { 'content-type': 'application/json' }, body: CHECKIN_BODY, connections: c, durationSeconds: SECONDS, uniqueIdempotencyKey: true, headerSets,
    });
  }
  for (const c of CONCURRENCY) {
    const headerSets = people.map((p) => ({ 'x-member-id': String(p.member_id), 'x-account-id': String(p.account_id), 'x-day': '2026-06-15' }));
    await point('raw-pg', 'node-postgres', 'GET study/me', c, { url: `${raw.url}/me`, method: 'GET', connections: c, durationSeconds: SECONDS, headerSets });
  }
  await raw.stop();

  // (c) the app, per driver. Each driver's clock starts on another day so their check-in caps do not collide.
  const drivers: { driver: string; env: Record<string, string>; startDay: number }[] = [
    { driver: 'node-postgres', env: { BENCH_DRIVER: 'node-postgres', DATABASE_URL: scratch.url }, startDay: 0 },
    { driver: 'neon', env: { BENCH_DRIVER: 'neon', DATABASE_URL: scratch.url }, startDay: 40 },
    { driver: 'pglite', env: { BENCH_DRIVER: 'pglite' }, startDay: 0 },
  ];
  for (const d of drivers) {
    const appNow = new Date(Date.parse(TEST_NOW) + d.startDay * 86_400_000).toISOString();
    const server: ChildServer = await startChildServer('bench/servers/project.ts', { ...d.env, APP_NOW: appNow });
    try {
      const post = async (p: string, body: unknown, token?: string) => {
        const res = await fetch(`${server.url}${p}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
        return (await res.json()) as Record<string, unknown>;
      };
      const accounts = ((await (await fetch(`${server.url}/api/auth/dev/accounts`)).json()) as { accounts: { accountId: number; role: string }[] }).accounts;
      const login = async (role: string, accountId: number) => (await post('/api/auth/dev', { role, accountId })).token as string;
      // Active members only (the seed has members who transferred out: their check-ins are refused, rightly).
      const activeAccounts = new Set(people.map((p) => p.account_id));
      const memberAccounts = accounts.filter((x) => x.role === 'member' && activeAccounts.has(x.accountId));
      // Tokens are signed at the app's (moving) clock: log in again after each move.
      const memberHeaders = async () => {
        const sets: Record<string, string>[] = [];
        for (const a of memberAccounts) sets.push({ authorization: `Bearer ${await login('member', a.accountId)}` });
        return sets;
      };
      const base = { connections: 1, durationSeconds: SECONDS };
      for (const c of CONCURRENCY) {
        await post('/api/dev/clock', { advanceMinutes: 1440 }); // a new day: every member's 60-minute self-report cap is fresh
        await point('app', d.driver, 'POST check-in', c, {
          ...base, connections: c, url: `${server.url}/api/study/checkins`, method: 'POST', headers: { 'content-type': 'application/json' }, body: CHECKIN_BODY, uniqueIdempotencyKey: true, headerSets: await memberHeaders(),
        });
      }
      const asMembers = await memberHeaders();
      const secretaryToken = await login('secretary', accounts.find((a) => a.role === 'secretary')!.accountId);
      const staffToken = await login('staff', accounts.find((a) => a.role === 'staff')!.accountId);
      const reads: [string, string, Record<string, string>[]][] = [
        ['GET study/me', '/api/study/me', asMembers],
        ['GET birthdays/me', '/api/birthdays/me', asMembers],
        ['GET transfers (secretary)', '/api/transfers', [{ authorization: `Bearer ${secretaryToken}` }]],
        ['GET dashboard (staff)', '/api/dashboard', [{ authorization: `Bearer ${staffToken}` }]],
      ];
      for (const [label, p, headerSets] of reads) {
        for (const c of CONCURRENCY) await point('app', d.driver, label, c, { ...base, connections: c, url: `${server.url}${p}`, method: 'GET', headerSets });
      }
    } finally {
      await server.stop();
    }
  }
}

/** Spawns a fresh process and times it to its first answered request (wall clock, spawn to answer). */
function timeFirstAnswer(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (/ANSWERED \d+/.test(out)) {
        const ms = performance.now() - t0;
        child.kill('SIGKILL');
        resolve(ms);
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => {
      if (!/ANSWERED/.test(out)) reject(new Error(`cold start child exited ${code}: ${err.slice(-500)}`));
    });
  });
}

async function coldStarts() {
  const { build } = await import('esbuild');
  const outdir = path.join(ROOT, 'bench-results', '.bundle');
  rmSync(outdir, { recursive: true, force: true });
  // The entry as one ESM file, drivers' native and WASM parts left to node_modules; lazy imports split off.
  const built = await build({
    entryPoints: { index: path.join(ROOT, 'api/index.ts'), probe: path.join(ROOT, 'bench/cold-probe.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    outdir,
    metafile: true,
    logLevel: 'silent',
    external: ['@electric-sql/pglite', 'pg-native', 'bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const outputs = built.metafile.outputs;
  const entryKey = Object.keys(outputs).find((k) => outputs[k]!.entryPoint?.endsWith('api/index.ts'))!;
  // Everything the entry loads eagerly: the entry file and the chunks it imports statically.
  const eager = new Set<string>();
  const walk = (k: string) => {
    if (eager.has(k)) return;
    eager.add(k);
    for (const imp of outputs[k]!.imports) if (imp.kind === 'import-statement' && outputs[imp.path]) walk(imp.path);
  };
  walk(entryKey);
  const eagerInputs = new Set([...eager].flatMap((k) => Object.keys(outputs[k]!.inputs)));
  const bytes = [...eager].reduce((n, k) => n + outputs[k]!.bytes, 0);
  const { gzipSync } = await import('node:zlib');
  const gzipBytes = [...eager].reduce((n, k) => n + gzipSync(readFileSync(path.join(ROOT, k))).length, 0);
  const allInputs = new Set(Object.values(outputs).flatMap((o) => Object.keys(o.inputs)));
  const pkgOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  const packageBytes = new Map<string, number>();
  for (const k of eager) for (const [input, info] of Object.entries(outputs[k]!.inputs)) {
    const pkg = pkgOf(input);
    if (pkg) packageBytes.set(pkg, (packageBytes.get(pkg) ?? 0) + info.bytesInOutput);
  }
  const heavyInEntry = [...packageBytes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([p, b]) => `${p} ${round(b / 1024)} KB`);
  const excelInEntry = [...eagerInputs].some((i) => i.includes('node_modules/exceljs'));
  results.bundle = {
    bytes,
    gzipBytes,
    entryInputs: eagerInputs.size,
    excelLazy: !excelInEntry && [...allInputs].some((i) => i.includes('node_modules/exceljs')),
    excelInEntry,
    heavyInEntry,
  };
  say(`bundle: ${round(bytes / 1024)} KB minified (${round(gzipBytes / 1024)} KB gzip) loaded at start; exceljs ${excelInEntry ? 'IN the entry (eager!)' : 'in a lazy chunk only'}; largest: ${heavyInEntry.join(', ')}`);

  // The PGlite cold start reopens a migrated folder, as a deployed instance with a data folder would.
  const pgliteDir = mkdtempSync(path.join(os.tmpdir(), 'bench-pglite-'));
  cleanups.push(async () => rmSync(pgliteDir, { recursive: true, force: true }));
  {
    const db = await openDatabase({ driver: 'pglite', dataDir: pgliteDir });
    await migrateDatabase(db);
    await db.close();
  }
  const proxy = await startNeonProxy();
  cleanups.push(() => proxy.close());
  const driverEnv: Record<string, Record<string, string>> = {
    'node-postgres': { DATABASE_URL: scratch.url, DB_DRIVER: 'node-postgres' },
    neon: { DATABASE_URL: scratch.url, DB_DRIVER: 'neon', NEON_WS_PROXY: proxy.address },
    pglite: { PGLITE_DATA_DIR: pgliteDir, DB_DRIVER: 'pglite' },
  };
  const runners: [string, string[]][] = [
    ['tsx', ['--import', 'tsx', path.join(ROOT, 'bench/cold-probe.ts')]],
    ['node (bundle)', [path.join(ROOT, entryKey.replace(/index\.js$/, 'probe.js'))]],
  ];
  for (const [driver, env] of Object.entries(driverEnv)) {
    for (const [runner, args] of runners) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push(round(await timeFirstAnswer(args, { APP_ENV: 'development', ...env })));
      results.coldStart.push({ driver, runner, firstAnswerMs: round(median(runs)), runs });
      say(`cold start ${driver.padEnd(13)} ${runner.padEnd(14)} ${round(median(runs))} ms (runs ${runs.join(', ')})`);
    }
  }
}

async function miniappWeight() {
  const weappDir = path.join(ROOT, 'miniapp/dist/weapp');
  const h5Dir = path.join(ROOT, 'miniapp/dist/h5');
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(path.join(weappDir, 'app.json'))) {
    say('building the weapp (npm run build:weapp) …');
    run('npm', ['run', 'build:weapp']);
  }
  if (!existsSync(path.join(h5Dir, 'index.html'))) {
    say('building H5 under /tmp/h5.lock …');
    run('flock', ['/tmp/h5.lock', 'npm', 'run', 'build:h5']);
  }
  const { measure } = (await import(path.join(ROOT, 'miniapp/scripts/size-report.mjs'))) as {
    measure(dir?: string): { main: number; total: number; subpackages: Record<string, number> };
  };
  const weapp = measure(weappDir);
  // H5 first load: the scripts index.html names (the entry and its initial chunks); page chunks load later.
  const html = readFileSync(path.join(h5Dir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((m) => m[1]!.replace(/^\.?\//, '').replace(/^https?:\/\/[^/]+\//, ''));
  const firstLoad = scripts.map((s) => path.join(h5Dir, s)).filter((f) => existsSync(f));
  const h5FirstLoadJs = firstLoad.reduce((n, f) => n + statSync(f).size, 0);
  const allJs = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allJs(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));
  const h5TotalJs = allJs(h5Dir).reduce((n, f) => n + statSync(f).size, 0);
  results.miniapp = {
    weappMain: weapp.main,
    weappTotal: weapp.total,
    subpackages: weapp.subpackages,
    h5FirstLoadJs,
    h5FirstLoadFiles: firstLoad.map((f) => path.relative(h5Dir, f)),
    h5TotalJs,
  };
  say(`weapp main ${round(weapp.main / 1024)} KB, total ${round(weapp.total / 1024)} KB; H5 first-load JS ${round(h5FirstLoadJs / 1024)} KB (${firstLoad.length} files), all JS ${round(h5TotalJs / 1024)} KB`);
}

function renderMarkdown(): string {
  const kb = (b: number) => `${round(b / 1024)} KB`;
  const lines: string[] = [];
  const m = results.machine;
  lines.push(`# 性能基准 ${results.startedAt}`, '');
  lines.push(`Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.postgres}, load average ${m.loadAtStart.join(' / ')} at start, ${m.loadAtEnd.join(' / ')} at end; ${results.seconds} s per load point; whole run ${results.totalSeconds} s.`, '');

  if (results.loads.length) {
    lines.push('## Throughput (autocannon, loopback)', '');
    lines.push('| target | driver | route | conn | req/s | p50 ms | p99 ms | answers | × (a) | × (b) |', '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
    const ceilingAt = (c: number) => results.loads.find((l) => l.target === 'ceiling' && l.connections === c)?.requestsPerSecond ?? NaN;
    const rawAt = (route: string, c: number) =>
      results.loads.find((l) => l.target === 'raw-pg' && l.connections === c && l.route === (route === 'POST check-in' ? 'POST check-in' : 'GET study/me'))?.requestsPerSecond ?? NaN;
    for (const l of results.loads) {
      const answers = Object.entries(l.statusCodes).map(([c, n]) => `${c}×${n}`).join(' ') + (l.errors ? ` err×${l.errors}` : '') + (l.timeouts ? ` timeout×${l.timeouts}` : '');
      const a = l.requestsPerSecond / ceilingAt(l.connections);
      const b = l.target === 'ceiling' ? NaN : l.requestsPerSecond / rawAt(l.route, l.connections);
      lines.push(`| ${l.target} | ${l.driver} | ${l.route} | ${l.connections} | ${Math.round(l.requestsPerSecond)} | ${l.p50} | ${l.p99} | ${answers} | ${a.toFixed(3)} | ${Number.isNaN(b) ? '' : b.toFixed(2)} |`);
    }
    lines.push('', '(a) = bare Node server with a fixed JSON body; (b) = raw node-postgres running the same SQL (check-in rows compare with the raw check-in, reads with the raw study-me read). Check-ins are 1 minute each, spread over the seeded members, each with a fresh Idempotency-Key: 201 = credited, 422 = refused by the 60-minute daily self-report cap.', '');
  }

  if (results.roundTrips.length) {
    lines.push('## Round trips (SQL statements per request, auth included)', '');
    lines.push('| route | as | status | statements |', '| --- | --- | ---: | ---: |');
    for (const r of results.roundTrips) lines.push(`| ${r.route} | ${r.role} | ${r.status} | ${r.statements} |`);
    lines.push('');
  }

  if (results.coldStart.length) {
    lines.push('## Cold start (fresh process → first answered request of api/index.ts, median of 3)', '');
    lines.push('| driver | runner | ms |', '| --- | --- | ---: |');
    for (const c of results.coldStart) lines.push(`| ${c.driver} | ${c.runner} | ${c.firstAnswerMs} |`);
    const b = results.bundle;
    if (b) {
      lines.push('', `Bundled function (esbuild, minified, loaded at start): ${kb(b.bytes)} (${kb(b.gzipBytes)} gzip), ${b.entryInputs} modules. exceljs: ${b.excelInEntry ? '**in the start-up bundle**' : 'lazy (own chunk, loaded by the export/import handlers only)'}. Largest packages at start: ${b.heavyInEntry.join(', ')}.`);
    }
    lines.push('');
  }

  if (results.county) {
    const c = results.county;
    lines.push(`## County scale (${c.members.toLocaleString()} members, ${c.townships} townships, ${c.branches} branches, ${c.studyDayRows.toLocaleString()} member-days, ${c.transfers} transfers, ${c.commendations} commendations; generated in ${c.setupSeconds} s)`, '');
    lines.push(`Through the app in-process, node-postgres, one township of ${c.townshipMembers} members:`, '');
    lines.push('| read | median ms | p95 ms | statements |', '| --- | ---: | ---: | ---: |');
    for (const t of c.timings) lines.push(`| ${t.label} | ${t.medianMs} | ${t.p95Ms} | ${t.statements} |`);
    lines.push('', '| plan (EXPLAIN ANALYZE, server side) | execution ms | planning ms |', '| --- | ---: | ---: |');
    for (const p of c.plans) lines.push(`| ${p.label} | ${p.executionMs} | ${p.planningMs} |`);
    for (const p of c.plans) lines.push('', `<details><summary>EXPLAIN (ANALYZE, BUFFERS): ${p.label}</summary>`, '', '```', p.plan, '```', '</details>');
    lines.push('');
  }

  if (results.client) lines.push(...clientBudgetTable(results.client));

  if (results.miniapp) {
    const w = results.miniapp;
    lines.push('## Mini-program weight', '');
    lines.push(`weapp main package ${kb(w.weappMain)} (WeChat limit 2048 KB), total ${kb(w.weappTotal)}; subpackages: ${Object.entries(w.subpackages).map(([k, v]) => `${k} ${kb(v)}`).join(', ')}.`);
    lines.push(`H5 first-load JS ${kb(w.h5FirstLoadJs)} (${w.h5FirstLoadFiles.join(', ')}), all H5 JS ${kb(w.h5TotalJs)}.`, '');
  }
  return lines.join('\n');
}
