/**
 * Per-address login limits with addresses the client cannot choose: a village
 * meeting of 60 members behind one NAT all log in within two minutes, a flood
 * from one address is cut off, and made-up X-Forwarded-For headers from a
 * client that is not a configured proxy open no new buckets.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';

const login = (ctx: TestContext, remoteAddress: string, headers: Record<string, string> = {}) =>
  ctx.call('POST', '/api/auth/wechat', { body: { code: `code-${randomUUID()}` }, headers, remoteAddress });

/** Puts the clock at the start of a one-minute window, so a test's requests share it. */
function atWindowStart(ctx: TestContext, secondsIn = 0): void {
  const now = ctx.clock.now().getTime();
  ctx.clock.set(new Date(Math.ceil(now / 60_000) * 60_000 + 60_000 + secondsIn * 1000));
}

describeEachDriver(
  'login limits per client address',
  (ctx) => {
    it('60 members behind one NAT all log in within two minutes, even all in the same minute', async () => {
      atWindowStart(ctx());
      // The worst case: every member taps 登录 within the same minute.
      const statuses = await Promise.all(Array.from({ length: 60 }, () => login(ctx(), '203.0.113.60').then((r) => r.status)));
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      // And spread across a window boundary (30 at the end of one minute, 30 at the start of the next).
      atWindowStart(ctx(), 50);
      for (let i = 0; i < 30; i++) expect((await login(ctx(), '203.0.113.61')).status).toBe(200);
      ctx().clock.advance(0.25);
      for (let i = 0; i < 30; i++) expect((await login(ctx(), '203.0.113.61')).status).toBe(200);
    });

    it('a flood from one address is limited to the per-minute allowance, with Retry-After; another address is unaffected', async () => {
      atWindowStart(ctx());
      const limit = ctx().config.loginRateLimit;
      let accepted = 0;
      let refused = 0;
      for (let i = 0; i < limit + 40; i++) {
        const res = await login(ctx(), '198.51.100.66');
        if (res.status === 200) accepted++;
        else {
          expect(res.status).toBe(429);
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          refused++;
        }
      }
      expect(accepted).toBe(limit);
      expect(refused).toBe(40);
      expect((await login(ctx(), '198.51.100.67')).status).toBe(200);
    });

    it('a new X-Forwarded-For (or X-Real-IP) on each request from an unconfigured proxy does not get around the limit', async () => {
      atWindowStart(ctx());
      const limit = ctx().config.loginRateLimit;
      const statuses: number[] = [];
      for (let i = 0; i < limit + 5; i++) {
        const forged = `10.${i % 250}.${Math.floor(i / 250)}.7`;
        statuses.push((await login(ctx(), '198.51.100.77', { 'x-forwarded-for': forged, 'x-real-ip': forged })).status);
      }
      expect(statuses.slice(0, limit).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(limit)).toEqual([429, 429, 429, 429, 429]);
    });

    it('the default allowance lets 60 logins through in a minute and no more than 100', () => {
      expect(ctx().config.loginRateLimit).toBeGreaterThanOrEqual(60);
      expect(ctx().config.loginRateLimit).toBeLessThanOrEqual(100);
    });
  },
  {
    // No proxy is trusted: the connection's address counts, whatever the headers say.
    env: { TRUST_PROXY: '', WRITE_RATE_LIMIT: '1000000' },
    wechat: { code2session: async (code) => ({ openid: `wx-${code}` }) },
  },
);

describeEachDriver(
  'login limits behind a configured proxy',
  (ctx) => {
    it("the proxy's X-Forwarded-For names the client; what the client wrote before it does not", async () => {
      atWindowStart(ctx());
      const viaProxy = (client: string, spoofed?: string) =>
        login(ctx(), '10.0.0.2', { 'x-forwarded-for': spoofed ? `${spoofed}, ${client}` : client });
      expect((await viaProxy('203.0.113.7')).status).toBe(200);
      expect((await viaProxy('203.0.113.7', '1.1.1.1')).status).toBe(200);
      expect((await viaProxy('203.0.113.7', '2.2.2.2')).status).toBe(429);
      expect((await viaProxy('203.0.113.8')).status).toBe(200);
    });
  },
  { env: { TRUST_PROXY: '10.0.0.0/8', LOGIN_RATE_LIMIT: '2' }, wechat: { code2session: async (code) => ({ openid: `wx-${code}` }) } },
);
