/**
 * The ceiling ratio (issue 23.3): autocannon in its own process, loopback, against (a) a bare Node
 * server, (b) the raw node-postgres server replaying the app's own statements per route
 * (bench/replay.ts), (c) the app's hot routes on node-postgres, Neon (through a local WebSocket
 * proxy in its own process, standing in for Neon's) and PGlite. Every app point has its raw twin at the same connections in the same run.
 */
import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import pg from 'pg';
import { TEST_NOW } from '../tests/helpers/constants.js';
import { SELF_REPORT_DAILY_CAP_MINUTES } from '../shared/study/rules.js';
import { evenAmount, runLoad, runLoadInAllowances, startChildServer, type ChildServer, type LoadResult, type LoadSpec } from './lib.js';
import { captureReplays, CHECKIN_BODY, HOT_ROUTES, replayFileIn, type Caller, type HotRoute } from './replay.js';

export interface LoadPoint extends LoadResult {
  target: 'ceiling' | 'raw-pg' | 'app';
  driver: string;
  route: string;
  connections: number;
  /** The server process's CPU time (user + system) per answered request, µs: unlike req/s, hardly moved by other load on the machine. */
  serverCpuUsPerRequest?: number;
}

/** A process's CPU time so far in µs (Linux /proc; undefined elsewhere). */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th, in clock ticks.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS;
}
/** USER_HZ: 100 on Linux. */
const CLOCK_TICKS = 100;

/** A bench check-in reports one minute; this many fit under a member's daily cap, with room to spare. */
const CHECKINS_PER_MEMBER_DAY = Math.floor((SELF_REPORT_DAILY_CAP_MINUTES / (JSON.parse(CHECKIN_BODY) as { minutes: number }).minutes) * 0.95);

export interface LoadOptions {
  url: string;
  seconds: number;
  connections: number[];
  /** Drivers the app runs on; PGlite (single connection, development only) is measured at the first concurrency alone. */
  drivers: ('node-postgres' | 'neon' | 'pglite')[];
  say: (line: string) => void;
}

export async function runLoads(o: LoadOptions): Promise<LoadPoint[]> {
  const points: LoadPoint[] = [];
  const point = async (target: LoadPoint['target'], driver: string, route: string, connections: number, load: () => Promise<LoadResult>, server?: ChildServer) => {
    const cpuBefore = cpuMicros(server?.process.pid);
    const r = await load();
    const cpuAfter = cpuMicros(server?.process.pid);
    const serverCpuUsPerRequest = cpuBefore !== undefined && cpuAfter !== undefined && r.total > 0 ? Math.round((cpuAfter - cpuBefore) / r.total) : undefined;
    points.push({ target, driver, route, connections, ...r, ...(serverCpuUsPerRequest !== undefined ? { serverCpuUsPerRequest } : {}) });
    const codes = Object.entries(r.statusCodes).map(([c, n]) => `${c}×${n}`).join(' ');
    const cpu = serverCpuUsPerRequest !== undefined ? `  cpu ${serverCpuUsPerRequest} µs/req` : '';
    o.say(`${target.padEnd(8)} ${driver.padEnd(13)} ${route.padEnd(26)} c=${String(connections).padEnd(3)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${cpu}  ${codes}`);
  };
  const base = { durationSeconds: o.seconds };

  // (a) the ceiling
  const ceiling = await startChildServer('bench/servers/ceiling.ts');
  for (const c of o.connections) await point('ceiling', '-', 'fixed JSON', c, () => runLoad({ ...base, url: `${ceiling.url}/`, method: 'GET', connections: c }), ceiling);
  await ceiling.stop();

  // Who calls: every seeded member account with an active member record, one secretary, one staff.
  const admin = new pg.Client({ connectionString: o.url });
  await admin.connect();
  const people = (await admin.query<{ account_id: number; role: Caller['role'] }>(
    `select a.id as account_id, a.role from accounts a left join members m on m.id = a.member_id
     where a.is_demo = 1 and ((a.role = 'member' and m.status = 'active') or a.role in ('secretary', 'staff')) order by a.id`,
  )).rows;
  await admin.end();
  const members = people.filter((p) => p.role === 'member');
  const callers: Caller[] = [...members, people.find((p) => p.role === 'secretary')!, people.find((p) => p.role === 'staff')!].map((p) => ({ accountId: p.account_id, role: p.role }));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-replay-'));
  try {
    await captureReplays(o.url, callers, replayFileIn(tmp));
    o.say(`${members.length} seeded member accounts share the member routes (a check-in run moves the clock a day whenever the members near their 60-minute daily cap, so every check-in is a new submission under it); raw SQL captured from the app`);

    // (b) raw node-postgres replaying the app's statements, and (c) the app on each driver, all up at once: each
    // app point runs right after its raw twin, so a change in the machine's load (other work on a shared
    // machine) moves both sides of a ratio alike instead of one. Each driver's clock starts on another day so
    // their check-in caps do not collide.
    const raw = await startChildServer('bench/servers/raw-pg.ts', { DATABASE_URL: o.url, BENCH_REPLAY: replayFileIn(tmp) });
    const apps: { driver: string; server: ChildServer; proxy?: ChildServer; connections: number[]; jobs: AppJobs }[] = [];
    try {
      for (const [i, driver] of o.drivers.entries()) {
        const appNow = new Date(Date.parse(TEST_NOW) + i * 40 * 86_400_000).toISOString();
        const env: Record<string, string> = driver === 'pglite' ? { BENCH_DRIVER: driver } : { BENCH_DRIVER: driver, DATABASE_URL: o.url };
        const proxy = driver === 'neon' ? await startChildServer('bench/servers/neon-proxy.ts') : undefined;
        if (proxy) env.NEON_WS_PROXY = `${new URL(proxy.url).host}/v2`;
        const server = await startChildServer('bench/servers/project.ts', { ...env, APP_NOW: appNow });
        apps.push({ driver, server, proxy, connections: driver === 'pglite' ? o.connections.slice(0, 1) : o.connections, jobs: await appJobs(server, driver, new Set(members.map((m) => m.account_id))) });
      }
      const sets = (r: HotRoute) => (r.as === 'member' ? members : [0]).map((_, i) => ({ 'x-set': String(i) }));
      let rawDay = 0;
      const nextRawDay = () => new Date(Date.parse('2027-01-01T00:00:00Z') + rawDay++ * 86_400_000).toISOString().slice(0, 10);
      for (const r of HOT_ROUTES) {
        for (const c of o.connections) {
          const rawSpec = (day: string): LoadSpec => ({
            ...base, connections: c, url: `${raw.url}/replay/${r.name}`, method: r.method, headers: { 'content-type': 'application/json' },
            ...(r.method === 'POST' ? { body: CHECKIN_BODY, uniqueIdempotencyKey: true } : {}),
            headerSets: sets(r).map((h) => ({ ...h, 'x-day': day })),
          });
          if (r.method === 'POST') {
            // Every check-in a new submission under its member's daily cap, on both sides (runLoadInAllowances).
            const allowance = evenAmount(members.length * CHECKINS_PER_MEMBER_DAY, c, members.length);
            await point('raw-pg', 'node-postgres', r.label, c, () => runLoadInAllowances(rawSpec(''), allowance, async () => rawSpec(nextRawDay())), raw);
            for (const app of apps.filter((a) => a.connections.includes(c))) {
              await point('app', app.driver, r.label, c, () => runLoadInAllowances({ ...base, connections: c, url: '', method: 'POST' }, allowance, () => app.jobs(r)), app.server);
            }
            continue;
          }
          await point('raw-pg', 'node-postgres', r.label, c, () => runLoad(rawSpec(nextRawDay())), raw);
          for (const app of apps.filter((a) => a.connections.includes(c))) await point('app', app.driver, r.label, c, async () => runLoad({ ...base, connections: c, ...(await app.jobs(r)) }), app.server);
        }
      }
    } finally {
      await raw.stop();
      for (const app of apps) {
        await app.server.stop();
        await app.proxy?.stop();
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return points;
}

type Spec = Omit<Parameters<typeof runLoad>[0], 'durationSeconds' | 'connections'>;
type AppJobs = (route: HotRoute) => Promise<Spec>;

/**
 * What a load point on the app sends for a route. A check-in point first moves the app's clock a day, so every
 * member's 60-minute self-report cap is fresh; tokens are signed at the app's (moving) clock, so the callers
 * log in again after each move.
 */
async function appJobs(server: ChildServer, driver: string, activeMembers: Set<number>): Promise<AppJobs> {
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
  const memberAccounts = accounts.filter((x) => x.role === 'member' && (driver === 'pglite' || activeMembers.has(x.accountId)));
  const headersAs = async (r: HotRoute) => {
    const chosen = r.as === 'member' ? memberAccounts : [accounts.find((a) => a.role === r.as)!];
    const out: Record<string, string>[] = [];
    for (const a of chosen) out.push({ authorization: `Bearer ${await login(r.as, a.accountId)}` });
    return out;
  };
  return async (r) => {
    if (r.method === 'POST') {
      await post('/api/dev/clock', { advanceMinutes: 1440 });
      return { url: `${server.url}${r.path}`, method: 'POST', headers: { 'content-type': 'application/json' }, body: CHECKIN_BODY, uniqueIdempotencyKey: true, headerSets: await headersAs(r) };
    }
    return { url: `${server.url}${r.path}`, method: 'GET', headerSets: await headersAs(r) };
  };
}
