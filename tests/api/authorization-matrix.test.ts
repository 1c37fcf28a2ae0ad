/**
 * The authorization matrix, generated from the route table: every route is
 * called as no token, a forged token, an expired token, the owning member,
 * another member of the same branch, a member of another branch, the owning
 * branch's secretary, another branch's secretary and staff. The expected
 * answer comes from the route's `access` and its `ownership` declaration; each
 * caller gets fresh state, so an allowed call can really succeed.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { routes } from '../../api/_routes.js';
import type { Ownership } from '../../shared/http.js';
import { describeEachDriver } from '../helpers/harness.js';
import { ACTORS, buildWorld, expectedOutcome, FIXTURES, type Outcome } from '../helpers/route-fixtures.js';

/** The ownership kinds the matrix knows how to expect (shared/http.ts `Ownership`). */
const OWNERSHIPS: readonly Ownership[] = ['none', 'self', 'personal', 'member', 'branch', 'township'];

describeEachDriver(
  'authorization matrix over every route',
  (ctx) => {
    it('every route declares its ownership and has a matrix fixture', () => {
      const keys = routes.map((r) => `${r.endpoint.method} ${r.endpoint.path}`);
      expect(
        routes.filter((r) => !OWNERSHIPS.includes(r.endpoint.ownership)).map((r) => `${r.endpoint.method} ${r.endpoint.path}`),
        'declare ownership on the contract (endpoint({ ownership }))',
      ).toEqual([]);
      expect(keys.filter((k) => !FIXTURES[k]), 'add a fixture in this test').toEqual([]);
      expect(Object.keys(FIXTURES).filter((k) => !keys.includes(k)), 'stale fixtures').toEqual([]);
    });

    it('each caller gets exactly what access and ownership allow', async () => {
      const w = await buildWorld(ctx());
      const failures: string[] = [];
      let calls = 0;
      for (const { endpoint } of routes) {
        const key = `${endpoint.method} ${endpoint.path}`;
        const fixture = FIXTURES[key];
        const owner = endpoint.ownership;
        if (!fixture || !owner) continue;
        for (const actor of ACTORS) {
          const expected = fixture.override?.[actor] ?? expectedOutcome(endpoint.access, owner, actor);
          const prepared = await fixture.prepare(w, actor);
          const token =
            actor === 'anonymous' ? null : actor === 'owner' ? (prepared.ownerToken ?? (await w.freshMember()).token) : w.tokens[actor];
          const { request } = prepared;
          const res = await ctx().call(request.method, request.path, {
            token,
            body: request.body,
            rawBody: request.rawBody,
            query: request.query,
            headers: {
              'idempotency-key': `matrix-${randomUUID()}`,
              ...(request.rawBody ? { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } : {}),
            },
          });
          calls++;
          const got: Outcome | 'other' =
            res.status === 401
              ? 'unauthenticated'
              : res.status === 403 || res.status === 404
                ? 'denied'
                : res.status < 300 || (fixture.alsoOk ?? []).includes(res.status)
                  ? 'ok'
                  : 'other';
          if (got !== expected) {
            failures.push(`${key} as ${actor}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
          }
          if (res.status >= 400) {
            expect(res.body, `${key} as ${actor}: error body`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
          }
        }
      }
      console.log(`[${ctx().driver}] authorization matrix: ${routes.length} routes × ${ACTORS.length} callers = ${calls} calls`);
      expect(failures).toEqual([]);
    }, 240_000);

    it('the scheduler secret opens the cron route and nothing else', async () => {
      const cron = ctx().config.cronSecret!;
      const res = await ctx().call('POST', '/api/cron/birthday-reminders', { token: cron });
      expect(res.status).toBeLessThan(300);
      expect((await ctx().call('GET', '/api/me', { token: cron })).status).toBe(401);
    });
  },
  { env: { WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' }, wechat: { code2session: async (code) => ({ openid: `wx-${code}` }) } },
);

