/**
 * Hardening, on both drivers: write and login rate limits kept in the database
 * (429 + Retry-After), the request body limit (413), CORS limited to configured
 * origins, security headers on API and H5 responses, the audit log append-only
 * in the database, and nothing secret in the logs — not even when the database
 * fails with an ID number in its error.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp } from '../../api/_app/app.js';
import { pgError } from '../../api/_app/errors.js';
import { rowsOf } from '../../db/client.js';
import { consoleLogger, type Logger } from '../../api/_app/log.js';
import { createWechatClient, type WechatClient } from '../../api/_app/wechat.js';
import { routes } from '../../api/_routes.js';
import { accounts, auditLog, organizations } from '../../db/schema/index.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import { ROSTER_COLUMNS } from '../../shared/members.js';
import { startServer, type RunningServer } from '../../server/node-server.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { startWechatStub, type WechatStub } from '../helpers/wechat-stub.js';
import { agreePrivacy, consentingApplicant, IMPORT_QUERY } from '../helpers/privacy.js';

const ORIGIN = 'https://h5.dangjian.example.cn';
const BODY_LIMIT = 4096;

const expectError = (res: { status: number; body: unknown; headers: Headers }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
};

async function memberAccounts(t: TestContext, n: number): Promise<number[]> {
  const rows = await t.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.role, 'member')).orderBy(accounts.id).limit(n);
  return rows.map((r) => r.id);
}

// ------------------------------------------------------------------ rate limits

describeEachDriver(
  'hardening: rate limits shared through the database',
  (ctx) => {
    // Fixed one-minute windows: start each test at a window's first second so no boundary falls inside it.
    const atWindowStart = () => ctx().clock.set(new Date('2026-06-15T02:20:00.000Z'));
    // Any write counts, refused by the domain or not: a withdrawal of a transfer that does not exist.
    const write = (token: string) =>
      ctx().call('POST', '/api/transfers/2147483000/withdraw', { token, body: { version: 1 }, headers: { 'idempotency-key': randomUUID() } });

    it('writes per account: the 4th write in a minute gets 429 with Retry-After; another account and reads are unaffected', async () => {
      atWindowStart();
      const [a, b] = await memberAccounts(ctx(), 2);
      const tokenA = await ctx().login('member', a);
      const tokenB = await ctx().login('member', b);
      for (let i = 0; i < 3; i++) expect((await write(tokenA)).status).toBe(404);
      const limited = await write(tokenA);
      expectError(limited, 429, 'rate_limited');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await write(tokenB)).status).toBe(404);
      expect((await ctx().call('GET', '/api/me', { token: tokenA })).status).toBe(200);

      // The counter lives in the database: a second instance of the app (another serverless instance) sees it.
      const other = createApp({ ...ctx().app.deps }, routes);
      const fromOther = await other.fetch(
        new Request('http://test.local/api/transfers/2147483000/withdraw', {
          method: 'POST',
          headers: { authorization: `Bearer ${tokenA}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({ version: 1 }),
        }),
      );
      expect(fromOther.status).toBe(429);
      const [bucket] = rowsOf<{ count: number }>(await ctx().db.execute(sql`select count from rate_limits where bucket = ${`write:${a}`}`));
      expect(Number(bucket?.count)).toBeGreaterThan(3);

      // The next window lets the account write again.
      ctx().clock.advance(1);
      expect((await write(tokenA)).status).toBe(404);
    });

    it('logins per client address: 429 with Retry-After after the limit, another address unaffected', async () => {
      atWindowStart();
      const login = (ip: string) =>
        ctx().call('POST', '/api/auth/wechat', { body: { code: `code-${randomUUID()}` }, headers: { 'x-forwarded-for': ip } });
      expect((await login('203.0.113.7')).status).toBe(200);
      expect((await login('203.0.113.7')).status).toBe(200);
      const limited = await login('203.0.113.7');
      expectError(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await login('203.0.113.8')).status).toBe(200);
    });
  },
  { env: { WRITE_RATE_LIMIT: '3', LOGIN_RATE_LIMIT: '2' }, wechat: { code2session: async (code) => ({ openid: `wx-${code}` }) } },
);

// ------------------------------------------------- body limit, CORS, headers, audit

async function rawHttp(url: string, method: string, pathAndQuery: string, headers: Record<string, string> = {}, chunks: Buffer[] = []) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ hostname, port, method, path: pathAndQuery, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    // The server may answer 413 and close before the whole body is sent.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

function expectSecurityHeaders(get: (name: string) => string | null | undefined) {
  expect(get('x-content-type-options')).toBe('nosniff');
  expect(get('x-frame-options')).toBe('DENY');
  expect(get('referrer-policy')).toBe('no-referrer');
}

describeEachDriver(
  'hardening: body limit, CORS, security headers, append-only audit log',
  (ctx) => {
    let dir = '';
    let server: RunningServer | undefined;
    let bare: RunningServer | undefined;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'h5-'));
      await mkdir(path.join(dir, 'h5', 'js'), { recursive: true });
      await mkdir(path.join(dir, 'h5-private'), { recursive: true });
      await writeFile(path.join(dir, 'h5', 'index.html'), '<!doctype html><html><body><div id="app">党建</div><script src="/js/app.js"></script></body></html>');
      await writeFile(path.join(dir, 'h5', 'js', 'app.js'), 'console.log("h5")');
      await writeFile(path.join(dir, 'h5-private', 'secret.txt'), 'PRIVATE-NEXT-TO-THE-H5-FOLDER');
      server = await startServer({ app: ctx().app, staticDir: path.join(dir, 'h5') });
      bare = await startServer({ app: ctx().app });
    });
    afterAll(async () => {
      await server?.close();
      await bare?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('a JSON body over the limit gets 413, one under it is read; uploads too', async () => {
      const staff = await ctx().login('staff');
      const campaign = (name: string) =>
        ctx().call('POST', '/api/commendation-campaigns', { token: staff, body: { name, year: 2026 }, headers: { 'idempotency-key': randomUUID() } });
      expectError(await campaign('表'.repeat(BODY_LIMIT)), 413, 'payload_too_large');
      expectError(await campaign('表'.repeat(BODY_LIMIT / 4)), 400, 'validation_failed'); // read, then refused for its length
      const upload = await ctx().call('POST', '/api/members/import', {
        query: IMPORT_QUERY,
        token: staff,
        rawBody: new Uint8Array(BODY_LIMIT + 1),
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      });
      expectError(upload, 413, 'payload_too_large');
    });

    it('over HTTP: a declared or a streamed (chunked) body over the limit gets 413 JSON', async () => {
      const staff = await ctx().login('staff');
      const auth = { authorization: `Bearer ${staff}`, 'content-type': 'application/json' };
      const declared = await rawHttp(server!.url, 'POST', '/api/commendation-campaigns', { ...auth, 'content-length': String(10 * 1024 * 1024) });
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toMatchObject({ error: { code: 'payload_too_large' } });
      const chunk = Buffer.from(`{"name":"${'a'.repeat(1000)}`);
      const streamed = await rawHttp(server!.url, 'POST', '/api/commendation-campaigns', { ...auth, 'transfer-encoding': 'chunked' }, [chunk, chunk, chunk, chunk, chunk]);
      expect(streamed.status).toBe(413);
      expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    });

    it('CORS: a configured origin is allowed, any other is not; preflight answered', async () => {
      const allowed = await ctx().call('GET', '/api/health', { headers: { origin: ORIGIN } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(allowed.headers.get('vary')).toContain('Origin');
      const other = await ctx().call('GET', '/api/health', { headers: { origin: 'https://evil.example.com' } });
      expect(other.status).toBe(200);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const none = await ctx().call('GET', '/api/health');
      expect(none.headers.get('access-control-allow-origin')).toBeNull();

      const preflight = await ctx().call('OPTIONS', '/api/transfers', {
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      const allowHeaders = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const h of ['authorization', 'content-type', 'idempotency-key']) expect(allowHeaders).toContain(h);
      const otherPreflight = await ctx().call('OPTIONS', '/api/transfers', { headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
      expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(otherPreflight.headers.get('access-control-allow-methods')).toBeNull();

      // An error answer to an allowed origin still carries CORS, so the H5 app can read the Chinese message.
      const refused = await ctx().call('GET', '/api/me', { headers: { origin: ORIGIN } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    });

    it('security headers on every kind of API answer', async () => {
      const staff = await ctx().login('staff');
      const answers = [
        await ctx().call('GET', '/api/health'),
        await ctx().call('GET', '/api/me'), // 401
        await ctx().call('GET', '/api/nowhere'), // 404
        await ctx().call('OPTIONS', '/api/health'),
        await ctx().call('GET', '/api/members/import-template', { token: staff }), // a file
      ];
      for (const res of answers) {
        expectSecurityHeaders((n) => res.headers.get(n));
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
      const overHttp = await fetch(`${server!.url}/api/health`);
      expectSecurityHeaders((n) => overHttp.headers.get(n));
    });

    it('security headers on H5 static answers: index, assets, client-side routes and 404s', async () => {
      for (const p of ['/', '/index.html', '/js/app.js', '/pages/members/detail?id=3']) {
        const res = await fetch(`${server!.url}${p}`);
        expect(res.status, p).toBe(200);
        expectSecurityHeaders((n) => res.headers.get(n));
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("connect-src 'self'");
      }
      expect((await fetch(`${server!.url}/js/app.js`)).headers.get('content-type')).toContain('javascript');
      const missing = await fetch(`${bare!.url}/`);
      expect(missing.status).toBe(404);
      expectSecurityHeaders((n) => missing.headers.get(n));
      expect(missing.headers.get('content-security-policy')).toContain("default-src 'self'");
    });

    it('the static server stays inside its folder and answers a malformed path without a 500', async () => {
      for (const p of ['/%2e%2e/h5-private/secret.txt', '/..%2fh5-private%2fsecret.txt', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
        const res = await rawHttp(server!.url, 'GET', p);
        expect(res.body, p).not.toContain('PRIVATE-NEXT-TO-THE-H5-FOLDER');
        expect(res.body, p).not.toContain('root:');
      }
      const malformed = await rawHttp(server!.url, 'GET', '/%E0%A4%A');
      expect(malformed.status).toBeLessThan(500);
      expectSecurityHeaders((n) => malformed.headers[n] as string | undefined);
      const staff = await ctx().login('staff');
      const apiMalformed = await rawHttp(server!.url, 'GET', '/api/transfers/%', { authorization: `Bearer ${staff}` });
      expect(apiMalformed.status).toBe(400);
      expect(JSON.parse(apiMalformed.body)).toMatchObject({ error: { code: 'validation_failed' } });
    });

    it('the audit log is append-only in the database: UPDATE, DELETE and TRUNCATE raise', async () => {
      const staff = await ctx().login('staff');
      const [someMember] = rowsOf<{ id: number }>(await ctx().db.execute(sql`select id from members order by id limit 1`));
      expect((await ctx().call('POST', `/api/members/${someMember!.id}/reveal-id`, { token: staff, headers: { 'idempotency-key': randomUUID() } })).status).toBe(200);
      const [row] = await ctx().db.select().from(auditLog).orderBy(sql`${auditLog.id} desc`).limit(1);
      expect(row).toBeDefined();
      const attempts = [
        sql`update audit_log set action = 'tampered' where id = ${row!.id}`,
        sql`update audit_log set details = null`,
        sql`delete from audit_log where id = ${row!.id}`,
        sql`delete from audit_log`,
        sql`truncate audit_log`,
      ];
      for (const statement of attempts) {
        const err = await ctx().db.execute(statement).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, 'the statement must fail').not.toBeNull();
        expect(pgError(err).code).toBe('42501');
      }
      const [after] = await ctx().db.select().from(auditLog).where(eq(auditLog.id, row!.id));
      expect(after).toEqual(row);
      // And the API offers no way to change it: no write route under an audit path.
      expect(routes.filter((r) => r.endpoint.method !== 'GET' && /audit/i.test(r.endpoint.path))).toEqual([]);
    });
  },
  { env: { BODY_LIMIT_BYTES: String(BODY_LIMIT), CORS_ORIGINS: `${ORIGIN}, https://admin.dangjian.example.cn` } },
);

// ------------------------------------------------------------ nothing secret in logs

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
        expectError(await t.call('POST', '/api/auth/wechat', { body: { code: 'broken' } }), 503, 'unavailable');
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
