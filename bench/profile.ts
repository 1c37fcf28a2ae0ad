/**
 * Where a hot route's time goes (issue 23.3): the project's server runs under `--cpu-prof` on a
 * seeded scratch database while autocannon loads one route; the profile's self time is then
 * summed by where the code lives (zod, jose, drizzle, pg, Node's fetch/Request/Response, the
 * app's own files, …) and the top functions are listed.
 *
 *   npx tsx bench/profile.ts [route]      route: study-me (default) | birthdays-me | check-in | dashboard | transfers
 *   PROFILE_SECONDS=5 PROFILE_CONNECTIONS=10 PROFILE_KEEP=1 (keep the .cpuprofile to open in Chrome DevTools)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedDemoIfEmpty } from '../db/seed/index.js';
import { TEST_NOW } from '../tests/helpers/constants.js';
import { runLoad, scratchDatabase, startChildServer } from './lib.js';
import { CHECKIN_BODY, HOT_ROUTES } from './replay.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

const routeName = process.argv[2] ?? 'study-me';
const route = HOT_ROUTES.find((r) => r.name === routeName);
if (!route) throw new Error(`unknown route ${routeName}: one of ${HOT_ROUTES.map((r) => r.name).join(', ')}`);
const seconds = Number(process.env.PROFILE_SECONDS ?? 5);
const connections = Number(process.env.PROFILE_CONNECTIONS ?? 10);

const scratch = await scratchDatabase('bench_profile');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
try {
  const config = loadConfig({ APP_ENV: 'development' });
  const database = await openDatabase({ url: scratch.url, driver: 'node-postgres', poolMax: 2 });
  await migrateDatabase(database);
  await seedDemoIfEmpty(database.db, { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey }, new Date(TEST_NOW));
  await database.close();
  const spawnedAt = performance.now();
  const server = await startChildServer('bench/servers/project.ts', {
    BENCH_DRIVER: 'node-postgres', DATABASE_URL: scratch.url, APP_NOW: TEST_NOW,
  }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const post = async (p: string, body: unknown) =>
    (await (await fetch(`${server.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
  const accounts = ((await (await fetch(`${server.url}/api/auth/dev/accounts`)).json()) as { accounts: { accountId: number; role: string }[] }).accounts;
  const headerSets: Record<string, string>[] = [];
  for (const a of accounts.filter((x) => x.role === route.as)) headerSets.push({ authorization: `Bearer ${(await post('/api/auth/dev', { role: a.role, accountId: a.accountId })).token as string}` });
  const write = route.method === 'POST';
  const loadAfterMs = performance.now() - spawnedAt;
  const result = await runLoad({
    url: `${server.url}${route.path}`, method: route.method, connections, durationSeconds: seconds, headerSets,
    headers: { 'content-type': 'application/json' }, ...(write ? { body: CHECKIN_BODY, uniqueIdempotencyKey: true } : {}),
  });
  await server.stop();
  console.log(`${route.label}: ${Math.round(result.requestsPerSecond)} req/s at ${connections} connections, ${result.total} requests, answers ${JSON.stringify(result.statusCodes)}`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  summarize(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Profile, result.total, loadAfterMs);
} finally {
  if (process.env.PROFILE_KEEP) console.log(`profile kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  await scratch.drop();
}
process.exit(0);

/** Where code lives, coarse enough to act on. */
function placeOf(url: string, fn: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg === 'tsx' || pkg === 'esbuild' ? 'tsx (loader)' : pkg;
  if (url.startsWith('node:internal/deps/undici') || /undici|webstreams|web\/|fetch/.test(url)) return 'node: undici/web streams (Request, Response, Headers)';
  if (url.startsWith('node:') || url === '') return fn === '(garbage collector)' ? 'GC' : fn === '(idle)' || fn === '(program)' ? fn : `node: ${url.replace(/^node:internal\//, '').split('/')[0] || 'native'}`;
  const rel = url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '');
  return `app: ${rel.split('/').slice(0, 2).join('/')}`;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time of the samples taken once the load began (start-up and module loading left out). */
function summarize(profile: Profile, requests: number, loadAfterMs: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  let t = 0;
  let total = 0;
  for (const [i, s] of profile.samples.entries()) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < loadAfterMs * 1000) continue;
    hits.set(s, (hits.get(s) ?? 0) + 1);
    total += 1;
  }
  const usPerSample = (profile.endTime - profile.startTime - loadAfterMs * 1000) / total;
  const places = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, n] of hits) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = placeOf(url, functionName);
    places.set(place, (places.get(place) ?? 0) + n);
    const key = `${functionName || '(anonymous)'}  ${url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + n);
  }
  const busy = total - (places.get('(idle)') ?? 0);
  console.log(`\nself time by place (of ${Math.round((busy * usPerSample) / 1000)} ms busy; ≈ µs per request):`);
  for (const [place, n] of [...places].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`  ${((100 * n) / total).toFixed(1).padStart(5)} %  ${String(Math.round((n * usPerSample) / requests)).padStart(6)} µs  ${place}`);
  }
  console.log('\ntop functions (self):');
  for (const [fn, n] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${((100 * n) / total).toFixed(1).padStart(5)} %  ${fn}`);
}
