/**
 * The ceiling ratio (issue 23.3): autocannon in its own process, loopback, against (a) a bare Node
 * server, (b) the raw node-postgres server replaying the app's own statements per route
 * (bench/replay.ts), (c) the app's hot routes on node-postgres, Neon (through a local WebSocket
 * proxy) and PGlite. Every app point has its raw twin at the same connections in the same run.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { TEST_NOW } from '../tests/helpers/constants.js';
import { runLoad, startChildServer, type ChildServer, type LoadResult } from './lib.js';
import { captureReplays, CHECKIN_BODY, HOT_ROUTES, replayFileIn, type Caller, type HotRoute } from './replay.js';

export interface LoadPoint extends LoadResult {
  target: 'ceiling' | 'raw-pg' | 'app';
  driver: string;
  route: string;
  connections: number;
}

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
  const point = async (target: LoadPoint['target'], driver: string, route: string, connections: number, spec: Parameters<typeof runLoad>[0]) => {
    const r = await runLoad(spec);
    points.push({ target, driver, route, connections, ...r });
    const codes = Object.entries(r.statusCodes).map(([c, n]) => `${c}×${n}`).join(' ');
    o.say(`${target.padEnd(8)} ${driver.padEnd(13)} ${route.padEnd(26)} c=${String(connections).padEnd(3)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ${codes}`);
  };
  const base = { durationSeconds: o.seconds };

  // (a) the ceiling
  const ceiling = await startChildServer('bench/servers/ceiling.ts');
  for (const c of o.connections) await point('ceiling', '-', 'fixed JSON', c, { ...base, url: `${ceiling.url}/`, method: 'GET', connections: c });
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
    o.say(`${members.length} seeded member accounts share the member routes (60 one-minute check-ins each per day; the clock moves a day per check-in run); raw SQL captured from the app`);

    // (b) raw node-postgres replaying the app's statements
    const raw = await startChildServer('bench/servers/raw-pg.ts', { DATABASE_URL: o.url, BENCH_REPLAY: replayFileIn(tmp) });
    const sets = (r: HotRoute) => (r.as === 'member' ? members : [0]).map((_, i) => ({ 'x-set': String(i) }));
    let rawDay = 0;
    for (const r of HOT_ROUTES) {
      for (const c of o.connections) {
        const write = r.method === 'POST';
        const day = new Date(Date.parse('2027-01-01T00:00:00Z') + rawDay++ * 86_400_000).toISOString().slice(0, 10);
        await point('raw-pg', 'node-postgres', r.label, c, {
          ...base, connections: c, url: `${raw.url}/replay/${r.name}`, method: r.method, headers: { 'content-type': 'application/json' },
          ...(write ? { body: CHECKIN_BODY, uniqueIdempotencyKey: true } : {}),
          headerSets: sets(r).map((h) => ({ ...h, 'x-day': day })),
        });
      }
    }
    await raw.stop();

    // (c) the app, per driver. Each driver's clock starts on another day so their check-in caps do not collide.
    for (const [i, driver] of o.drivers.entries()) {
      const appNow = new Date(Date.parse(TEST_NOW) + i * 40 * 86_400_000).toISOString();
      const env: Record<string, string> = driver === 'pglite' ? { BENCH_DRIVER: driver } : { BENCH_DRIVER: driver, DATABASE_URL: o.url };
      const server: ChildServer = await startChildServer('bench/servers/project.ts', { ...env, APP_NOW: appNow });
      const connections = driver === 'pglite' ? o.connections.slice(0, 1) : o.connections;
      try {
        await appPoints(server, driver, connections, new Set(members.map((m) => m.account_id)), (route, c, spec) => point('app', driver, route, c, { ...base, ...spec }));
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return points;
}

type Point = (route: string, connections: number, spec: Omit<Parameters<typeof runLoad>[0], 'durationSeconds'>) => Promise<void>;

async function appPoints(server: ChildServer, driver: string, connections: number[], activeMembers: Set<number>, point: Point): Promise<void> {
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
  // Tokens are signed at the app's (moving) clock: log in again after each move.
  const memberHeaders = async () => {
    const out: Record<string, string>[] = [];
    for (const a of memberAccounts) out.push({ authorization: `Bearer ${await login('member', a.accountId)}` });
    return out;
  };
  for (const c of connections) {
    await post('/api/dev/clock', { advanceMinutes: 1440 }); // a new day: every member's 60-minute self-report cap is fresh
    await point('POST check-in', c, {
      connections: c, url: `${server.url}/api/study/checkins`, method: 'POST', headers: { 'content-type': 'application/json' }, body: CHECKIN_BODY, uniqueIdempotencyKey: true, headerSets: await memberHeaders(),
    });
  }
  const asMembers = await memberHeaders();
  const asOne = async (role: string) => [{ authorization: `Bearer ${await login(role, accounts.find((a) => a.role === role)!.accountId)}` }];
  for (const r of HOT_ROUTES.filter((x) => x.method === 'GET')) {
    const headerSets = r.as === 'member' ? asMembers : await asOne(r.as);
    for (const c of connections) await point(r.label, c, { connections: c, url: `${server.url}${r.path}`, method: 'GET', headerSets });
  }
}
