/** 政治生日, the branch's side: this month's list, the collective ceremony, and 光荣在党50年 for staff. */
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { accounts, auditLog, birthdayCeremonies, birthdaySignIns } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError, messageOf, idempotencyKey, Person, person, secretaryOf, plainMembersOf, setJoined } from '../helpers/birthdays.js';

describeEachDriver('political birthday: the branch list, collective ceremony, 光荣在党50年', (ctx) => {
  const c = () => ctx();
  let wang: Person;
  let secretary: string;
  let dongfeng: number;
  let otherBranch: number;
  let ticked: number[];
  let notTicked: number;
  let outsider: number;

  // Three more 东风村 members with June anniversaries (one a 30th), and one in 向阳村.
  beforeAll(async () => {
    wang = await person(c(), '王红旗');
    dongfeng = wang.organizationId;
    secretary = await c().login('secretary', await secretaryOf(c(), dongfeng));
    const plain = await plainMembersOf(c(), dongfeng, [wang.memberId]);
    expect(plain.length).toBeGreaterThanOrEqual(3);
    const [a, b, d] = plain as [number, number, number];
    await setJoined(c(), a, '1996-06-03', '1997-06-03'); // 30th: a milestone
    await setJoined(c(), b, '2010-06-20', '2011-06-20');
    await setJoined(c(), d, '2015-06-08', '2016-06-08');
    ticked = [wang.memberId, a];
    notTicked = b;
    const liu = await person(c(), '刘春燕');
    otherBranch = liu.organizationId;
    outsider = liu.memberId;
  });

  it('the secretary sees this month’s birthdays in the branch with years, milestones and nobody signed yet', async () => {
    const res = await c().call('GET', '/api/birthdays', { token: secretary });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.month).toBe('2026-06');
    expect(res.body.organizationId).toBe(dongfeng);
    const rows = res.body.members as { memberId: number; years: number; milestone: boolean; signedIn: boolean; organizationId: number; anniversary: string }[];
    expect(rows.every((r) => r.organizationId === dongfeng)).toBe(true);
    expect(rows.map((r) => r.anniversary)).toEqual([...rows.map((r) => r.anniversary)].sort());
    const wangRow = rows.find((r) => r.memberId === wang.memberId);
    expect(wangRow).toMatchObject({ years: 25, milestone: false, signedIn: false, anniversary: '2026-06-15' });
    expect(rows.find((r) => r.memberId === ticked[1])).toMatchObject({ years: 30, milestone: true });
    expect(res.body.signed).toBe(0);
    // Any month: July holds 李守仁 (58 years) in 东风村.
    const july = await c().call('GET', '/api/birthdays', { token: secretary, query: { month: '2026-07' } });
    expect(july.body.members.some((r: { name: string; years: number }) => r.name === '李守仁' && r.years === 58)).toBe(true);
  });

  it('scoping: 403 for another branch’s list; members cannot list; staff see the township or one branch', async () => {
    expectError(await c().call('GET', '/api/birthdays', { token: secretary, query: { organizationId: otherBranch } }), 403, 'forbidden');
    const member = await c().login('member', wang.accountId);
    expectError(await c().call('GET', '/api/birthdays', { token: member }), 403, 'forbidden');
    expectError(await c().call('GET', '/api/birthdays', { token: secretary, query: { month: '2026-13' } }), 400, 'validation_failed');
    const staff = await c().login('staff');
    const all = await c().call('GET', '/api/birthdays', { token: staff });
    expect(all.status).toBe(200);
    const branchIds = new Set((all.body.members as { organizationId: number }[]).map((r) => r.organizationId));
    expect(branchIds.has(dongfeng) && branchIds.has(otherBranch)).toBe(true);
    const one = await c().call('GET', '/api/birthdays', { token: staff, query: { organizationId: otherBranch } });
    expect((one.body.members as { organizationId: number }[]).every((r) => r.organizationId === otherBranch)).toBe(true);
  });

  it('ceremony: a member of another branch among the ticked → 403 and nothing recorded', async () => {
    const res = await c().call('POST', '/api/birthdays/ceremonies', {
      token: secretary,
      headers: { 'Idempotency-Key': idempotencyKey() },
      body: { heldOn: '2026-06-12', topic: '六月主题党日', attendeeMemberIds: [...ticked, outsider], oathConfirmed: true },
    });
    expectError(res, 403, 'forbidden');
    expect(messageOf(res)).toContain('1人不是本支部党员');
    const signed = await c().db.select().from(birthdaySignIns).where(eq(birthdaySignIns.year, 2026));
    expect(signed).toHaveLength(0);
    expect(await c().db.select().from(birthdayCeremonies).where(eq(birthdayCeremonies.heldOn, '2026-06-12'))).toHaveLength(0);
  });

  it('ceremony: refused for staff and members, without the oath, for a future day, and for a member whose window is elsewhere', async () => {
    const body = { heldOn: '2026-06-12', topic: '六月主题党日', attendeeMemberIds: ticked, oathConfirmed: true };
    expectError(
      await c().call('POST', '/api/birthdays/ceremonies', { token: await c().login('staff'), headers: { 'Idempotency-Key': idempotencyKey() }, body }),
      403,
      'forbidden',
    );
    expectError(
      await c().call('POST', '/api/birthdays/ceremonies', { token: await c().login('member', wang.accountId), headers: { 'Idempotency-Key': idempotencyKey() }, body }),
      403,
      'forbidden',
    );
    expectError(
      await c().call('POST', '/api/birthdays/ceremonies', { token: secretary, headers: { 'Idempotency-Key': idempotencyKey() }, body: { ...body, oathConfirmed: false } }),
      400,
      'validation_failed',
    );
    expectError(
      await c().call('POST', '/api/birthdays/ceremonies', { token: secretary, headers: { 'Idempotency-Key': idempotencyKey() }, body: { ...body, heldOn: '2026-06-16' } }),
      422,
      'unprocessable',
    );
    const li = await person(c(), '李守仁'); // July
    const wrongMonth = await c().call('POST', '/api/birthdays/ceremonies', {
      token: secretary,
      headers: { 'Idempotency-Key': idempotencyKey() },
      body: { ...body, attendeeMemberIds: [...ticked, li.memberId] },
    });
    expectError(wrongMonth, 422, 'unprocessable');
    expect(messageOf(wrongMonth)).toContain('李守仁（7月）');
    expectError(await c().call('POST', '/api/birthdays/ceremonies', { token: secretary, body }), 400, 'bad_request'); // no Idempotency-Key
  });

  it('ceremony: credits only the ticked members of the own branch, keeps an earlier individual sign-in, is audited and replays on retry', async () => {
    const wangToken = await c().login('member', wang.accountId);
    const individual = await c().call('POST', '/api/birthdays/sign-in', { token: wangToken, body: { oathConfirmed: true, reflection: '先自己签到' } });
    expect(individual.status).toBe(201);

    const key = idempotencyKey();
    const body = { heldOn: '2026-06-12', topic: '六月主题党日·集体过政治生日', place: '村党群服务中心', attendeeMemberIds: ticked, oathConfirmed: true };
    const res = await c().call('POST', '/api/birthdays/ceremonies', { token: secretary, headers: { 'Idempotency-Key': key }, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ heldOn: '2026-06-12', signedIn: [ticked[1]], alreadySignedIn: [wang.memberId] });
    const retry = await c().call('POST', '/api/birthdays/ceremonies', { token: secretary, headers: { 'Idempotency-Key': key }, body });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(res.body);
    expect(await c().db.select().from(birthdayCeremonies).where(eq(birthdayCeremonies.heldOn, '2026-06-12'))).toHaveLength(1);

    const rows = await c().db.select().from(birthdaySignIns).where(eq(birthdaySignIns.year, 2026));
    expect(rows.map((r) => r.memberId).sort((a, b) => a - b)).toEqual([...ticked].sort((a, b) => a - b));
    expect(rows.find((r) => r.memberId === wang.memberId)).toMatchObject({ mode: 'individual', reflection: '先自己签到' });
    expect(rows.find((r) => r.memberId === ticked[1])).toMatchObject({ mode: 'ceremony', ceremonyId: res.body.ceremonyId, years: 30 });

    const [audit] = await c().db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'birthday.ceremony.record'), eq(auditLog.targetId, String(res.body.ceremonyId))));
    expect(audit).toMatchObject({ actorRole: 'secretary', details: { organizationId: dongfeng, signedIn: [ticked[1]] } });

    const list = await c().call('GET', '/api/birthdays', { token: secretary });
    const byId = new Map((list.body.members as { memberId: number; signedIn: boolean; mode: string | null }[]).map((r) => [r.memberId, r]));
    expect(byId.get(wang.memberId)).toMatchObject({ signedIn: true, mode: 'individual' });
    expect(byId.get(ticked[1]!)).toMatchObject({ signedIn: true, mode: 'ceremony' });
    expect(byId.get(notTicked)).toMatchObject({ signedIn: false, mode: null });
    expect(list.body.signed).toBe(2);

    // The credited member sees it in their own view.
    const creditedAccount = await c().db.select({ id: accounts.id }).from(accounts).where(eq(accounts.memberId, ticked[1]!));
    const theirs = await c().call('GET', '/api/birthdays/me', { token: await c().login('member', creditedAccount[0]!.id) });
    expect(theirs.body).toMatchObject({ signedInThisWindow: true, signIns: [{ year: 2026, mode: 'ceremony', ceremony: { topic: body.topic } }] });
  });

  it('光荣在党50年: staff list township-wide by 党龄 (from 转正); others refused; audited', async () => {
    const staff = await c().login('staff');
    const res = await c().call('GET', '/api/birthdays/medal-eligible', { token: staff, query: { year: 2026 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const names = (res.body.members as { name: string }[]).map((m) => m.name);
    expect(names).toContain('李守仁'); // 转正 1969-07-01: 党龄 50 since 2019
    const li = (res.body.members as { name: string; reachesOn: string; partyStandingYears: number }[]).find((m) => m.name === '李守仁');
    expect(li).toMatchObject({ reachesOn: '2019-07-01', partyStandingYears: 57 });
    for (const m of res.body.members as { confirmedAt: string }[]) expect(m.confirmedAt <= '1976-07-01').toBe(true);
    // Admitted 1976 (入党50周年 in 2026) but 转正 1977: not yet on the 2026 list, on the 2027 one.
    await setJoined(c(), notTicked, '1976-06-20', '1977-06-20');
    const again = await c().call('GET', '/api/birthdays/medal-eligible', { token: staff, query: { year: 2026 } });
    expect((again.body.members as { memberId: number }[]).some((m) => m.memberId === notTicked)).toBe(false);
    const next = await c().call('GET', '/api/birthdays/medal-eligible', { token: staff, query: { year: 2027 } });
    expect((next.body.members as { memberId: number }[]).some((m) => m.memberId === notTicked)).toBe(true);
    // In the monthly list the 50th anniversary is a milestone, but the medal flag follows 党龄.
    const list = await c().call('GET', '/api/birthdays', { token: secretary });
    expect((list.body.members as { memberId: number }[]).find((m) => m.memberId === notTicked)).toMatchObject({ years: 50, milestone: true, medalEligible: false });

    expectError(await c().call('GET', '/api/birthdays/medal-eligible', { token: secretary }), 403, 'forbidden');
    const audits = await c().db.select().from(auditLog).where(eq(auditLog.action, 'birthday.medal_list.read'));
    expect(audits.length).toBeGreaterThanOrEqual(3);
  });
});

// ------------------------------------------------------------- reminders
