/**
 * Races on the machine's PostgreSQL, through the production Neon driver and
 * through node-postgres (`npm start` self-hosting): the database settles each
 * race — exactly one winner, no duplicates, no gaps in letter numbers.
 *
 * Already covered in the domain files (not repeated here): 50 identical
 * check-ins and the daily cap under 10 parallel ones (study.test.ts), 5
 * double-tapped birthday sign-ins (birthdays.test.ts), 20 approvals of one
 * transfer and 20 letters for 20 transfers (transfers.test.ts) — on the Neon
 * driver only; the races from the security review (capped check-ins with one
 * key, the study roll-up under status flips, registrations of one ID number
 * from several accounts) are in races-hardening.test.ts.
 * This file adds node-postgres, approve-vs-reject, concurrent member edits,
 * letter numbers with rolled-back losers in between, and the retry of
 * serialization failures and deadlocks.
 *
 * Which paths can raise 40001/40P01? Every transaction runs at READ COMMITTED
 * (nothing asks for SERIALIZABLE), so 40001 cannot happen today. Deadlocks need
 * two transactions taking two locks in opposite order; the single-row steps
 * (transfer steps lock the letter-sequence row, then the transfer row; member
 * edits lock one member row) cannot form a cycle, but two roster imports that
 * share people in a different row order can (each upsert locks rows in file
 * order). The dispatcher re-runs the handler on both codes: the first tests
 * below force each code through a route built for the test, the import test
 * shows the real path ends with both imports applied.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../api/_app/app.js';
import { route } from '../../api/_app/context.js';
import type { Db } from '../../db/client.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import {
  auditLog,
  birthdaySignIns,
  members,
  organizations,
  studyDays,
  studyEntries,
  transferEvents,
  transferLetterSequences,
  transfers,
} from '../../db/schema/index.js';
import { endpoint } from '../../shared/http.js';
import { ROSTER_COLUMNS } from '../../shared/members.js';
import { createTestContext, type CallResult, type TestContext, type TestDriver } from '../helpers/harness.js';
import { buildWorld, type Person, type World } from '../helpers/route-fixtures/index.js';
import { IMPORT_QUERY } from '../helpers/privacy.js';

const DRIVERS = ['neon', 'node-postgres'] as const;
type Res = CallResult<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const statuses = (results: Res[]) => results.map((r) => r.status).sort((a, b) => a - b);
const expect409 = (r: Res, codes: string[]) => {
  expect(r.status, JSON.stringify(r.body)).toBe(409);
  expect(codes).toContain(r.body.error.code);
};

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

for (const driver of DRIVERS) {
  describe(`races on PostgreSQL [${driver}]`, () => {
    let ctx: TestContext;
    let w: World;
    const call = (method: string, path: string, token: string, body?: unknown, key?: string) =>
      ctx.call(method, path, { token, body, headers: key ? { 'idempotency-key': key } : undefined });

    beforeAll(async () => {
      // The harness opens node-postgres as well as Neon for PostgreSQL; only the type names the two test drivers.
      ctx = await createTestContext(driver as TestDriver, { env: { WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' } });
      w = await buildWorld(ctx);
    }, 60_000);
    afterAll(async () => {
      await ctx?.close();
    });

    /** A member of branch A with an out transfer at 党委审批 (pending_committee, version 2). */
    async function transferAtTownship(): Promise<{ person: Person; id: number }> {
      const person = await w.freshMember();
      const created = await call('POST', '/api/transfers', person.token, {
        kind: 'out',
        toOrganizationName: '中共某县某街道工作委员会',
        letterAddressee: '中共某县某街道工作委员会',
        scope: 'in_province',
        reason: 'job',
        duesPaidThrough: '2026-05',
        contactPhone: '13812345678',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const reviewed = await call('POST', `/api/transfers/${created.body.id}/review`, w.tokens.ownSecretary, { decision: 'approve', version: 1 });
      expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
      expect(reviewed.body).toMatchObject({ state: 'pending_committee', version: 2 });
      return { person, id: created.body.id as number };
    }

    const lastLetterNumber = async () =>
      (await ctx.db.select().from(transferLetterSequences).where(eq(transferLetterSequences.year, 2026)))[0]?.lastNumber ?? 0;

    it('duplicate check-ins (one Idempotency-Key, 20 at once) leave one entry and credit the minutes once', async () => {
      const m = await w.freshMember();
      const key = `race-checkin-${randomUUID()}`;
      const body = { way: 'platform', topic: '学习党章', minutes: 30 };
      const results = await Promise.all(Array.from({ length: 20 }, () => call('POST', '/api/study/checkins', m.token, body, key)));
      expect(new Set(statuses(results))).toEqual(new Set([201]));
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await ctx.db.select().from(studyEntries).where(eq(studyEntries.memberId, m.memberId))).toHaveLength(1);
      const [day] = await ctx.db.select().from(studyDays).where(eq(studyDays.memberId, m.memberId));
      expect(day).toMatchObject({ minutes: 30, selfReportedMinutes: 30 });
    });

    it('duplicate birthday sign-ins (10 at once) make exactly one record; the others see it', async () => {
      const m = await w.freshMember(); // admitted 2010-06-10: the June window is open on TEST_NOW
      const results = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/api/birthdays/sign-in', m.token, { oathConfirmed: true })));
      expect(statuses(results)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.signIn.id)).size).toBe(1);
      expect(await ctx.db.select().from(birthdaySignIns).where(eq(birthdaySignIns.memberId, m.memberId))).toHaveLength(1);
    });

    it('approve and reject of one transfer at the same time: exactly one wins, the other 409, one timeline step, no letter number lost', async () => {
      const outcomes: string[] = [];
      for (let round = 0; round < 6; round++) {
        const { id } = await transferAtTownship();
        const before = await lastLetterNumber();
        const eventsBefore = (await ctx.db.select().from(transferEvents).where(eq(transferEvents.transferId, id))).length;
        const requests = [
          () => call('POST', `/api/transfers/${id}/approve`, w.tokens.staff, { version: 2 }),
          () => call('POST', `/api/transfers/${id}/reject`, w.tokens.staff, { version: 2, reason: '材料不全，请补充后重新申请' }),
        ];
        // Alternate who is sent first, so both orders are exercised.
        const [approve, reject] = round % 2 ? (await Promise.all([requests[1]!(), requests[0]!()])).reverse() : await Promise.all(requests.map((r) => r()));
        const winners = [approve!, reject!].filter((r) => r.status === 200);
        expect(winners, JSON.stringify([approve!.body, reject!.body])).toHaveLength(1);
        const loser = approve!.status === 200 ? reject! : approve!;
        expect409(loser, ['stale_version', 'invalid_transition']);
        const [row] = await ctx.db.select().from(transfers).where(eq(transfers.id, id));
        const events = await ctx.db.select().from(transferEvents).where(eq(transferEvents.transferId, id));
        expect(events.length - eventsBefore).toBe(1);
        expect(row!.version).toBe(3);
        if (approve!.status === 200) {
          outcomes.push('approve');
          expect(row).toMatchObject({ state: 'letter_issued', letterSequence: before + 1 });
          expect(await lastLetterNumber()).toBe(before + 1);
        } else {
          outcomes.push('reject');
          expect(row).toMatchObject({ state: 'rejected', letterNumber: null });
          expect(await lastLetterNumber()).toBe(before); // the approval rolled back and gave its number back
        }
        const audits = await ctx.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.targetType, 'transfer'), eq(auditLog.targetId, String(id)), sql`${auditLog.action} in ('transfer.approve', 'transfer.reject')`));
        expect(audits).toHaveLength(1);
      }
      console.log(`[${driver}] approve vs reject winners: ${outcomes.join(', ')}`);
    });

    it('letters for 8 transfers, each approved 3 times at once: 8 winners with consecutive numbers, no gaps, no duplicates', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 8; i++) ids.push((await transferAtTownship()).id);
      const before = await lastLetterNumber();
      // The losers of each trio take a number inside their transaction, find the transfer moved on, and roll back.
      const results = await Promise.all(ids.flatMap((id) => [0, 1, 2].map(() => call('POST', `/api/transfers/${id}/approve`, w.tokens.staff, { version: 2 }))));
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(8);
      for (const r of results.filter((x) => x.status !== 200)) expect409(r, ['stale_version', 'invalid_transition']);
      expect(new Set(ok.map((r) => r.body.id))).toEqual(new Set(ids));
      const rows = await ctx.db.select().from(transfers).where(sql`${transfers.id} in ${ids}`);
      const numbers = rows.map((r) => r.letterSequence as number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => before + 1 + i));
      expect(await lastLetterNumber()).toBe(before + 8);
      for (const r of rows) expect(r.letterNumber).toBe(`2026-${String(r.letterSequence).padStart(4, '0')}`);
    });

    it('8 staff edits of one member with the same version: one wins, the rest 409 stale_version, one audit entry', async () => {
      const m = await w.freshMember();
      const educations = ['小学', '初中', '高中', '中专', '大专', '本科', '硕士', '博士'];
      const results = await Promise.all(educations.map((education) => call('PATCH', `/api/members/${m.memberId}`, w.tokens.staff, { version: 1, education })));
      const ok = results.filter((r) => r.status === 200);
      expect(ok, JSON.stringify(results.map((r) => r.body))).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expect409(r, ['stale_version']);
      const [row] = await ctx.db.select().from(members).where(eq(members.id, m.memberId));
      expect(row).toMatchObject({ version: 2, education: ok[0]!.body.education });
      const audits = await ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.update'), eq(auditLog.targetId, String(m.memberId))));
      expect(audits).toHaveLength(1);
    });

    it('a deadlock (40P01) is retried by the dispatcher: both requests succeed', async () => {
      const [a, b] = await ctx.db.select({ id: members.id }).from(members).orderBy(members.id).limit(2);
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
      const app = createApp(ctx.app.deps, [probe]);
      const post = (label: string) =>
        app.fetch(new Request('http://test.local/api/test/lock-two', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) }));
      const answers = await Promise.all([post('forward'), post('backward')]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      // PostgreSQL aborted exactly one of the two as a deadlock (40P01); the dispatcher ran it again.
      expect(failures).toEqual(['40P01']);
      expect(attempts.forward! + attempts.backward!).toBe(3);
    }, 20_000);

    it('a serialization failure (40001) under SERIALIZABLE is retried: the outcome is as if run one after the other', async () => {
      await ctx.db.execute(sql`create table if not exists race_probe (id serial primary key, seen int not null)`);
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
      const app = createApp(ctx.app.deps, [probe]);
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
      const deadlocksBefore = await deadlocks(ctx);
      const upload = (bytes: Uint8Array) =>
        ctx.call('POST', '/api/members/import', {
          query: IMPORT_QUERY,
          token: w.tokens.staff,
          rawBody: bytes,
          headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        });
      const results = await Promise.all([upload(forward), upload(backward)]);
      expect(results.map((r) => r.status), JSON.stringify(results.map((r) => r.body))).toEqual([200, 200]);
      expect(results.map((r) => r.body.inserted).sort()).toEqual([0, 300]);
      const imported = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(members).where(sql`${members.name} like '并发导入%'`);
      expect(imported[0]!.n).toBe(300);
      const [branch] = await ctx.db.select().from(organizations).where(eq(organizations.name, '东风村党支部'));
      expect(branch).toBeTruthy();
      console.log(`[${driver}] deadlocks PostgreSQL reported during the two imports: ${(await deadlocks(ctx)) - deadlocksBefore}`);
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
