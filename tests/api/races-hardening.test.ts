/**
 * Races from the security review (issue 13), on the machine's PostgreSQL
 * through the Neon driver and node-postgres: a capped check-in retried at once
 * with one key (13.7), the study roll-up while members are suspended and
 * reinstated during check-ins (13.8), and registrations of one ID number from
 * several accounts at once (13.1: answered alike, settled at approval).
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../db/seed/identity.js';
import { accounts, members, studyDays, studyEntries } from '../../db/schema/index.js';
import { POSTGRES_DRIVERS, raceSuite, statuses } from '../helpers/postgres-races.js';
import { consentingApplicant } from '../helpers/privacy.js';

const rowsOfResult = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

for (const driver of POSTGRES_DRIVERS) {
  describe(`security races on PostgreSQL [${driver}]`, () => {
    const s = raceSuite(driver);
    const { call } = s;

    it('a capped check-in sent 50 times at once with one key: every answer is the first one (13.7)', async () => {
      for (let round = 0; round < 3; round++) {
        const m = await s.w.freshMember();
        const key = `race-capped-${randomUUID()}`;
        const body = { way: 'platform', topic: '学习党章', minutes: 60 };
        const results = await Promise.all(Array.from({ length: 50 }, () => call('POST', '/api/study/checkins', m.token, body, key)));
        expect(statuses(results).filter((status) => status !== 201), JSON.stringify(results.find((r) => r.status !== 201)?.body)).toEqual([]);
        expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
        expect(await s.ctx.db.select().from(studyEntries).where(eq(studyEntries.memberId, m.memberId))).toHaveLength(1);
        const [day] = await s.ctx.db.select().from(studyDays).where(eq(studyDays.memberId, m.memberId));
        expect(day).toMatchObject({ minutes: 60, selfReportedMinutes: 60 });
        // A new key at the cap is refused, and its retry is refused alike.
        const fresh = `race-capped-${randomUUID()}`;
        const refused = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/api/study/checkins', m.token, { ...body, minutes: 10 }, fresh)));
        expect(statuses(refused)).toEqual([422, 422, 422, 422, 422]);
      }
    });

    it('the study roll-up stays exact while members are suspended and reinstated during check-ins (13.8)', async () => {
      /** Rows of study_org_days that differ from a recount of study_days (members active in the credited branch). */
      const drift = async () =>
        rowsOfResult(
          await s.ctx.db.execute(sql`
            with truth as (
              select d.organization_id, d.day, count(*) filter (where d.minutes >= 60)::int as met,
                     count(*) filter (where d.minutes > 0)::int as studied, coalesce(sum(d.minutes), 0)::int as total
              from study_days d join members m on m.id = d.member_id and m.status = 'active' and m.organization_id = d.organization_id
              group by d.organization_id, d.day
            )
            select coalesce(t.organization_id, r.organization_id) as org, coalesce(t.day, r.day)::text as day,
                   t.total as expected, r.total_minutes as stored
            from truth t full join study_org_days r on r.organization_id = t.organization_id and r.day = t.day
            where coalesce(t.met, 0) <> coalesce(r.met_members, 0) or coalesce(t.studied, 0) <> coalesce(r.studied_members, 0)
               or coalesce(t.total, 0) <> coalesce(r.total_minutes, 0)`),
        );
      expect(await drift()).toEqual([]);
      for (let round = 0; round < 3; round++) {
        const people = await Promise.all(Array.from({ length: 4 }, () => s.w.freshMember()));
        const checkIns = people.flatMap((m) =>
          Array.from({ length: 10 }, (_, i) => () =>
            call('POST', '/api/study/checkins', m.token, { way: 'platform', topic: '学习党章', minutes: 1 + (i % 3) }, `drift-${randomUUID()}`),
          ),
        );
        const flips = people.flatMap((m) =>
          Array.from({ length: 10 }, () => () =>
            s.ctx.db.execute(sql`update members set status = case when status = 'active' then 'suspended' else 'active' end where id = ${m.memberId}`),
          ),
        );
        // Interleave the two kinds so they overlap.
        const all = checkIns.flatMap((c, i) => [c, flips[i]!]);
        await Promise.all(all.map((run) => run()));
        expect(await drift(), `round ${round}`).toEqual([]);
      }
    }, 60_000);

    it('registrations with one ID number from 6 accounts at once: all answered alike (no oracle), the reviewer sees the duplicates, one account at most is linked', async () => {
      const birthDate = driver === 'neon' ? '1983-02-11' : '1983-02-12';
      const body = {
        name: '并发登记',
        gender: 'male',
        ethnicity: '汉族',
        birthDate,
        idNumber: makeIdNumber(birthDate, 'male', 7, '110105'),
        phone: '13912345678',
        organizationId: s.w.branchA,
        category: 'full',
        joinedAt: '2010-07-01',
        confirmedAt: '2011-07-01',
      };
      const tokens = await Promise.all(Array.from({ length: 6 }, () => consentingApplicant(s.ctx)));
      const results = await Promise.all(tokens.map((token) => call('POST', '/api/registrations', token, body)));
      expect(statuses(results)).toEqual([201, 201, 201, 201, 201, 201]);
      const items = (await call('GET', '/api/registrations', s.w.tokens.ownSecretary)).body.items as { id: number; name: string; conflicts: string[] }[];
      const mine = items.filter((r) => r.name === body.name);
      expect(mine).toHaveLength(6);
      expect(mine.every((r) => r.conflicts.includes('duplicate_pending'))).toBe(true);
      const approvals = await Promise.all(mine.map((r) => call('POST', `/api/registrations/${r.id}/approve`, s.w.tokens.ownSecretary)));
      expect(statuses(approvals)).toEqual([200, 409, 409, 409, 409, 409]);
      const linked = await s.ctx.db.select().from(members).where(eq(members.name, body.name));
      expect(linked).toHaveLength(1);
      expect(await s.ctx.db.select().from(accounts).where(eq(accounts.memberId, linked[0]!.id))).toHaveLength(1);
    });
  });
}
