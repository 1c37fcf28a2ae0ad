/**
 * Hardening, on both drivers: nothing secret in the logs, not even when the database fails with an ID number in
 * its error.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { consoleLogger, type Logger } from '../../api/_app/log.js';
import { createWechatClient, type WechatClient } from '../../api/_app/wechat.js';
import { organizations } from '../../db/schema/index.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import { ROSTER_COLUMNS } from '../../shared/members.js';
import { describeEachDriver } from '../helpers/harness.js';
import { startWechatStub, type WechatStub } from '../helpers/wechat-stub.js';
import { agreePrivacy, consentingApplicant, IMPORT_QUERY } from '../helpers/privacy.js';
import { expectJsonError } from '../helpers/expect-error.js';

const SECRETS = {
  SESSION_SECRET: 'log-test-session-secret-0123456789-abcdefghij',
  ID_ENCRYPTION_KEY: Buffer.alloc(32, 42).toString('base64'),
  ID_HASH_KEY: 'log-test-id-hash-key-0123456789',
  WECHAT_SECRET: 'wx-test-secret',
  CRON_SECRET: 'log-test-cron-secret-0123456789',
};
const captured: string[] = [];
const capturingLogger: Logger = {
  info: (event, fields) => {
    captured.push(JSON.stringify({ event, ...fields }));
    consoleLogger.info(event, fields);
  },
  error: (event, fields) => {
    captured.push(JSON.stringify({ event, ...fields }));
    consoleLogger.error(event, fields);
  },
};
let wechatStub: WechatStub | undefined;
let realWechat: WechatClient | undefined;
const lazyWechat: WechatClient = { code2session: (code) => realWechat!.code2session(code) };

async function rosterWorkbook(rows: Array<Record<string, string>>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('花名册');
  sheet.addRow(ROSTER_COLUMNS.map((c) => c.header));
  for (const r of rows) sheet.addRow(ROSTER_COLUMNS.map((c) => r[c.key] ?? null));
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

describeEachDriver(
  'hardening: no secret, token or ID number in the logs',
  (ctx) => {
    beforeAll(async () => {
      wechatStub = await startWechatStub();
      realWechat = createWechatClient({ apiBase: wechatStub.apiBase, appid: 'wx-test-appid', secret: SECRETS.WECHAT_SECRET });
    });
    afterAll(async () => {
      await wechatStub?.close();
    });

    it('a realistic day of requests, two database failures with an ID number in the error, and a 500 that leaks nothing', async () => {
      const t = ctx();
      captured.length = 0;
      const consoleLines: string[] = [];
      const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
        vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
          consoleLines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
        }),
      );
      const tokens: string[] = [];
      const idNumbers: string[] = [];
      const key = () => ({ 'idempotency-key': randomUUID() });
      try {
        const [branch] = await t.db.select().from(organizations).where(eq(organizations.kind, 'branch')).orderBy(organizations.sortOrder).limit(1);
        const seq = t.driver === 'neon' ? 40 : 20;
        const registration = (idNumber: string, birthDate: string) => ({
          name: '日志测试',
          gender: 'male',
          ethnicity: '汉族',
          birthDate,
          idNumber,
          phone: '13912345678',
          organizationId: branch!.id,
          category: 'full',
          joinedAt: '2015-06-01',
          confirmedAt: '2016-06-01',
        });

        // WeChat login: session_key comes back from WeChat and must stay in memory.
        const login = await t.call('POST', '/api/auth/wechat', { body: { code: `good-logs-${t.driver}` } });
        expect(login.status).toBe(200);
        const applicant = login.body.token as string;
        await agreePrivacy(t, applicant);
        tokens.push(applicant);
        expectJsonError(await t.call('POST', '/api/auth/wechat', { body: { code: 'broken' } }), 503, 'unavailable');
        expect(wechatStub!.requests.some((u) => u.searchParams.get('secret') === SECRETS.WECHAT_SECRET)).toBe(true);

        // Registration with an ID number, then the same ID number again from another account.
        const birth1 = '1986-04-0' + (seq % 9 || 1);
        const id1 = makeIdNumber(birth1, 'male', seq, '130102');
        idNumbers.push(id1);
        expect((await t.call('POST', '/api/registrations', { token: applicant, body: registration(id1, birth1), headers: key() })).status).toBe(201);
        const second = await consentingApplicant(t);
        tokens.push(second);
        // Answered like any registration (no membership oracle); the reviewer sees the duplicate.
        expect((await t.call('POST', '/api/registrations', { token: second, body: registration(id1, birth1), headers: key() })).status).toBe(201);

        // Staff: import a roster with ID numbers (one good row, one with a wrong check digit), reveal an ID number.
        const staff = await t.login('staff');
        tokens.push(staff);
        const birth2 = '1975-09-1' + (seq % 9);
        const id2 = makeIdNumber(birth2, 'female', seq + 1, '370102');
        const badId = id2.slice(0, 17) + (id2.endsWith('1') ? '2' : '1');
        idNumbers.push(id2, badId);
        const row = (idNumber: string, name: string) => ({
          name,
          gender: 'female',
          ethnicity: '汉族',
          birthDate: birth2,
          idNumber,
          phone: '13712345670',
          organizationName: branch!.name,
          category: 'full',
          joinedAt: '2000-07-01',
          confirmedAt: '2001-07-01',
        });
        const importBad = await t.call('POST', '/api/members/import', {
          query: IMPORT_QUERY,
          token: staff,
          rawBody: await rosterWorkbook([row(id2, '导入甲'), row(badId, '导入乙')]),
          headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ...key() },
        });
        expect(importBad.status).toBe(422);
        const importGood = await t.call('POST', '/api/members/import', {
          query: IMPORT_QUERY,
          token: staff,
          rawBody: await rosterWorkbook([row(id2, '导入甲')]),
          headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ...key() },
        });
        expect(importGood.status, JSON.stringify(importGood.body)).toBeLessThan(300);
        const [imported] = rowsOf<{ id: number }>(await t.db.execute(sql`select id from members where name = '导入甲' order by id desc limit 1`));
        const revealed = await t.call('POST', `/api/members/${imported!.id}/reveal-id`, { token: staff, headers: key() });
        expect(revealed.body).toEqual({ idNumber: id2 });

        // The scheduler's run logs what it does (here: no subscription template is configured, a 503 that is logged).
        expect((await t.call('POST', '/api/cron/birthday-reminders', { token: SECRETS.CRON_SECRET })).status).toBeLessThan(500 + 4);

        // Forced database failures during a registration, carrying the ID number the way PostgreSQL
        // reports values: in a unique violation's detail, and in an input-syntax error's message.
        const birth3 = '1990-11-2' + (seq % 9);
        const id3 = makeIdNumber(birth3, 'male', seq + 2, '130103');
        idNumbers.push(id3);
        expect(id3).toMatch(/^\d{17}[\dX]$/);
        const failures = [
          `raise exception using errcode = '23505', constraint = 'registrations_forced_uq',
             message = 'duplicate key value violates unique constraint "registrations_forced_uq"',
             detail = 'Key (id_number)=(${id3}) already exists.'`,
          `raise exception using errcode = '22P02', message = 'invalid input syntax for type bigint: "${id3}"'`,
        ];
        const trigger = `forced_failure_${t.driver}`;
        for (const raise of failures) {
          await t.db.execute(sql.raw(`create or replace function ${trigger}() returns trigger language plpgsql as $$ begin ${raise}; end $$`));
          await t.db.execute(sql.raw(`create trigger ${trigger} before insert on registrations for each row execute function ${trigger}()`));
          try {
            const next = await consentingApplicant(t);
            tokens.push(next);
            const res = await t.call('POST', '/api/registrations', { token: next, body: registration(id3, birth3), headers: key() });
            // The 500 answer: a code and a Chinese message, nothing else.
            expect(res.status).toBe(500);
            expect(res.body).toEqual({ error: { code: 'internal', message: expect.any(String) } });
            const text = new TextDecoder().decode(res.bytes);
            for (const leak of [id3, 'stack', 'registrations', 'insert', 'select', 'params', 'Failed query', 'constraint', 'at ', '.ts']) {
              expect(text, `500 body must not contain ${leak}`).not.toContain(leak);
            }
          } finally {
            await t.db.execute(sql.raw(`drop trigger if exists ${trigger} on registrations`));
            await t.db.execute(sql.raw(`drop function if exists ${trigger}()`));
          }
        }
      } finally {
        for (const s of spies) s.mockRestore();
      }

      const everything = [...captured, ...consoleLines].join('\n');
      // The failures were logged (so this test saw real log lines), without their contents.
      expect(captured.filter((l) => l.includes('"unhandled_error"')).length).toBeGreaterThanOrEqual(2);
      expect(consoleLines.length).toBeGreaterThan(0);
      for (const id of idNumbers) expect(everything, 'an ID number in the logs').not.toContain(id);
      expect(everything).not.toMatch(/(?<!\d)\d{17}[\dXx](?!\d)/);
      for (const token of tokens) {
        expect(everything, 'a session token in the logs').not.toContain(token);
        expect(everything).not.toContain(token.split('.')[2]!); // not even the signature
      }
      for (const [name, value] of Object.entries(SECRETS)) expect(everything, `${name} in the logs`).not.toContain(value);
      expect(everything).not.toContain('SECRET-SESSION-KEY-never-leaves');
      expect(everything).not.toContain('session_key');
    });

    it('the forced failures left no registration behind', async () => {
      const rows = rowsOf<{ n: number }>(await ctx().db.execute(sql`select count(*)::int as n from registrations where name = '日志测试'`));
      // The first registration and the second account's one with the same number (accepted alike, flagged to the reviewer).
      expect(rows[0]!.n).toBe(2);
    });
  },
  {
    env: {
      ...SECRETS,
      WECHAT_APPID: 'wx-test-appid',
      WRITE_RATE_LIMIT: '100000',
      LOGIN_RATE_LIMIT: '100000',
    },
    logger: capturingLogger,
    wechat: lazyWechat,
  },
);
