/**
 * Races on the machine's PostgreSQL, through the production Neon driver and through node-postgres: the database
 * settles each race — exactly one winner, no duplicates, no gaps in letter numbers.
 *
 * Already covered in the domain files (not repeated here): 50 identical check-ins and the daily cap under 10
 * parallel ones (study.test.ts), 5 double-tapped birthday sign-ins (birthdays.test.ts), 20 approvals of one
 * transfer and 20 letters for 20 transfers (transfers-constraints.test.ts) — on the Neon driver only; the races
 * from the security review (capped check-ins with one key, the study roll-up under status flips, registrations of
 * one ID number from several accounts) are in races-hardening.test.ts. This file adds node-postgres,
 * approve-vs-reject, concurrent member edits and letter numbers with rolled-back losers in between; the retry of
 * serialization failures and deadlocks is in races-retry.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  auditLog,
  birthdaySignIns,
  members,
  studyDays,
  studyEntries,
  transferEvents,
  transferLetterSequences,
  transfers,
} from '../../db/schema/index.js';
import type { Person } from '../helpers/route-fixtures/index.js';
import { POSTGRES_DRIVERS, raceSuite, statuses, type Res } from '../helpers/postgres-races.js';
import { sameCountyOutBody } from '../helpers/transfer-bodies.js';

const expect409 = (r: Res, codes: string[]) => {
  expect(r.status, JSON.stringify(r.body)).toBe(409);
  expect(codes).toContain(r.body.error.code);
};


for (const driver of POSTGRES_DRIVERS) {
  describe(`races on PostgreSQL [${driver}]`, () => {
    const s = raceSuite(driver);
    const { call } = s;

    /** A member of branch A with an out transfer at 党委审批 (pending_committee, version 2). */
    async function transferAtTownship(): Promise<{ person: Person; id: number }> {
      const person = await s.w.freshMember();
      const created = await call('POST', '/api/transfers', person.token, sameCountyOutBody());
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const reviewed = await call('POST', `/api/transfers/${created.body.id}/review`, s.w.tokens.ownSecretary, { decision: 'approve', version: 1 });
      expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
      expect(reviewed.body).toMatchObject({ state: 'pending_committee', version: 2 });
      return { person, id: created.body.id as number };
    }

    const lastLetterNumber = async () =>
      (await s.ctx.db.select().from(transferLetterSequences).where(eq(transferLetterSequences.year, 2026)))[0]?.lastNumber ?? 0;

    it('duplicate check-ins (one Idempotency-Key, 20 at once) leave one entry and credit the minutes once', async () => {
      const m = await s.w.freshMember();
      const key = `race-checkin-${randomUUID()}`;
      const body = { way: 'platform', topic: '学习党章', minutes: 30 };
      const results = await Promise.all(Array.from({ length: 20 }, () => call('POST', '/api/study/checkins', m.token, body, key)));
      expect(new Set(statuses(results))).toEqual(new Set([201]));
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await s.ctx.db.select().from(studyEntries).where(eq(studyEntries.memberId, m.memberId))).toHaveLength(1);
      const [day] = await s.ctx.db.select().from(studyDays).where(eq(studyDays.memberId, m.memberId));
      expect(day).toMatchObject({ minutes: 30, selfReportedMinutes: 30 });
    });

    it('duplicate birthday sign-ins (10 at once) make exactly one record; the others see it', async () => {
      const m = await s.w.freshMember(); // admitted 2010-06-10: the June window is open on TEST_NOW
      const results = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/api/birthdays/sign-in', m.token, { oathConfirmed: true })));
      expect(statuses(results)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.signIn.id)).size).toBe(1);
      expect(await s.ctx.db.select().from(birthdaySignIns).where(eq(birthdaySignIns.memberId, m.memberId))).toHaveLength(1);
    });

    it('approve and reject of one transfer at the same time: exactly one wins, the other 409, one timeline step, no letter number lost', async () => {
      const outcomes: string[] = [];
      for (let round = 0; round < 6; round++) {
        const { id } = await transferAtTownship();
        const before = await lastLetterNumber();
        const eventsBefore = (await s.ctx.db.select().from(transferEvents).where(eq(transferEvents.transferId, id))).length;
        const requests = [
          () => call('POST', `/api/transfers/${id}/approve`, s.w.tokens.staff, { version: 2 }),
          () => call('POST', `/api/transfers/${id}/reject`, s.w.tokens.staff, { version: 2, reason: '材料不全，请补充后重新申请' }),
        ];
        // Alternate who is sent first, so both orders are exercised.
        const [approve, reject] = round % 2 ? (await Promise.all([requests[1]!(), requests[0]!()])).reverse() : await Promise.all(requests.map((r) => r()));
        const winners = [approve!, reject!].filter((r) => r.status === 200);
        expect(winners, JSON.stringify([approve!.body, reject!.body])).toHaveLength(1);
        const loser = approve!.status === 200 ? reject! : approve!;
        expect409(loser, ['stale_version', 'invalid_transition']);
        const [row] = await s.ctx.db.select().from(transfers).where(eq(transfers.id, id));
        const events = await s.ctx.db.select().from(transferEvents).where(eq(transferEvents.transferId, id));
        expect(events.length - eventsBefore).toBe(1);
        expect(row!.version).toBe(3);
        if (approve!.status === 200) {
          outcomes.push('approve');
          expect(row).toMatchObject({ state: 'letter_issued', letterSequence: before + 1 });
          expect(await lastLetterNumber()).toBe(before + 1);
        } else {
          outcomes.push('reject');
          expect(row).toMatchObject({ state: 'rejected', letterNumber: null });
          expect(await lastLetterNumber()).toBe(before); // the approval rolled back and gave its number back
        }
        const audits = await s.ctx.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.targetType, 'transfer'), eq(auditLog.targetId, String(id)), sql`${auditLog.action} in ('transfer.approve', 'transfer.reject')`));
        expect(audits).toHaveLength(1);
      }
      console.log(`[${driver}] approve vs reject winners: ${outcomes.join(', ')}`);
    });

    it('letters for 8 transfers, each approved 3 times at once: 8 winners with consecutive numbers, no gaps, no duplicates', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 8; i++) ids.push((await transferAtTownship()).id);
      const before = await lastLetterNumber();
      // The losers of each trio take a number inside their transaction, find the transfer moved on, and roll back.
      const results = await Promise.all(ids.flatMap((id) => [0, 1, 2].map(() => call('POST', `/api/transfers/${id}/approve`, s.w.tokens.staff, { version: 2 }))));
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(8);
      for (const r of results.filter((x) => x.status !== 200)) expect409(r, ['stale_version', 'invalid_transition']);
      expect(new Set(ok.map((r) => r.body.id))).toEqual(new Set(ids));
      const rows = await s.ctx.db.select().from(transfers).where(sql`${transfers.id} in ${ids}`);
      const numbers = rows.map((r) => r.letterSequence as number).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => before + 1 + i));
      expect(await lastLetterNumber()).toBe(before + 8);
      for (const r of rows) expect(r.letterNumber).toBe(`2026-${String(r.letterSequence).padStart(4, '0')}`);
    });

    it('8 staff edits of one member with the same version: one wins, the rest 409 stale_version, one audit entry', async () => {
      const m = await s.w.freshMember();
      const educations = ['小学', '初中', '高中', '中专', '大专', '本科', '硕士', '博士'];
      const results = await Promise.all(educations.map((education) => call('PATCH', `/api/members/${m.memberId}`, s.w.tokens.staff, { version: 1, education })));
      const ok = results.filter((r) => r.status === 200);
      expect(ok, JSON.stringify(results.map((r) => r.body))).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expect409(r, ['stale_version']);
      const [row] = await s.ctx.db.select().from(members).where(eq(members.id, m.memberId));
      expect(row).toMatchObject({ version: 2, education: ok[0]!.body.education });
      const audits = await s.ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.update'), eq(auditLog.targetId, String(m.memberId))));
      expect(audits).toHaveLength(1);
    });
  });
}
