/** Helpers shared by the benchmark scripts: child servers, loads, a scratch PostgreSQL database. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { databaseUrl, PG_ADMIN_URL } from '../tests/helpers/constants.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ChildServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `tsx <script>` (with Node flags such as --cpu-prof) and waits for it to print `READY <port>`. */
export function startChildServer(script: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ChildServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, script)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 120 s`)), 120_000);
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = /READY (\d+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          process: child,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  /** Give every request a fresh Idempotency-Key (distinct submissions). */
  uniqueIdempotencyKey?: boolean;
  /** Extra headers per request, taken in turn (e.g. one token per seeded member). */
  headerSets?: Record<string, string>[];
  /** Stop after this many requests instead of after `durationSeconds`. */
  amount?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Answers by HTTP status, e.g. { "201": 900, "422": 300 }. */
  statusCodes: Record<string, number>;
  /** How long the load ran. */
  seconds: number;
}

/** One autocannon run in its own process. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/load.ts'), JSON.stringify(spec)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load exited with ${code}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (err) {
        reject(err);
      }
    });
  });
}

/**
 * Loads a write whose callers have a daily allowance (the check-in's 60 self-reported minutes per member):
 * in runs of at most `allowance` requests, each after `nextDay()` gave the callers a fresh day, until the
 * runs add up to `durationSeconds`. So every request is a new submission under the cap, on both sides of
 * a ratio; one long run would turn its tail into refusals, which cost the app and the raw server
 * differently. Throughput is requests over the runs' own time (setting up a day is not counted); the
 * latencies are the worst run's.
 */
export async function runLoadInAllowances(spec: LoadSpec, allowance: number, nextDay: () => Promise<Partial<LoadSpec>>): Promise<LoadResult> {
  const runs: LoadResult[] = [];
  let seconds = 0;
  while (seconds < spec.durationSeconds) {
    const r = await runLoad({ ...spec, ...(await nextDay()), amount: allowance });
    runs.push(r);
    seconds += r.seconds;
  }
  const sum = (f: (r: LoadResult) => number) => runs.reduce((n, r) => n + f(r), 0);
  const total = sum((r) => r.total);
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    requestsPerSecond: total / seconds,
    p50: Math.max(...runs.map((r) => r.p50)),
    p99: Math.max(...runs.map((r) => r.p99)),
    total,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodes,
    seconds,
  };
}

/**
 * The largest request count ≤ `limit` that the callers divide (requests go to callers in turn, so each gets
 * as many) and, where it can, the connections too (autocannon splits the amount over them; an uneven split
 * lets some finish early and thins the load at the end).
 */
export function evenAmount(limit: number, connections: number, callers: number): number {
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const both = (connections * callers) / gcd(connections, callers);
  return both <= limit ? Math.floor(limit / both) * both : Math.floor(limit / callers) * callers;
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database on the machine's PostgreSQL, dropped by `drop()`. */
export async function scratchDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  return { name, url: databaseUrl(name), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
