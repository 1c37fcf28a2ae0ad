/**
 * The retry of serialization failures and deadlocks, on the machine's PostgreSQL through the Neon driver and
 * node-postgres.
 *
 * Which paths can raise 40001/40P01? Every transaction runs at READ COMMITTED (nothing asks for SERIALIZABLE), so
 * 40001 cannot happen today. Deadlocks need two transactions taking two locks in opposite order; the single-row
 * steps (transfer steps lock the letter-sequence row, then the transfer row; member edits lock one member row)
 * cannot form a cycle, but two roster imports that share people in a different row order can (each upsert locks
 * rows in file order). The dispatcher re-runs the handler on both codes: the first tests below force each code
 * through a route built for the test, the import test shows the real path ends with both imports applied.
 */
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../api/_app/app.js';
import { route } from '../../api/_app/context.js';
import type { Db } from '../../db/client.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import { members, organizations } from '../../db/schema/index.js';
import { endpoint } from '../../shared/http.js';
import { ROSTER_COLUMNS } from '../../shared/members.js';
import type { TestContext } from '../helpers/harness.js';
import { IMPORT_QUERY } from '../helpers/privacy.js';
import { POSTGRES_DRIVERS, raceSuite } from '../helpers/postgres-races.js';

/** The SQLSTATE of a driver error (drizzle wraps it: the code is on `cause`). */
function sqlStateOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  const code = e.cause?.code ?? e.code;
  return typeof code === 'string' ? code : undefined;
}

/** Resolves once `parties` callers have arrived: lines transactions up so they really overlap. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived >= parties) release();
    await all;
  };
}

async function rosterWorkbook(seqs: number[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('花名册');
  sheet.addRow(ROSTER_COLUMNS.map((c) => c.header));
  for (const seq of seqs) {
    const pad = (n: number) => String(n).padStart(2, '0');
    const year = 1950 + (Math.floor(seq / 336) % 40);
    const birthDate = `${year}-${pad(1 + (Math.floor(seq / 28) % 12))}-${pad(1 + (seq % 28))}`;
    const row: Record<string, string> = {
      name: `并发导入${seq}`,
      gender: 'male',
      ethnicity: '汉族',
      birthDate,
      idNumber: makeIdNumber(birthDate, 'male', seq, '620102'),
      phone: `136${String(10_000_000 + seq).slice(-8)}`,
      organizationName: '东风村党支部',
      category: 'full',
      joinedAt: `${year + 25}-07-01`,
      confirmedAt: `${year + 26}-07-01`,
    };
    sheet.addRow(ROSTER_COLUMNS.map((c) => row[c.key] ?? null));
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

for (const driver of POSTGRES_DRIVERS) {
  describe(`races on PostgreSQL: retried conflicts [${driver}]`, () => {
    const s = raceSuite(driver);

    it('a deadlock (40P01) is retried by the dispatcher: both requests succeed', async () => {
      const [a, b] = await s.ctx.db.select({ id: members.id }).from(members).orderBy(members.id).limit(2);
      const attempts: Record<string, number> = { forward: 0, backward: 0 };
      /** The SQLSTATE of every attempt that failed (what the dispatcher saw before retrying). */
      const failures: (string | undefined)[] = [];
      const bothHoldFirstLock = barrier(2);
      const probe = route(
        endpoint({
          method: 'POST',
          path: '/api/test/lock-two',
          summary: 'test only',
          access: 'public',
          ownership: 'none',
          body: z.object({ label: z.enum(['forward', 'backward']) }),
          response: z.object({ attempts: z.number() }),
        }),
        async (c) => {
          const label = c.body.label;
          attempts[label] = (attempts[label] ?? 0) + 1;
          const firstTry = attempts[label] === 1;
          const [first, second] = label === 'forward' ? [a!.id, b!.id] : [b!.id, a!.id];
          try {
            await c.db.transaction(async (tx) => {
              await tx.execute(sql`select id from members where id = ${first} for update`);
              if (firstTry) await bothHoldFirstLock();
              await tx.execute(sql`select id from members where id = ${second} for update`);
            });
          } catch (err) {
            failures.push(sqlStateOf(err));
            throw err;
          }
          return { attempts: attempts[label]! };
        },
      );
      const app = createApp(s.ctx.app.deps, [probe]);
      const post = (label: string) =>
        app.fetch(new Request('http://test.local/api/test/lock-two', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) }));
      const answers = await Promise.all([post('forward'), post('backward')]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      // PostgreSQL aborted exactly one of the two as a deadlock (40P01); the dispatcher ran it again.
      expect(failures).toEqual(['40P01']);
      expect(attempts.forward! + attempts.backward!).toBe(3);
    }, 20_000);

    it('a serialization failure (40001) under SERIALIZABLE is retried: the outcome is as if run one after the other', async () => {
      await s.ctx.db.execute(sql`create table if not exists race_probe (id serial primary key, seen int not null)`);
      let attempts = 0;
      const bothHaveRead = barrier(2);
      const probe = route(
        endpoint({ method: 'POST', path: '/api/test/write-skew', summary: 'test only', access: 'public', ownership: 'none', response: z.object({ seen: z.number() }) }),
        async (c) => {
          attempts += 1;
          const firstRound = attempts <= 2;
          return c.db.transaction(
            async (tx) => {
              const counted = await (tx as unknown as Db).execute(sql`select count(*)::int as n from race_probe`);
              const seen = (counted as unknown as { rows: { n: number }[] }).rows[0]!.n;
              if (firstRound) await bothHaveRead();
              await tx.execute(sql`insert into race_probe (seen) values (${seen})`);
              return { seen };
            },
            { isolationLevel: 'serializable' },
          );
        },
      );
      const app = createApp(s.ctx.app.deps, [probe]);
      const post = () => app.fetch(new Request('http://test.local/api/test/write-skew', { method: 'POST' }));
      const answers = await Promise.all([post(), post()]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      const seen = (await Promise.all(answers.map((r) => r.json() as Promise<{ seen: number }>))).map((b) => b.seen).sort();
      expect(seen).toEqual([0, 1]); // serial: the retried one saw the other's row
      expect(attempts).toBe(3);
    }, 20_000);

    it('two roster imports sharing 300 people in opposite row order both apply (should they deadlock, the retry applies the loser)', async () => {
      const base = driver === 'neon' ? 50_000 : 60_000;
      const seqs = Array.from({ length: 300 }, (_, i) => base + i);
      const [forward, backward] = await Promise.all([rosterWorkbook(seqs), rosterWorkbook([...seqs].reverse())]);
      const deadlocksBefore = await deadlocks(s.ctx);
      const upload = (bytes: Uint8Array) =>
        s.ctx.call('POST', '/api/members/import', {
          query: IMPORT_QUERY,
          token: s.w.tokens.staff,
          rawBody: bytes,
          headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        });
      const results = await Promise.all([upload(forward), upload(backward)]);
      expect(results.map((r) => r.status), JSON.stringify(results.map((r) => r.body))).toEqual([200, 200]);
      expect(results.map((r) => r.body.inserted).sort()).toEqual([0, 300]);
      const imported = await s.ctx.db.select({ n: sql<number>`count(*)::int` }).from(members).where(sql`${members.name} like '并发导入%'`);
      expect(imported[0]!.n).toBe(300);
      const [branch] = await s.ctx.db.select().from(organizations).where(eq(organizations.name, '东风村党支部'));
      expect(branch).toBeTruthy();
      console.log(`[${driver}] deadlocks PostgreSQL reported during the two imports: ${(await deadlocks(s.ctx)) - deadlocksBefore}`);
    }, 60_000);
  });
}

/** pg_stat_database.deadlocks for the test database (statistics may lag by up to a second). */
async function deadlocks(ctx: TestContext): Promise<number> {
  const client = new pg.Client({ connectionString: ctx.opened.url });
  await client.connect();
  try {
    await client.query('select pg_sleep(1.1)'); // let the statistics collector flush
    const { rows } = await client.query<{ n: string }>('select deadlocks::text as n from pg_stat_database where datname = current_database()');
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
