/**
 * Study belongs to the member (国办函〔2026〕12号: 学习时长 is no basis of
 * assessment; no 积分排名). Every GET route an officer may call is read as the
 * branch secretary and as staff, then the members of two branches are given
 * very different study (from none to two hours, in an order unrelated to their
 * names), and every route is read again. Whatever an officer sees must be the
 * same, apart from the declared aggregates (counts and minute totals of a
 * branch or the township): a per-member minute, a rate or an ordering by study
 * would change. Routes that are the caller's own (ownership self/personal) are
 * the member's tool and not checked here.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { routes } from '../../api/_routes.js';
import { allowed } from '../../shared/http.js';
import { members, studyDays } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { buildWorld, FIXTURES, type Actor } from '../helpers/route-fixtures/index.js';

const TODAY = '2026-06-15';
/** Aggregates an officer may see move with study: figures of a branch or the township, never of a person. */
const AGGREGATE_KEYS = new Set(['study', 'studyTodayMet', 'studyMonthMinutes', 'studiedMembers', 'totalMinutes', 'studiedMemberDays', 'trend']);
/** Answers that differ on every call whatever the data (a fresh sign-in QR token, the server's uptime). */
const VOLATILE = new Set(['GET /api/study/events/:id/qr', 'GET /api/health']);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !AGGREGATE_KEYS.has(k)).map(([k, v]) => [k, strip(v)]));
  }
  return value;
}

describeEachDriver(
  'no per-member study and no ordering by study for officers',
  (ctx) => {
    it('every officer GET route answers the same whatever members studied', async () => {
      const w = await buildWorld(ctx());
      const readers: Actor[] = ['ownSecretary', 'staff'];
      // Every request is prepared first (fixtures create members), so the only change between the reads is study.
      const prepared: { key: string; actor: Actor; request: { method: string; path: string; query?: Record<string, string> } }[] = [];
      for (const { endpoint } of routes) {
        const key = `${endpoint.method} ${endpoint.path}`;
        if (endpoint.method !== 'GET' || VOLATILE.has(key) || endpoint.ownership === 'self' || endpoint.ownership === 'personal') continue;
        for (const actor of readers) {
          if (!allowed(endpoint.access, actor === 'staff' ? 'staff' : 'secretary')) continue;
          prepared.push({ key, actor, request: (await FIXTURES[key]!.prepare(w, actor)).request });
        }
      }
      const read = (r: (typeof prepared)[number]) =>
        ctx().call(r.request.method, r.request.path, { token: w.tokens[r.actor as 'ownSecretary' | 'staff'], query: r.request.query });
      const reads: ((typeof prepared)[number] & { before: unknown })[] = [];
      for (const r of prepared) {
        const res = await read(r);
        if (res.status === 200 && typeof res.body === 'object') reads.push({ ...r, before: res.body });
      }
      expect(reads.length).toBeGreaterThan(15);
      expect(reads.map((r) => r.key)).toEqual(expect.arrayContaining(['GET /api/members', 'GET /api/dashboard', 'GET /api/study/summary', 'GET /api/study/organizations/:id/week']));

      // Study in an order unrelated to names: by id parity and position, 0 to 120 minutes today and yesterday.
      const targets = await ctx().db.select({ id: members.id, organizationId: members.organizationId }).from(members)
        .where(sql`${members.organizationId} in (${w.branchA}, ${w.branchB}) and ${members.status} = 'active'`);
      for (const [i, m] of targets.entries()) {
        const minutes = (i * 37) % 121;
        if (minutes === 0) continue;
        for (const day of [TODAY, '2026-06-14']) {
          await ctx().db.insert(studyDays).values({ memberId: m.id, day, organizationId: m.organizationId, minutes })
            .onConflictDoUpdate({ target: [studyDays.memberId, studyDays.day], set: { minutes: sql`least(${studyDays.minutes} + ${minutes}, 480)` } });
        }
      }

      const changed: string[] = [];
      for (const r of reads) {
        const res = await read(r);
        expect(res.status, `${r.key} as ${r.actor}`).toBe(200);
        if (JSON.stringify(strip(res.body)) !== JSON.stringify(strip(r.before))) changed.push(`${r.key} as ${r.actor}`);
      }
      expect(changed, 'these answers moved with members’ study: a per-member figure or an ordering by study').toEqual([]);
    }, 120_000);

    it('the branch week is aggregates: no member carries minutes, the roster is by name', async () => {
      const w = await buildWorld(ctx());
      const res = await ctx().call('GET', `/api/study/organizations/${w.branchA}/week`, { token: w.tokens.ownSecretary });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ weekStart: '2026-06-15', today: TODAY });
      for (const m of [...res.body.roster, ...res.body.care]) expect(Object.keys(m).filter((k) => /minute|rate|met|streak|percent/i.test(k))).toEqual([]);
      const names = res.body.roster.map((m: { name: string }) => m.name);
      expect(names).toEqual([...names].sort());
      expect(res.body.memberCount).toBe(res.body.roster.length);
    });
  },
  { env: { WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' }, wechat: { code2session: async (code) => ({ openid: `wx-${code}` }) } },
);
