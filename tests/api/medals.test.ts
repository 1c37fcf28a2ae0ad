/** 光荣在党50年: the list as of 1 July, the award recorded once in a life, the profile and the branch list. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { accounts, auditLog, medalAwards, members } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';

interface ListBody {
  year: number;
  cutoff: string;
  members: { memberId: number; name: string; newlyEligible: boolean; reachesOn: string; partyStandingYears: number }[];
  newlyEligible: number;
  awarded: { memberId: number; awardedOn: string; presentedBy: string }[];
}

let seq = 0;
const key = () => `medal-${Date.now()}-${++seq}`;

describeEachDriver('光荣在党50年纪念章', (ctx) => {
  const c = () => ctx();
  let staff = '';
  /** 转正 1976-07-01: 50 on 1 July 2026 exactly. */
  let onCutoff = { memberId: 0, accountId: 0, organizationId: 0 };
  /** 转正 1976-07-02: one day late for 2026, on the 2027 list. */
  let dayLate = { memberId: 0, accountId: 0, organizationId: 0 };

  const list = async (year: number) => (await c().call<ListBody>('GET', '/api/birthdays/medal-eligible', { token: staff, query: { year } })).body;
  const award = (memberId: number, extra: Record<string, unknown> = {}, idempotencyKey = key()) =>
    c().call('POST', '/api/birthdays/medal-awards', {
      token: staff,
      body: { memberId, awardedOn: '2026-06-12', presentedBy: '镇党委书记 王建国', ...extra },
      headers: { 'idempotency-key': idempotencyKey },
    });

  it('sets two members 转正 on 1976-07-01 and 1976-07-02', async () => {
    staff = await c().login('staff');
    const rows = await c()
      .db.select({ memberId: members.id, accountId: accounts.id, organizationId: members.organizationId })
      .from(members)
      .innerJoin(accounts, eq(accounts.memberId, members.id))
      .where(and(eq(accounts.role, 'member'), eq(members.status, 'active')))
      .orderBy(asc(members.id))
      .limit(2);
    [onCutoff, dayLate] = rows as [typeof onCutoff, typeof dayLate];
    await c().db.update(members).set({ joinedAt: '1975-07-01', confirmedAt: '1976-07-01', category: 'full' }).where(eq(members.id, onCutoff.memberId));
    await c().db.update(members).set({ joinedAt: '1975-07-02', confirmedAt: '1976-07-02', category: 'full' }).where(eq(members.id, dayLate.memberId));
  });

  it('the 2026 list cuts at 1 July: reaching 50 on 1 July is in and newly marked; on 2 July is next year; earlier years stay unmarked', async () => {
    const y2026 = await list(2026);
    expect(y2026.cutoff).toBe('2026-07-01');
    const mine = y2026.members.find((m) => m.memberId === onCutoff.memberId);
    expect(mine).toMatchObject({ newlyEligible: true, reachesOn: '2026-07-01', partyStandingYears: 50 });
    expect(y2026.members.some((m) => m.memberId === dayLate.memberId)).toBe(false);
    const li = y2026.members.find((m) => m.name === '李守仁'); // 转正 1969: eligible since 2019, never awarded
    expect(li).toMatchObject({ newlyEligible: false });
    expect(y2026.newlyEligible).toBe(y2026.members.filter((m) => m.newlyEligible).length);
    const y2027 = await list(2027);
    expect(y2027.members.find((m) => m.memberId === dayLate.memberId)).toMatchObject({ newlyEligible: true, reachesOn: '2026-07-02' });
  });

  it('the branch list says 待颁发 before the award', async () => {
    const res = await c().call('GET', '/api/birthdays', { token: staff, query: { month: '2026-07', organizationId: onCutoff.organizationId } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.members.find((m: { memberId: number }) => m.memberId === onCutoff.memberId)).toMatchObject({ medalEligible: true, medal: 'pending' });
  });

  it('staff record the award (201, audited); a retry answers the same record; a different second award is refused (409 naming the first)', async () => {
    const k = key();
    const first = await award(onCutoff.memberId, {}, k);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ alreadyRecorded: false, award: { memberId: onCutoff.memberId, year: 2026, awardedOn: '2026-06-12', presentedBy: '镇党委书记 王建国' } });
    const replay = await award(onCutoff.memberId, {}, k);
    expect(replay.body).toEqual(first.body);
    const retry = await award(onCutoff.memberId);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ alreadyRecorded: true, award: { id: first.body.award.id } });
    const other = await award(onCutoff.memberId, { awardedOn: '2026-06-14', presentedBy: '县委组织部' });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain('2026年6月12日由镇党委书记 王建国颁发');
    expect(await c().db.select().from(medalAwards).where(eq(medalAwards.memberId, onCutoff.memberId))).toHaveLength(1);
    const audits = await c().db.select().from(auditLog).where(and(eq(auditLog.action, 'medal.award'), eq(auditLog.targetId, String(onCutoff.memberId))));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorRole: 'staff', details: { year: 2026, awardedOn: '2026-06-12' } });
  });

  it('after the award the member leaves the list for good and appears among the year’s presentations', async () => {
    const y2026 = await list(2026);
    expect(y2026.members.some((m) => m.memberId === onCutoff.memberId)).toBe(false);
    expect(y2026.awarded.find((a) => a.memberId === onCutoff.memberId)).toMatchObject({ awardedOn: '2026-06-12' });
    const y2027 = await list(2027);
    expect(y2027.members.some((m) => m.memberId === onCutoff.memberId)).toBe(false);
    expect(y2027.awarded.some((a) => a.memberId === onCutoff.memberId)).toBe(false);
  });

  it('the profile shows it to the member, their secretary and staff; nobody else', async () => {
    const own = await c().call('GET', `/api/members/${onCutoff.memberId}/medal`, { token: await c().login('member', onCutoff.accountId) });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ memberId: onCutoff.memberId, reachesOn: '2026-07-01', award: { awardedOn: '2026-06-12', presentedBy: '镇党委书记 王建国' } });
    const [secretary] = await c().db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.organizationId, onCutoff.organizationId)));
    expect((await c().call('GET', `/api/members/${onCutoff.memberId}/medal`, { token: await c().login('secretary', secretary!.id) })).status).toBe(200);
    const stranger = await c().call('GET', `/api/members/${onCutoff.memberId}/medal`, { token: await c().login('member', dayLate.accountId) });
    expect(stranger.status).toBe(404);
    const none = await c().call('GET', `/api/members/${dayLate.memberId}/medal`, { token: staff });
    expect(none.body).toMatchObject({ award: null, reachesOn: '2026-07-02' });
  });

  it('the branch list then says 已颁发', async () => {
    const res = await c().call('GET', '/api/birthdays', { token: staff, query: { month: '2026-07', organizationId: onCutoff.organizationId } });
    expect(res.body.members.find((m: { memberId: number }) => m.memberId === onCutoff.memberId)).toMatchObject({ medal: 'awarded' });
  });

  it('refuses a member not yet 50 by that year’s 1 July (422 naming the day), a future date (422), and anyone but staff (403)', async () => {
    const early = await award(dayLate.memberId);
    expect(early.status).toBe(422);
    expect(early.body.error.message).toContain('2026年7月2日满50年');
    expect((await award(dayLate.memberId, { awardedOn: '2026-06-16' })).status).toBe(422);
    const [secretary] = await c().db.select().from(accounts).where(eq(accounts.role, 'secretary')).limit(1);
    const res = await c().call('POST', '/api/birthdays/medal-awards', {
      token: await c().login('secretary', secretary!.id),
      body: { memberId: dayLate.memberId, awardedOn: '2026-06-10', presentedBy: 'x' },
      headers: { 'idempotency-key': key() },
    });
    expect(res.status).toBe(403);
    expect((await award(999_999)).status).toBe(404);
    const [{ n } = { n: 0 }] = await c().db.select({ n: sql<number>`count(*)::int` }).from(medalAwards).where(eq(medalAwards.memberId, dayLate.memberId));
    expect(Number(n)).toBe(0);
  });
});
