/**
 * Hardening, on both drivers: write and login rate limits kept in the database (429 + Retry-After), shared by
 * every instance of the app.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createApp } from '../../api/_app/app.js';
import { rowsOf } from '../../db/client.js';
import { routes } from '../../api/_routes.js';
import { accounts } from '../../db/schema/index.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { expectJsonError } from '../helpers/expect-error.js';

async function memberAccounts(t: TestContext, n: number): Promise<number[]> {
  const rows = await t.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.role, 'member')).orderBy(accounts.id).limit(n);
  return rows.map((r) => r.id);
}

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
      expectJsonError(limited, 429, 'rate_limited');
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
      expectJsonError(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await login('203.0.113.8')).status).toBe(200);
    });
  },
  { env: { WRITE_RATE_LIMIT: '3', LOGIN_RATE_LIMIT: '2' }, wechat: { code2session: async (code) => ({ openid: `wx-${code}` }) } },
);

// ------------------------------------------------- body limit, CORS, headers, audit
