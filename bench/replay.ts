/**
 * The raw baseline's SQL, taken from the app itself: each hot route is called once per caller on
 * an in-process app over the scratch database, and the statements it sent (text and parameters)
 * are recorded by the statement counter. bench/servers/raw-pg.ts replays them on a bare
 * node-postgres Pool, so the ratio app ÷ raw compares the same SQL and nothing drifts.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { shanghaiDate } from '../shared/calendar.js';
import { openDatabase, statementCounter } from '../db/client.js';
import { TEST_NOW } from '../tests/helpers/constants.js';
import { inProcessApp } from './in-process.js';

export type Call = { query: string; params: unknown[] };
export type ReplayFile = Record<string, { status: number; sets: Call[][]; keyParam?: string; dayParam?: string }>;

/** What each replayed route is, for the app and for the raw server. */
export const HOT_ROUTES = [
  { name: 'check-in', label: 'POST check-in', method: 'POST', path: '/api/study/checkins', as: 'member' },
  { name: 'study-me', label: 'GET study/me', method: 'GET', path: '/api/study/me', as: 'member' },
  { name: 'birthdays-me', label: 'GET birthdays/me', method: 'GET', path: '/api/birthdays/me', as: 'member' },
  { name: 'transfers', label: 'GET transfers (secretary)', method: 'GET', path: '/api/transfers', as: 'secretary' },
  { name: 'dashboard', label: 'GET dashboard (staff)', method: 'GET', path: '/api/dashboard', as: 'staff' },
] as const;
export type HotRoute = (typeof HOT_ROUTES)[number];

export const CHECKIN_BODY = JSON.stringify({ way: 'platform', topic: '学习党的二十大报告', minutes: 1 });
const CAPTURE_KEY = 'bench-capture-key';

export interface Caller {
  accountId: number;
  role: 'member' | 'secretary' | 'staff';
}

/** Records every hot route's statements per caller (members for theirs, one secretary, one staff) into `file`. */
export async function captureReplays(url: string, callers: Caller[], file: string): Promise<ReplayFile> {
  const database = await openDatabase({ url, driver: 'node-postgres', poolMax: 2 });
  const { call } = inProcessApp(database, TEST_NOW);
  const out: ReplayFile = {};
  try {
    for (const c of callers) {
      const login = await call('POST', '/api/auth/dev', undefined, JSON.stringify({ role: c.role, accountId: c.accountId }));
      const token = ((await login.json()) as { token: string }).token;
      for (const r of HOT_ROUTES.filter((x) => x.as === c.role)) {
        const write = r.method === 'POST';
        const { result, calls } = await statementCounter.capture(() =>
          call(r.method, r.path, token, write ? CHECKIN_BODY : undefined, write ? { 'idempotency-key': CAPTURE_KEY } : {}),
        );
        await result.arrayBuffer();
        const entry = (out[r.name] ??= { status: result.status, sets: [], ...(write ? { keyParam: CAPTURE_KEY, dayParam: shanghaiDate(new Date(TEST_NOW)) } : {}) });
        if (result.status >= 400) throw new Error(`replay capture ${r.path} as ${c.role}: ${result.status}`);
        entry.sets.push(calls.map((x) => ({ query: x.query, params: x.params.map(plain) })));
      }
    }
  } finally {
    await database.close();
  }
  writeFileSync(file, JSON.stringify(out));
  return out;
}

/** Parameters as node-postgres takes them after a JSON round trip (dates as ISO strings). */
function plain(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

export const replayFileIn = (dir: string) => path.join(dir, 'replay.json');
