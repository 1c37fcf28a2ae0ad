/**
 * Reads that write an audit row are rate-limited per account (issue 13.14):
 * each call leaves an undeletable row, so a loop over GET /api/me/export could
 * fill the log. Found from the route table: every read (and the ID reveal) is
 * called once, and each one that wrote an audit row must refuse the call past
 * the account's limit with 429 and Retry-After, writing no row for it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { routes } from '../../api/_routes.js';
import { rowsOf } from '../../db/client.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { buildWorld, expectedOutcome, FIXTURES, type Actor, type World } from '../helpers/route-fixtures/index.js';

const LIMIT = 3;
// County staff last: the county's own reads (县级默认设置, 全县发展党员, 乡镇管理) let only them in.
const CALLERS: Actor[] = ['owner', 'ownSecretary', 'staff', 'county'];

const auditCount = async (t: TestContext) =>
  Number(rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from audit_log`))[0]?.n ?? 0);

/** Reads, and the POSTs that only read (the ID reveal). */
const candidates = routes
  .map((r) => r.endpoint)
  .filter((e) => (e.method === 'GET' || e.path.endsWith('/reveal-id')) && e.access !== 'cron' && e.access !== 'public');

async function request(w: World, key: string, extraQuery: Record<string, string> = {}) {
  const e = candidates.find((c) => `${c.method} ${c.path}` === key)!;
  // The full roster export is staff's alone.
  const callers: Actor[] = extraQuery.full ? ['staff'] : CALLERS;
  const actor = callers.find((a) => (FIXTURES[key]!.override?.[a] ?? expectedOutcome(e.access, e.ownership, a)) === 'ok')!;
  const prepared = await FIXTURES[key]!.prepare(w, actor);
  const token = actor === 'owner' ? (prepared.ownerToken ?? (await w.freshMember()).token) : w.tokens[actor as Exclude<Actor, 'anonymous' | 'owner'>];
  const { method, path, query } = prepared.request;
  return () => w.ctx.call(method, path, { token, query: { ...query, ...extraQuery }, headers: { 'idempotency-key': `audited-${randomUUID()}` } });
}

describeEachDriver(
  'reads that write audit rows are rate-limited per account',
  (ctx) => {
    it('every audited read refuses the call past the limit (429, Retry-After, no audit row), and allows again next minute', async () => {
      const t = ctx();
      const w = await buildWorld(t);
      const audited: string[] = [];
      const variants: [string, Record<string, string>][] = candidates.map((e) => [`${e.method} ${e.path}`, {}]);
      variants.push(['GET /api/members/export', { full: '1' }]);
      for (const [key, extra] of variants) {
        await t.db.execute(sql`delete from rate_limits where bucket like 'audited-read:%'`);
        const send = await request(w, key, extra);
        const before = await auditCount(t);
        const first = await send();
        expect(first.status, `${key} ${JSON.stringify(first.body)}`).toBeLessThan(300);
        if ((await auditCount(t)) === before) continue;
        const label = `${key}${extra.full ? '?full=1' : ''}`;
        audited.push(label);
        for (let i = 1; i < LIMIT; i++) expect((await send()).status, label).toBeLessThan(300);
        const afterLimit = await auditCount(t);
        expect(afterLimit - before, label).toBe(LIMIT);
        const refused = await send();
        expect(refused.status, label).toBe(429);
        expect(refused.body).toMatchObject({ error: { code: 'rate_limited', message: expect.any(String) } });
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await auditCount(t), `${label}: the refused call wrote no audit row`).toBe(afterLimit);
        t.clock.advance(1.1); // minutes
        expect((await send()).status, `${label} next minute`).toBeLessThan(300);
      }
      expect(audited.sort()).toEqual(
        [
          'GET /api/birthdays/medal-eligible',
          'GET /api/development/export',
          'GET /api/me/export',
          'GET /api/members/export?full=1',
          'GET /api/orglife/export',
          'GET /api/transfers/ledger',
          'POST /api/members/:id/reveal-id',
        ].sort(),
      );
    }, 120_000);

    it('the limit is per account: another account may still export its own data', async () => {
      const t = ctx();
      const w = await buildWorld(t);
      const a = await w.freshMember();
      const b = await w.freshMember();
      for (let i = 0; i < LIMIT; i++) expect((await t.call('GET', '/api/me/export', { token: a.token })).status).toBe(200);
      expect((await t.call('GET', '/api/me/export', { token: a.token })).status).toBe(429);
      expect((await t.call('GET', '/api/me/export', { token: b.token })).status).toBe(200);
    });
  },
  { env: { AUDITED_READ_RATE_LIMIT: String(LIMIT), WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' } },
);
