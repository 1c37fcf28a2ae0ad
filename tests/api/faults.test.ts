/**
 * Faults on the machine's PostgreSQL: the connection is cut in the middle of a
 * transfer approval and of a 2,000-row roster import (the Neon WebSocket proxy
 * drops every connection just before a chosen statement; for node-postgres
 * the backends are terminated), and the backends are terminated again and
 * again under a request load — what a PostgreSQL restart or failover looks
 * like to the app. Each time: the client gets a 503 JSON error, nothing is half
 * written, and the same request succeeds once the database is back, with no
 * restart of the app (the pools drop dead connections by themselves).
 *
 * A real `pg_ctlcluster … restart` is in tests/faults-restart/ (its own vitest
 * project, run by `npm test` after everything else, since it interrupts every
 * test database on the server).
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../api/_app/log.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import { members, studyEntries, transfers } from '../../db/schema/index.js';
import { ROSTER_COLUMNS } from '../../shared/members.js';
import { createTestContext, type CallResult, type TestContext, type TestDriver } from '../helpers/harness.js';
import { adminClient, expectUnavailable, fingerprint, runLoad, terminateBackends, timeToRecover, trapStatement } from '../helpers/faults.js';
import { buildWorld, type World } from '../helpers/route-fixtures/index.js';
import { IMPORT_QUERY } from '../helpers/privacy.js';
import { sameCountyOutBody } from '../helpers/transfer-bodies.js';

const TRANSFER_TABLES = ['transfers', 'transfer_events', 'transfer_letter_sequences', 'audit_log', 'idempotency_keys'];
const ROSTER_TABLES = ['members', 'audit_log', 'study_org_days'];
const ENV = { WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' };

async function rosterWorkbook(count: number, base: number): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('花名册');
  sheet.addRow(ROSTER_COLUMNS.map((c) => c.header));
  const branches = ['东风村党支部', '向阳村党支部', '河西村党支部'];
  for (let i = 0; i < count; i++) {
    const seq = base + i;
    const pad = (n: number) => String(n).padStart(2, '0');
    const year = 1945 + (Math.floor(seq / 336) % 45);
    const birthDate = `${year}-${pad(1 + (Math.floor(seq / 28) % 12))}-${pad(1 + (seq % 28))}`;
    const row: Record<string, string> = {
      name: `断线导入${i}`,
      gender: i % 3 ? 'male' : 'female',
      ethnicity: '汉族',
      birthDate,
      idNumber: makeIdNumber(birthDate, i % 3 ? 'male' : 'female', seq, '530102'),
      phone: `135${String(10_000_000 + seq).slice(-8)}`,
      organizationName: branches[i % 3]!,
      category: 'full',
      joinedAt: `${year + 25}-07-01`,
      confirmedAt: `${year + 26}-07-01`,
    };
    sheet.addRow(ROSTER_COLUMNS.map((c) => row[c.key] ?? null));
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

for (const driver of ['neon', 'node-postgres'] as const) {
  describe(`database faults [${driver}]`, () => {
    let ctx: TestContext;
    let w: World;
    let admin: pg.Client;
    /** What the app logged: a dropped connection must be logged as database_unavailable, never as unhandled_error. */
    const logged: { event: string; fields?: Record<string, unknown> }[] = [];
    const logger: Logger = { info: () => {}, error: (event, fields) => logged.push({ event, fields }) };

    beforeAll(async () => {
      // The harness opens node-postgres as well as Neon for PostgreSQL; only the type names the two test drivers.
      ctx = await createTestContext(driver as TestDriver, { env: ENV, logger });
      w = await buildWorld(ctx);
      admin = await adminClient(ctx.opened.url!);
    }, 60_000);
    afterAll(async () => {
      await admin?.end().catch(() => {});
      await ctx?.close();
    });

    /**
     * Runs `request` and takes the database away in the middle of its transaction.
     * Neon: the proxy drops every WebSocket just before the `nth` statement matching
     * `pattern` is sent. node-postgres: an admin transaction holds `lockTable`, so the
     * request's transaction stops at its write there (its earlier statements done);
     * then every backend of the database is terminated.
     */
    async function cutDuring(request: () => Promise<CallResult>, neon: { pattern: RegExp; nth: number }, lockTable: string): Promise<CallResult> {
      const proxy = ctx.opened.proxy;
      if (proxy) {
        const { result, fired } = await trapStatement(neon.pattern, neon.nth, () => proxy.cutAll(), request);
        expect(fired).toBe(true);
        return result;
      }
      await admin.query('begin');
      await admin.query(`lock table ${lockTable} in share mode`);
      const pending = request();
      try {
        for (let i = 0; ; i++) {
          const { rows } = await admin.query(
            `select 1 from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`,
          );
          if (rows.length > 0) break;
          if (i > 400) throw new Error(`the request never reached ${lockTable}`);
          await new Promise((r) => setTimeout(r, 25));
        }
        expect(await terminateBackends(admin)).toBeGreaterThan(0);
      } finally {
        await admin.query('rollback');
      }
      return pending;
    }

    it('connection cut in the middle of a transfer approval: 503, nothing written, the same request (same key) succeeds after', async () => {
      const person = await w.freshMember();
      const created = await ctx.call('POST', '/api/transfers', {
        token: person.token,
        body: sameCountyOutBody(),
      });
      expect(created.status).toBe(201);
      const id = created.body.id as number;
      expect((await ctx.call('POST', `/api/transfers/${id}/review`, { token: w.tokens.ownSecretary, body: { decision: 'approve', version: 1 } })).status).toBe(200);

      const before = await fingerprint(ctx.opened.url!, TRANSFER_TABLES);
      const request = { token: w.tokens.staff, body: { version: 2 }, headers: { 'idempotency-key': `fault-approve-${randomUUID()}` } };
      // The letter number is taken and the transfer updated; the connection goes at the timeline row.
      const failed = await cutDuring(() => ctx.call('POST', `/api/transfers/${id}/approve`, request), { pattern: /^insert into "transfer_events"/, nth: 1 }, 'transfer_events');
      expect(failed.status, JSON.stringify(logged.slice(-3))).toBe(503);
      expectUnavailable(failed);
      expect(await fingerprint(ctx.opened.url!, TRANSFER_TABLES)).toEqual(before);

      await timeToRecover(ctx, w.tokens.staff, 5_000);
      const retried = await ctx.call('POST', `/api/transfers/${id}/approve`, request);
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      expect(retried.body).toMatchObject({ id, state: 'letter_issued', version: 3 });
      const [row] = await ctx.db.select().from(transfers).where(eq(transfers.id, id));
      const sequences = await ctx.db.execute(sql`select last_number from transfer_letter_sequences where year = 2026`);
      // The number the cut approval had taken was given back: the retry got the next one, no gap.
      expect(row!.letterSequence).toBe((sequences as unknown as { rows: { last_number: number }[] }).rows[0]!.last_number);
      // Not checked here: a second replay of the same key after success answers 409 stale_version instead of the
      // stored answer, because runStep compares versions before looking the key up (reported to transfers).
    });

    it('connection cut in the middle of a 2,000-row roster import: 503, no member added, the same upload succeeds after', async () => {
      const bytes = await rosterWorkbook(2_000, driver === 'neon' ? 70_000 : 80_000);
      const upload = () =>
        ctx.call('POST', '/api/members/import', {
          query: IMPORT_QUERY,
          token: w.tokens.staff,
          rawBody: bytes,
          headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        });
      const before = await fingerprint(ctx.opened.url!, ROSTER_TABLES);
      // Rows are upserted 1,000 at a time in one transaction: Neon is cut as the second batch goes out,
      // node-postgres after both batches, at the audit row, before the commit.
      const failed = await cutDuring(upload, { pattern: /^insert into "members"/, nth: 2 }, 'audit_log');
      expect(failed.status, JSON.stringify(logged.slice(-3))).toBe(503);
      expectUnavailable(failed);
      expect(await fingerprint(ctx.opened.url!, ROSTER_TABLES)).toEqual(before);

      await timeToRecover(ctx, w.tokens.staff, 5_000);
      const retried = await upload();
      expect(retried.status, JSON.stringify(retried.body).slice(0, 300)).toBe(200);
      expect(retried.body).toEqual({ total: 2_000, inserted: 2_000, updated: 0 });
      const [counted] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(members).where(sql`${members.name} like '断线导入%'`);
      expect(counted!.n).toBe(2_000);
    }, 60_000);

    it('backends terminated every 200 ms under load (a restart, as the app sees it): only 2xx or 503, nothing lost or doubled, recovery without restarting the app', async () => {
      const workers = await Promise.all(Array.from({ length: 6 }, () => w.freshMember()));
      let stop: () => void = () => {};
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const load = runLoad(ctx, workers, stopped);
      let terminated = 0;
      for (let round = 0; round < 10; round++) {
        await new Promise((r) => setTimeout(r, 200));
        terminated += await terminateBackends(admin);
        if (ctx.opened.proxy && round % 2) ctx.opened.proxy.cutAll(); // and, for Neon, the WebSocket side
      }
      const recoveredIn = await timeToRecover(ctx, w.tokens.staff, 5_000);
      await new Promise((r) => setTimeout(r, 300)); // a little calm load after the storm
      stop();
      const report = await load;
      console.log(
        `[${driver}] ${report.requests} requests, statuses ${JSON.stringify(report.statuses)}, ${terminated} backends terminated, ` +
          `${report.checkIns.length} check-ins, recovered in ${recoveredIn} ms`,
      );
      expect(report.unexpected).toEqual([]);
      expect(logged.filter((l) => l.event !== 'database_unavailable')).toEqual([]);
      expect(terminated).toBeGreaterThan(0);
      expect(report.statuses[503] ?? 0, 'the terminations should have been felt').toBeGreaterThan(0);
      // Every check-in answered (after retries with its key) is stored exactly once; none is stored twice.
      const rows = await ctx.db
        .select({ key: studyEntries.idempotencyKey, memberId: studyEntries.memberId })
        .from(studyEntries)
        .where(sql`${studyEntries.memberId} in ${workers.map((x) => x.memberId)}`);
      expect(rows.map((r) => r.key).sort()).toEqual(report.checkIns.map((c) => c.key).sort());
    }, 60_000);
  });
}
