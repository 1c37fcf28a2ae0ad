/**
 * Helpers for fault tests: cutting the database away at a chosen statement,
 * terminating a test database's backends, fingerprinting tables, and a small
 * request load that keeps going while the database comes and goes.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { statementCounter } from '../../db/client.js';
import type { CallResult, TestContext } from './harness.js';

/**
 * Runs `fn` with a trap on the statement log: when the `nth` statement matching
 * `pattern` is about to be sent, `onMatch` runs (synchronously, before the
 * driver writes it), e.g. `proxy.cutAll()`.
 */
export async function trapStatement<T>(pattern: RegExp, nth: number, onMatch: () => void, fn: () => Promise<T>): Promise<{ result: T; fired: boolean }> {
  let seen = 0;
  let fired = false;
  class Trap extends Array<string> {
    override push(...items: string[]): number {
      for (const query of items) {
        if (pattern.test(query) && ++seen === nth && !fired) {
          fired = true;
          onMatch();
        }
      }
      return super.push(...items);
    }
  }
  const result = await statementCounter.storage.run({ statements: 0, log: new Trap() }, fn);
  return { result, fired };
}

/** Terminates every backend of the database at `url` except the caller's own (what a restart looks like to the app). */
export async function terminateBackends(admin: pg.Client): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  return rows[0]?.n ?? 0;
}

export async function adminClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // a restart kills this connection too; the test reconnects
  await client.connect();
  return client;
}

/** Row count and an md5 over every row of each table: "nothing changed" means equal fingerprints. */
export async function fingerprint(url: string, tables: string[]): Promise<Record<string, string>> {
  const client = await adminClient(url);
  try {
    const out: Record<string, string> = {};
    for (const table of tables) {
      const { rows } = await client.query<{ n: string; sum: string | null }>(
        `select count(*)::text as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as sum from ${table} x`,
      );
      out[table] = `${rows[0]?.n}:${rows[0]?.sum}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

/** The answer the app must give while the database is away. */
export function expectUnavailable(res: CallResult): void {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.headers.get('retry-after')).toBe('5');
  expect(res.body).toEqual({ error: { code: 'unavailable', message: '数据库暂时不可用，请稍后重试' } });
}

export interface LoadReport {
  requests: number;
  statuses: Record<number, number>;
  /** Any answer other than 2xx or a proper 503 JSON error. */
  unexpected: string[];
  /** Check-ins (one Idempotency-Key each) that finally succeeded. */
  checkIns: { token: string; memberId: number; key: string }[];
}

/**
 * Each worker, as its own member, alternates a read and a 1-minute check-in
 * until `stop()` resolves; a check-in answered 503 is sent again with the same
 * Idempotency-Key until it succeeds, as the mini-program does.
 */
export async function runLoad(
  ctx: TestContext,
  workers: { token: string; memberId: number }[],
  until: Promise<void>,
  maxCheckInsPerWorker = 40,
): Promise<LoadReport> {
  let stopped = false;
  void until.then(() => (stopped = true));
  const report: LoadReport = { requests: 0, statuses: {}, unexpected: [], checkIns: [] };
  const note = (res: CallResult, what: string) => {
    report.requests += 1;
    report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
    const ok = res.status < 300;
    const unavailable = res.status === 503 && (res.body as { error?: { code?: string } })?.error?.code === 'unavailable';
    if (!ok && !unavailable) report.unexpected.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return ok;
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await Promise.all(
    workers.map(async (worker) => {
      let checkIns = 0;
      while (!stopped) {
        note(await ctx.call('GET', '/api/study/me', { token: worker.token }), 'GET /api/study/me');
        if (checkIns >= maxCheckInsPerWorker) {
          await pause(20);
          continue;
        }
        const key = `fault-${randomUUID()}`;
        const body = { way: 'platform', topic: '学习党章', minutes: 1 };
        for (let attempt = 0; ; attempt++) {
          const res = await ctx.call('POST', '/api/study/checkins', { token: worker.token, body, headers: { 'idempotency-key': key } });
          if (note(res, 'POST /api/study/checkins')) break;
          if (res.status !== 503 || attempt > 200) throw new Error(`check-in kept failing: ${res.status} ${JSON.stringify(res.body)}`);
          await pause(50);
        }
        checkIns += 1;
        report.checkIns.push({ ...worker, key });
      }
    }),
  );
  return report;
}

/** Polls until a read succeeds; returns the milliseconds it took. */
export async function timeToRecover(ctx: TestContext, token: string, limitMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await ctx.call('GET', '/api/organizations', { token });
    if (res.status === 200) return Date.now() - started;
    if (res.status !== 503) throw new Error(`unexpected answer while recovering: ${res.status} ${JSON.stringify(res.body)}`);
    if (Date.now() - started > limitMs) throw new Error(`still unavailable after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
