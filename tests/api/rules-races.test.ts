/**
 * The new rules under concurrency, on the machine's PostgreSQL (PGlite is
 * single-connection): the unique indexes settle each race — one medal per
 * member in a life, one title per member and year, one credit per timed session.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, commendations, medalAwards, members, studyEntries } from '../../db/schema/index.js';
import { createTestContext, type TestContext, type TestDriver } from '../helpers/harness.js';

const DRIVERS = ['neon', 'node-postgres'] as const;
const N = 6;

for (const driver of DRIVERS) {
  describe(`rule races on PostgreSQL [${driver}]`, () => {
    let c: TestContext;
    let staff = '';
    let free: { memberId: number; accountId: number }[] = [];

    beforeAll(async () => {
      c = await createTestContext(driver as TestDriver, { env: { WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' } });
      staff = await c.login('staff');
      free = await c.db
        .select({ memberId: members.id, accountId: accounts.id })
        .from(members)
        .innerJoin(accounts, eq(accounts.memberId, members.id))
        .where(and(eq(accounts.role, 'member'), eq(members.status, 'active'), sql`not exists (select 1 from commendations x where x.member_id = ${members.id} and x.year = 2026)`))
        .orderBy(asc(members.id));
    }, 60_000);
    afterAll(async () => {
      await c?.close();
    });

    it(`${N} staff recording the same medal at once: one record, the rest answer it`, async () => {
      const m = free[0]!;
      await c.db.update(members).set({ joinedAt: '1960-03-01', confirmedAt: '1961-03-01', category: 'full' }).where(eq(members.id, m.memberId));
      const answers = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          c.call('POST', '/api/birthdays/medal-awards', {
            token: staff,
            body: { memberId: m.memberId, awardedOn: '2026-06-10', presentedBy: '镇党委书记' },
            headers: { 'idempotency-key': `race-medal-${driver}-${i}` },
          }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([...Array<number>(N - 1).fill(200), 201]);
      expect(new Set(answers.map((a) => a.body.award.id)).size).toBe(1);
      expect(await c.db.select().from(medalAwards).where(eq(medalAwards.memberId, m.memberId))).toHaveLength(1);
    });

    it(`${N} entries of the same title for the same member and year at once: one record, the rest 409 naming it`, async () => {
      const m = free[1]!;
      const answers = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          c.call('POST', '/api/commendations', {
            token: staff,
            body: { category: 'outstanding_member', memberId: m.memberId, level: i % 2 ? 'county' : 'township', awardedOn: '2026-06-01', issuedBy: '中共红旗镇委员会' },
            headers: { 'idempotency-key': `race-title-${driver}-${i}` },
          }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array<number>(N - 1).fill(409)]);
      const winner = answers.find((a) => a.status === 201)!.body.id as number;
      for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error.message).toContain(`记录编号${winner}`);
      const live = await c.db.select().from(commendations).where(and(eq(commendations.memberId, m.memberId), eq(commendations.year, 2026), isNull(commendations.deletedAt)));
      expect(live).toHaveLength(1);
    });

    it(`${N} finishes of one timed session past midnight at once credit each day once`, async () => {
      const m = free[2]!;
      c.clock.set(new Date('2026-06-15T23:50:00+08:00'));
      const token = await c.login('member', m.accountId);
      const started = await c.call('POST', '/api/study/sessions', { token, body: { way: 'platform', topic: '夜读' }, headers: { 'idempotency-key': `race-start-${driver}` } });
      const id = started.body.session.id as number;
      for (let i = 0; i < 6; i++) {
        c.clock.advance(3);
        await c.call('POST', `/api/study/sessions/${id}/presence`, { token, body: {} });
      }
      c.clock.advance(2); // 00:10
      const answers = await Promise.all(
        Array.from({ length: N }, (_, i) => c.call('POST', `/api/study/sessions/${id}/finish`, { token, body: {}, headers: { 'idempotency-key': `race-finish-${driver}-${i}` } })),
      );
      for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
      const entries = await c.db.select().from(studyEntries).where(eq(studyEntries.sessionId, id)).orderBy(asc(studyEntries.day));
      expect(entries.map((e) => [e.day, e.minutes])).toEqual([
        ['2026-06-15', 10],
        ['2026-06-16', 10],
      ]);
      c.clock.set(new Date('2026-06-15T10:00:00+08:00'));
    });
  });
}
