/**
 * 消息中心's reminders (political birthday, 回执 overdue, organizational life due): they appear and disappear with
 * the due state as the injected clock moves, and only for the accounts they concern.
 */
import { expect, it } from 'vitest';
import { addDays } from '../../shared/calendar.js';
import { describeEachDriver } from '../helpers/harness.js';
import { TEST_NOW } from '../helpers/constants.js';
import { messageCentre } from '../helpers/message-centre.js';
import { sameCountyOutBody } from '../helpers/transfer-bodies.js';

describeEachDriver('message centre: reminders', (ctx) => {
  const { list, post, newMember, people } = messageCentre(ctx);

  it('the political birthday is a reminder in its month, gone after the month and never someone else’s', async () => {
    const t = ctx();
    const who = await people(t);
    const member = await newMember(t, who.branchA);
    const key = '2026-06-10';
    expect((await list(member.token)).reminders.filter((r) => r.kind === 'birthday').map((r) => r.key)).toEqual([`birthday:${key}`]);
    expect((await list(who.secretaryA)).reminders.some((r) => r.key === `birthday:${key}` && r.kind === 'birthday' && r.targetId === member.memberId)).toBe(false);
    t.clock.set(new Date('2026-07-02T10:00:00+08:00'));
    try {
      expect((await list(member.token)).reminders.filter((r) => r.kind === 'birthday')).toEqual([]);
    } finally {
      t.clock.set(new Date(TEST_NOW));
    }
  });

  it('a 回执 a month late is a reminder for the township’s staff until it is recorded; township B’s staff never see it', async () => {
    const t = ctx();
    const who = await people(t);
    const subject = await newMember(t, who.branchA);
    const filed = await post<{ id: number; version: number }>('/api/transfers', subject.token, { ...sameCountyOutBody(), scope: 'in_county' });
    const reviewed = await post<{ version: number }>(`/api/transfers/${filed.id}/review`, who.secretaryA, { decision: 'approve', version: filed.version });
    const letter = await post<{ version: number; receiptDueOn: string }>(`/api/transfers/${filed.id}/approve`, who.staffA, { version: reviewed.version });
    const key = `receipt:${filed.id}`;
    const has = async (token: string) => (await list(token)).reminders.some((r) => r.key === key);
    expect(await has(who.staffA)).toBe(false);
    t.clock.set(new Date(`${addDays(letter.receiptDueOn, 1)}T10:00:00+08:00`));
    try {
      expect(await has(who.staffA)).toBe(true);
      expect(await has(who.staffB)).toBe(false);
      expect(await has(who.secretaryA)).toBe(false);
      await post(`/api/transfers/${filed.id}/receipt`, who.staffA, { version: letter.version, receivedOn: letter.receiptDueOn });
      expect(await has(who.staffA)).toBe(false);
    } finally {
      t.clock.set(new Date(TEST_NOW));
    }
  });

  it('organizational life due soon is a reminder for the branch’s secretary (the calendar’s due state), gone once held', async () => {
    const t = ctx();
    const who = await people(t);
    const branchKeys = async (token: string) => (await list(token)).reminders.filter((r) => r.kind.startsWith('orglife')).map((r) => r.key);
    const soonOf = async () => {
      const cal = await t.call<{ items: { kind: string; periodKey: string; status: string }[] }>('GET', '/api/orglife/calendar', { token: who.secretaryA });
      return cal.body.items;
    };
    // Mid-month nothing of June is due soon yet; the reminders are exactly the calendar's overdue items.
    const midMonth = await soonOf();
    const keysOf = (items: { kind: string; periodKey: string; status: string }[], statuses: string[]) =>
      items.filter((i) => statuses.includes(i.status)).map((i) => `orglife:${who.branchA}:${i.kind}:${i.periodKey}`).sort();
    expect((await branchKeys(who.secretaryA)).sort()).toEqual(keysOf(midMonth, ['overdue', 'due_soon']));
    expect(midMonth.filter((i) => i.status === 'due_soon')).toEqual([]);

    t.clock.set(new Date('2026-06-28T10:00:00+08:00'));
    try {
      const late = await soonOf();
      const soon = late.filter((i) => i.status === 'due_soon' && i.kind !== 'appraisal' && i.kind !== 'talks');
      expect(soon.length, 'some June meeting is still to hold in the demo branch').toBeGreaterThan(0);
      expect((await branchKeys(who.secretaryA)).sort()).toEqual(keysOf(late, ['overdue', 'due_soon']));
      // Another branch's secretary and the staff do not get this branch's reminders.
      for (const other of [who.secretaryB, who.staffA, who.secretaryOfB]) {
        expect((await branchKeys(other)).filter((k) => k.startsWith(`orglife:${who.branchA}:`))).toEqual([]);
      }
      const held = soon[0]!;
      await post('/api/orglife/meetings', who.secretaryA, {
        organizationId: who.branchA,
        type: held.kind,
        topic: '按期召开',
        place: '村党群服务中心',
        host: '支部书记',
        startsAt: '2026-06-27T09:00:00+08:00',
        endsAt: '2026-06-27T10:00:00+08:00',
        carriesStudy: false,
        attendance: [],
      });
      expect(await branchKeys(who.secretaryA)).not.toContain(`orglife:${who.branchA}:${held.kind}:${held.periodKey}`);
    } finally {
      t.clock.set(new Date(TEST_NOW));
    }
  });
});
