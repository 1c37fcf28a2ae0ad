import http from 'node:http';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { accounts, auditLog, birthdayCeremonies, birthdayReminders, birthdaySignIns, members, organizations } from '../../db/schema/index.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';

const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
};
const messageOf = (res: { body: unknown }) => (res.body as { error: { message: string } }).error.message;

let keySeq = 0;
const idempotencyKey = () => `bday-${Date.now()}-${++keySeq}`;

interface Person {
  accountId: number;
  memberId: number;
  organizationId: number;
  role: string;
}

async function person(c: TestContext, name: string): Promise<Person> {
  const [row] = await c.db
    .select({ accountId: accounts.id, memberId: members.id, organizationId: members.organizationId, role: accounts.role })
    .from(members)
    .innerJoin(accounts, eq(accounts.memberId, members.id))
    .where(eq(members.name, name));
  if (!row) throw new Error(`seeded member ${name} not found`);
  return row;
}

async function secretaryOf(c: TestContext, organizationId: number): Promise<number> {
  const [row] = await c.db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.role, 'secretary'), eq(accounts.organizationId, organizationId)));
  if (!row) throw new Error('no secretary');
  return row.id;
}

/** Plain members of a branch (not officers), for ticking at a ceremony. */
async function plainMembersOf(c: TestContext, organizationId: number, exclude: number[]): Promise<number[]> {
  const rows = await c.db
    .select({ id: members.id })
    .from(members)
    .innerJoin(accounts, eq(accounts.memberId, members.id))
    .where(and(eq(members.organizationId, organizationId), eq(accounts.role, 'member'), eq(members.status, 'active')))
    .orderBy(asc(members.id));
  return rows.map((r) => r.id).filter((id) => !exclude.includes(id));
}

/** Moves a member's 入党/转正 dates (on this file's own copy of the database). */
async function setJoined(c: TestContext, memberId: number, joinedAt: string, confirmedAt: string) {
  await c.db.update(members).set({ joinedAt, confirmedAt, category: 'full' }).where(eq(members.id, memberId));
}

describeEachDriver('political birthday: member view and sign-in', (ctx, driver) => {
  const c = () => ctx();
  let wang: Person;
  let wangToken: string;

  beforeAll(async () => {
    wang = await person(c(), '王红旗');
    wangToken = await c().login('member', wang.accountId);
  });

  it('GET /api/birthdays/me on the anniversary: greeting data, 入党N周年, 党龄, past sign-ins, in at most 2 statements', async () => {
    const { result: res, statements } = await statementCounter.measure(() => c().call('GET', '/api/birthdays/me', { token: wangToken }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(statements).toBeLessThanOrEqual(2);
    expect(res.body).toMatchObject({
      today: '2026-06-15',
      window: 'month',
      member: { name: '王红旗', organizationName: '东风村党支部', joinedAt: '2001-06-15', confirmedAt: '2002-06-15' },
      yearsSinceJoining: 25,
      partyStandingYears: 24,
      isToday: true,
      open: { year: 2026, anniversary: '2026-06-15', years: 25, opens: '2026-06-01', closes: '2026-06-30' },
      signedInThisWindow: false,
      next: { anniversary: '2026-06-15', years: 25 },
      upcoming: { opens: '2027-06-01', years: 26 },
      daysUntilNext: 0,
    });
    // Seeded history: 2023 and 2024 alone with reflections, 2025 at the branch's ceremony.
    const signIns = res.body.signIns as { year: number; mode: string; reflection: string | null; ceremony: unknown }[];
    expect(signIns.map((s) => s.year)).toEqual([2025, 2024, 2023]);
    expect(signIns[0]).toMatchObject({ mode: 'ceremony', ceremony: { topic: expect.stringContaining('政治生日') } });
    expect(signIns[1]?.reflection).toContain('群众');
  });

  it('refuses a sign-in without confirming the oath, with a reflection over 1000 characters, or naming another member', async () => {
    expectError(await c().call('POST', '/api/birthdays/sign-in', { token: wangToken, body: {} }), 400, 'validation_failed');
    const unconfirmed = await c().call('POST', '/api/birthdays/sign-in', { token: wangToken, body: { oathConfirmed: false } });
    expectError(unconfirmed, 400, 'validation_failed');
    expect(messageOf(unconfirmed)).toContain('重温入党誓词');
    const long = await c().call('POST', '/api/birthdays/sign-in', { token: wangToken, body: { oathConfirmed: true, reflection: '党'.repeat(1001) } });
    expectError(long, 400, 'validation_failed');
    expect(messageOf(long)).toContain('1000');
    expectError(
      await c().call('POST', '/api/birthdays/sign-in', { token: wangToken, body: { oathConfirmed: true, memberId: 1 } }),
      400,
      'validation_failed',
    );
    expectError(await c().call('POST', '/api/birthdays/sign-in', { body: { oathConfirmed: true } }), 401, 'unauthorized');
    expectError(await c().call('POST', '/api/birthdays/sign-in', { token: await c().login('applicant'), body: { oathConfirmed: true } }), 403, 'forbidden');
  });

  it('signs in inside the window; a second sign-in the same year returns the first record (one row)', async () => {
    const reflection = '二十五年前的今天，我在党旗下举起右拳。今天再读誓词，初心不改。';
    const first = await c().call('POST', '/api/birthdays/sign-in', { token: wangToken, body: { oathConfirmed: true, reflection } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ alreadySignedIn: false, signIn: { year: 2026, years: 25, mode: 'individual', reflection } });
    const again = await c().call('POST', '/api/birthdays/sign-in', { token: wangToken, body: { oathConfirmed: true, reflection: '重试' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadySignedIn: true, signIn: { id: first.body.signIn.id, reflection } });
    const rows = await c().db
      .select()
      .from(birthdaySignIns)
      .where(and(eq(birthdaySignIns.memberId, wang.memberId), eq(birthdaySignIns.year, 2026)));
    expect(rows).toHaveLength(1);
    const me = await c().call('GET', '/api/birthdays/me', { token: wangToken });
    expect(me.body.signedInThisWindow).toBe(true);
    expect(me.body.signIns[0]).toMatchObject({ year: 2026, reflection });
  });

  // PGlite is single-connection: the race needs PostgreSQL.
  it.runIf(driver === 'neon')('concurrent sign-ins (a double tap) still make one record', async () => {
    const liu = await person(c(), '刘春燕');
    const token = await c().login(liu.role as 'member', liu.accountId);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => c().call('POST', '/api/birthdays/sign-in', { token, body: { oathConfirmed: true } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.signIn.id)).size).toBe(1);
    const rows = await c().db.select().from(birthdaySignIns).where(and(eq(birthdaySignIns.memberId, liu.memberId), eq(birthdaySignIns.year, 2026)));
    expect(rows).toHaveLength(1);
  });

  it('outside the window: 409 saying when the window opens', async () => {
    // 李守仁 was admitted on 1968-07-01: his window opens on 1 July.
    const li = await person(c(), '李守仁');
    const token = await c().login('secretary', li.accountId);
    const res = await c().call('POST', '/api/birthdays/sign-in', { token, body: { oathConfirmed: true } });
    expectError(res, 409, 'conflict');
    expect(messageOf(res)).toBe('您的政治生日签到将于2026年7月1日开放（入党58周年）');
    // After the window (a member admitted in March): next year's window.
    await setJoined(c(), li.memberId, '1968-03-05', '1969-03-05');
    const later = await c().call('POST', '/api/birthdays/sign-in', { token, body: { oathConfirmed: true } });
    expectError(later, 409, 'conflict');
    expect(messageOf(later)).toContain('2027年3月1日');
    await setJoined(c(), li.memberId, '1968-07-01', '1969-07-01');
    // Inside the window on 1 July, at 00:05 Shanghai time (still 30 June in UTC).
    c().clock.set(new Date('2026-06-30T16:05:00Z'));
    try {
      const fresh = await c().login('secretary', li.accountId);
      const res2 = await c().call('POST', '/api/birthdays/sign-in', { token: fresh, body: { oathConfirmed: true } });
      expect(res2.status, JSON.stringify(res2.body)).toBe(201);
      expect(res2.body.signIn).toMatchObject({ year: 2026, years: 58 });
    } finally {
      c().clock.set(new Date('2026-06-15T10:00:00+08:00'));
    }
  });

  it('a township set to quarterly windows opens sign-in for the whole quarter', async () => {
    const [committee] = await c().db.select().from(organizations).where(eq(organizations.kind, 'committee'));
    const [zhao] = await c().db.select().from(members).where(eq(members.name, '赵闰生'));
    const account = await person(c(), '赵闰生');
    const token = await c().login(account.role as 'member', account.accountId);
    // 入党 1996-02-29: February is in Q1, so on 15 June neither window is open.
    expectError(await c().call('POST', '/api/birthdays/sign-in', { token, body: { oathConfirmed: true } }), 409, 'conflict');
    await c().db.update(organizations).set({ settings: { birthdayWindow: 'quarter' } }).where(eq(organizations.id, committee!.id));
    await setJoined(c(), zhao!.id, '1996-05-20', '1997-05-20');
    try {
      const me = await c().call('GET', '/api/birthdays/me', { token });
      expect(me.body).toMatchObject({ window: 'quarter', open: { opens: '2026-04-01', closes: '2026-06-30', years: 30 } });
      const res = await c().call('POST', '/api/birthdays/sign-in', { token, body: { oathConfirmed: true } });
      expect(res.status).toBe(201);
    } finally {
      await c().db.update(organizations).set({ settings: committee!.settings }).where(eq(organizations.id, committee!.id));
    }
  });
});

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

interface SubscribeStub {
  apiBase: string;
  /** openid of every message WeChat accepted. */
  delivered: string[];
  tokenRequests: number;
  /** openids that fail once with errcode -1 (system busy), then succeed. */
  failOnce: Set<string>;
  close(): Promise<void>;
}

/** A local stand-in for WeChat's stable_token and subscribeMessage.send. */
async function startSubscribeStub(): Promise<SubscribeStub> {
  const stub: SubscribeStub = { apiBase: '', delivered: [], tokenRequests: 0, failOnce: new Set(), close: async () => {} };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const send = (body: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (req.method === 'POST' && url.pathname === '/cgi-bin/stable_token') {
        stub.tokenRequests += 1;
        if (body.appid !== 'wx-test-appid' || body.secret !== 'wx-test-secret') return send({ errcode: 40013, errmsg: 'invalid appid' });
        return send({ access_token: 'stub-token', expires_in: 7200 });
      }
      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/subscribe/send') {
        if (url.searchParams.get('access_token') !== 'stub-token') return send({ errcode: 40001, errmsg: 'invalid credential' });
        const openid = String(body.touser);
        if (body.template_id !== 'tmpl-birthday') return send({ errcode: 40037, errmsg: 'invalid template_id' });
        if (stub.failOnce.delete(openid)) return send({ errcode: -1, errmsg: 'system error' });
        stub.delivered.push(openid);
        return send({ errcode: 0, errmsg: 'ok' });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  stub.apiBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}

const stub = await startSubscribeStub();
afterAll(() => stub.close());
const CRON_SECRET = 'test-cron-secret-0123456789';

describeEachDriver(
  'political birthday reminders (cron, WeChat subscribe messages)',
  (ctx, driver) => {
    const c = () => ctx();
    const cron = (method: 'GET' | 'POST' = 'POST') => c().call(method, '/api/cron/birthday-reminders', { token: CRON_SECRET });
    /** Active members admitted in July before 2026: whose window opens on 1 July. */
    let julyOpenids: string[];

    it('refuses a call without the cron secret', async () => {
      expectError(await c().call('POST', '/api/cron/birthday-reminders'), 401, 'unauthorized');
      expectError(await c().call('GET', '/api/cron/birthday-reminders', { token: 'dev-only-cron-secret' }), 401, 'unauthorized');
      expectError(await c().call('POST', '/api/cron/birthday-reminders', { token: await c().login('staff') }), 401, 'unauthorized');
    });

    beforeAll(async () => {
      await c().db.update(organizations).set({ settings: { birthdayWindow: 'month', birthdayReminderTemplateId: 'tmpl-birthday' } }).where(eq(organizations.kind, 'committee'));
      const july = await c().db
        .select({ openid: accounts.openid })
        .from(members)
        .innerJoin(accounts, eq(accounts.memberId, members.id))
        .where(and(eq(members.status, 'active'), sql`extract(month from ${members.joinedAt}) = 7`, sql`${members.joinedAt} < '2026-01-01'`));
      julyOpenids = july.map((r) => r.openid!).sort();
    });

    it('on 1 July queues and sends one subscribe message per member whose window opens; a second run the same day sends none', async () => {
      stub.delivered.length = 0;
      expect(julyOpenids.length).toBeGreaterThan(0);
      // One of them fails once at WeChat (system busy).
      const flaky = julyOpenids[0]!;
      stub.failOnce.add(`${flaky}`);

      c().clock.set(new Date('2026-07-01T08:00:00+08:00'));
      const first = await cron('GET'); // as Vercel Cron calls it
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toMatchObject({ today: '2026-07-01', sender: 'wechat', queued: julyOpenids.length, attempted: julyOpenids.length, sent: julyOpenids.length - 1, failed: 1 });
      const [failedRow] = await c().db.select().from(birthdayReminders).where(eq(birthdayReminders.state, 'failed'));
      expect(failedRow).toMatchObject({ attempts: 1, lastError: expect.stringContaining('-1') });

      c().clock.set(new Date('2026-07-01T15:00:00+08:00'));
      const second = await cron('POST');
      expect(second.body).toMatchObject({ queued: 0, attempted: 1, sent: 1, failed: 0 });
      const third = await cron('POST');
      expect(third.body).toMatchObject({ queued: 0, attempted: 0, sent: 0 });

      expect([...stub.delivered].sort()).toEqual(julyOpenids);
      const rows = await c().db.select().from(birthdayReminders).where(eq(birthdayReminders.year, 2026));
      expect(rows).toHaveLength(julyOpenids.length);
      expect(rows.every((r) => r.state === 'sent' && r.sentAt && r.windowOpens === '2026-07-01' && r.windowCloses === '2026-07-31')).toBe(true);
    });

    it('a missed day is caught up, members who already signed in are not reminded, and closed windows are not retried', async () => {
      stub.delivered.length = 0;
      // August: the cron did not run on the 1st; it runs on the 3rd.
      const august = await c().db
        .select({ id: members.id, openid: accounts.openid })
        .from(members)
        .innerJoin(accounts, eq(accounts.memberId, members.id))
        .where(and(eq(members.status, 'active'), sql`extract(month from ${members.joinedAt}) = 8`, sql`${members.joinedAt} < '2026-01-01'`))
        .orderBy(asc(members.id));
      // One has signed in already (at the branch's ceremony on 1 August, say).
      const signed = august[0];
      if (signed) await c().db.insert(birthdaySignIns).values({ memberId: signed.id, year: 2026, years: 1, mode: 'individual', signedAt: new Date('2026-08-01T02:00:00Z') });
      // A July reminder that failed: its window has closed by August, so it is left alone.
      const [julyRow] = await c().db.select().from(birthdayReminders).where(eq(birthdayReminders.windowOpens, '2026-07-01')).limit(1);
      await c().db.update(birthdayReminders).set({ state: 'failed', sentAt: null, lastError: 'test' }).where(eq(birthdayReminders.id, julyRow!.id));
      c().clock.set(new Date('2026-08-03T08:00:00+08:00'));
      const res = await cron();
      const expected = Math.max(0, august.length - 1);
      expect(res.body).toMatchObject({ queued: expected, attempted: expected, sent: expected });
      const [stillFailed] = await c().db.select().from(birthdayReminders).where(eq(birthdayReminders.id, julyRow!.id));
      expect(stillFailed).toMatchObject({ state: 'failed', attempts: julyRow!.attempts });
      expect(stub.delivered.sort()).toEqual(august.slice(1).map((m) => m.openid).sort());
    });

    // PGlite is single-connection: the race needs PostgreSQL.
    it.runIf(driver === 'neon')('two runs at the same moment send each reminder once', async () => {
      stub.delivered.length = 0;
      await c().db.delete(birthdayReminders).where(eq(birthdayReminders.year, 2026));
      await c().db.delete(birthdaySignIns).where(eq(birthdaySignIns.year, 2026));
      c().clock.set(new Date('2026-07-01T08:00:00+08:00'));
      const [a, b] = await Promise.all([cron(), cron()]);
      expect(a!.body.sent + b!.body.sent).toBe(julyOpenids.length);
      expect([...stub.delivered].sort()).toEqual(julyOpenids);
      c().clock.set(new Date('2026-06-15T10:00:00+08:00'));
    });
  },
  { env: { WECHAT_API_BASE: stub.apiBase, WECHAT_APPID: 'wx-test-appid', WECHAT_SECRET: 'wx-test-secret', CRON_SECRET } },
);

describeEachDriver('political birthday reminders without WeChat configured (development)', (ctx) => {
  it('uses the log-only sender and the development cron secret', async () => {
    ctx().clock.set(new Date('2026-07-01T08:00:00+08:00'));
    const res = await ctx().call('POST', '/api/cron/birthday-reminders', { token: 'dev-only-cron-secret' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.sender).toBe('log');
    expect(res.body.sent).toBe(res.body.queued);
    expect(res.body.queued).toBeGreaterThan(0);
  });
});
