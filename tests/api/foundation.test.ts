import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWechatClient } from '../../api/_app/wechat.js';
import { routes } from '../../api/_routes.js';
import { createTestContext, describeEachDriver, type TestContext } from '../helpers/harness.js';
import { startWechatStub, type WechatStub } from '../helpers/wechat-stub.js';
import { expectError } from '../helpers/expect-error.js';

describeEachDriver('foundation', (ctx) => {
  it('GET /api/health answers 200 with the database reachable', async () => {
    const res = await ctx().call('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, database: { reachable: true, driver: ctx().database.driver } });
  });

  it('serves an OpenAPI document covering every route in the route table', async () => {
    const res = await ctx().call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    for (const { endpoint } of routes) {
      const path = endpoint.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(res.body.paths[path]?.[endpoint.method.toLowerCase()], `${endpoint.method} ${path}`).toBeDefined();
    }
  });

  it('answers unknown paths with 404 and wrong methods with 405, as JSON errors', async () => {
    expectError(await ctx().call('GET', '/api/nope'), 404, 'not_found');
    const res = await ctx().call('DELETE', '/api/health');
    expectError(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('refuses malformed JSON (400), a non-JSON body (415) and an oversized body (413)', async () => {
    expectError(
      await ctx().call('POST', '/api/auth/dev', { rawBody: '{"role": "staff"', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed_json',
    );
    expectError(
      await ctx().call('POST', '/api/auth/dev', { rawBody: 'role=staff', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'unsupported_media_type',
    );
    const huge = JSON.stringify({ role: 'staff', pad: 'x'.repeat(ctx().config.bodyLimitBytes) });
    expectError(await ctx().call('POST', '/api/auth/dev', { rawBody: huge, headers: { 'content-type': 'application/json' } }), 413, 'payload_too_large');
  });

  it('validates bodies with the shared zod schema and names the field', async () => {
    const res = await ctx().call('POST', '/api/auth/dev', { body: { role: 'admin' } });
    expectError(res, 400, 'validation_failed');
    expect(res.body).toMatchObject({ error: { details: { in: 'body', issues: [{ path: ['role'] }] } } });
    expectError(await ctx().call('POST', '/api/auth/dev', { body: { role: 'staff', isAdmin: true } }), 400, 'validation_failed');
  });

  it('GET /api/me: 401 without a token, with a forged token and with an expired token', async () => {
    expectError(await ctx().call('GET', '/api/me'), 401, 'unauthorized');
    const forged = await new SignJWT({ role: 'staff', org: 1, mid: null, av: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setIssuer('dangjian')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
    expectError(await ctx().call('GET', '/api/me', { token: forged }), 401, 'unauthorized');
    expectError(await ctx().call('GET', '/api/me', { token: 'garbage' }), 401, 'unauthorized');

    // A plain dev login, not ctx().login: the harness renews those as the mini-program does.
    const { token } = (await ctx().call<{ token: string }>('POST', '/api/auth/dev', { body: { role: 'member' } })).body;
    ctx().clock.advance(ctx().config.accessTokenTtlMinutes + 1);
    try {
      const res = await ctx().call('GET', '/api/me', { token });
      expectError(res, 401, 'unauthorized');
      expect((res.body as { error: { message: string } }).error.message).toContain('过期');
    } finally {
      ctx().clock.advance(-(ctx().config.accessTokenTtlMinutes + 1));
    }
  });

  it('GET /api/me returns the account, organization and masked member profile', async () => {
    const token = await ctx().login('secretary');
    const res = await ctx().call('GET', '/api/me', { token });
    expect(res.status).toBe(200);
    expect(res.body.account.role).toBe('secretary');
    expect(res.body.account.organization.kind).toBe('branch');
    expect(res.body.member.organizationId).toBe(res.body.account.organization.id);
    expect(res.body.member.idNumberMasked).toMatch(/^\d{4}\*{13}[\dX]$/);
    expect(res.body.member.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/\d{17}[\dX]/);
    expect(res.body.session).toBeNull();
  });

  it('a fresh applicant has no member record and cannot reach member routes', async () => {
    const token = await ctx().login('applicant');
    const res = await ctx().call('GET', '/api/me', { token });
    expect(res.status).toBe(200);
    expect(res.body.account.role).toBe('applicant');
    expect(res.body.member).toBeNull();
  });

  it('the dev clock moves the server day outside production', async () => {
    const res = await ctx().call('POST', '/api/dev/clock', { body: { now: '2026-12-31T23:59:00+08:00' } });
    expect(res.body.now).toBe('2026-12-31T15:59:00.000Z');
    const health = await ctx().call('GET', '/api/health');
    expect(health.body.now).toBe(res.body.now.slice(0, 17) + health.body.now.slice(17));
    await ctx().call('POST', '/api/dev/clock', { body: { now: '2026-06-15T10:00:00+08:00' } });
  });
});

describe('production mode', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('pglite', {
      env: {
        APP_ENV: 'production',
        // Production refuses weak secrets (a repeated character, a repeated byte): random ones.
        SESSION_SECRET: randomBytes(32).toString('base64'),
        ID_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        ID_HASH_KEY: randomBytes(32).toString('base64'),
        DATABASE_URL: 'postgres://unused@127.0.0.1:5432/unused',
        WECHAT_APPID: 'wx',
        WECHAT_SECRET: 'secret',
        CRON_SECRET: randomBytes(24).toString('base64'),
      },
    });
  });
  afterAll(() => ctx.close());

  it('refuses the dev login, the demo account list and the dev clock', async () => {
    expectError(await ctx.call('POST', '/api/auth/dev', { body: { role: 'staff' } }), 404, 'not_found');
    expectError(await ctx.call('GET', '/api/auth/dev/accounts'), 404, 'not_found');
    expectError(await ctx.call('POST', '/api/dev/clock', { body: { advanceMinutes: 60 } }), 404, 'not_found');
  });

  it('lists no development route in its OpenAPI document', async () => {
    const doc = await ctx.call<{ paths: Record<string, unknown> }>('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    expect(paths).toContain('/api/auth/wechat');
    expect(paths).toContain('/api/auth/refresh');
    for (const dev of ['/api/auth/dev', '/api/auth/dev/accounts', '/api/dev/clock']) expect(paths).not.toContain(dev);
    // The development document (another app in this process) still lists them.
    expect(routes.filter((r) => r.endpoint.devOnly).map((r) => r.endpoint.path).sort()).toEqual(['/api/auth/dev', '/api/auth/dev/accounts', '/api/dev/clock']);
  });
});

describe('WeChat login against a local stub of WeChat', () => {
  let stub: WechatStub;
  let ctx: TestContext;
  beforeAll(async () => {
    stub = await startWechatStub();
    ctx = await createTestContext('pglite', {
      env: { LOGIN_RATE_LIMIT: '8' },
      wechat: createWechatClient({ apiBase: stub.apiBase, appid: 'wx-test-appid', secret: 'wx-test-secret' }),
    });
  });
  afterAll(async () => {
    await ctx.close();
    await stub.close();
  });

  it('exchanges the code, never returns session_key, and the same openid logs in to the same account', async () => {
    const first = await ctx.call('POST', '/api/auth/wechat', { body: { code: 'good-abc' }, headers: { 'x-forwarded-for': '10.0.0.1' } });
    expect(first.status).toBe(200);
    expect(new TextDecoder().decode(first.bytes)).not.toMatch(/session_key|SECRET-SESSION-KEY/);
    expect(first.body.account.role).toBe('applicant');
    const second = await ctx.call('POST', '/api/auth/wechat', { body: { code: 'good-abc' }, headers: { 'x-forwarded-for': '10.0.0.1' } });
    expect(second.body.account.id).toBe(first.body.account.id);
    const me = await ctx.call('GET', '/api/me', { token: second.body.token });
    expect(me.status).toBe(200);
    expect(stub.requests.at(-1)?.searchParams.get('grant_type')).toBe('authorization_code');
  });

  it('maps WeChat errors: a used or invalid code → 401, WeChat rate limit → 429, WeChat down → 503', async () => {
    const h = { 'x-forwarded-for': '10.0.0.2' };
    expectError(await ctx.call('POST', '/api/auth/wechat', { body: { code: 'used' }, headers: h }), 401, 'unauthorized');
    expectError(await ctx.call('POST', '/api/auth/wechat', { body: { code: 'invalid' }, headers: h }), 401, 'unauthorized');
    const busy = await ctx.call('POST', '/api/auth/wechat', { body: { code: 'busy' }, headers: h });
    expectError(busy, 429, 'rate_limited');
    expectError(await ctx.call('POST', '/api/auth/wechat', { body: { code: 'broken' }, headers: h }), 503, 'unavailable');
  });

  it('rate-limits login per client address with Retry-After', async () => {
    const h = { 'x-forwarded-for': '10.0.0.3' };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await ctx.call('POST', '/api/auth/wechat', { body: { code: `good-${i}` }, headers: h })).status);
    expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    const limited = await ctx.call('POST', '/api/auth/wechat', { body: { code: 'good-x' }, headers: h });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await ctx.call('POST', '/api/auth/wechat', { body: { code: 'good-y' }, headers: { 'x-forwarded-for': '10.0.0.4' } })).status).toBe(200);
  });
});
