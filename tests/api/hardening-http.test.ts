/**
 * Hardening, on both drivers: the request body limit (413), CORS limited to configured origins, security headers
 * on API and H5 responses, and the audit log append-only in the database.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pgError } from '../../api/_app/errors.js';
import { rowsOf } from '../../db/client.js';
import { routes } from '../../api/_routes.js';
import { auditLog } from '../../db/schema/index.js';
import { startServer, type RunningServer } from '../../server/node-server.js';
import { describeEachDriver } from '../helpers/harness.js';
import { IMPORT_QUERY } from '../helpers/privacy.js';
import { expectJsonError } from '../helpers/expect-error.js';

const ORIGIN = 'https://h5.dangjian.example.cn';
const BODY_LIMIT = 4096;

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
      expectJsonError(await campaign('表'.repeat(BODY_LIMIT)), 413, 'payload_too_large');
      expectJsonError(await campaign('表'.repeat(BODY_LIMIT / 4)), 400, 'validation_failed'); // read, then refused for its length
      const upload = await ctx().call('POST', '/api/members/import', {
        query: IMPORT_QUERY,
        token: staff,
        rawBody: new Uint8Array(BODY_LIMIT + 1),
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      });
      expectJsonError(upload, 413, 'payload_too_large');
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
