/** 政治生日, the member's side: the greeting, the sign-in with the oath, its window (month or quarter). */
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { birthdaySignIns, members, organizations } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError, messageOf, Person, person, setJoined } from '../helpers/birthdays.js';

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
