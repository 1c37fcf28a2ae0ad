/**
 * Sessions: access tokens of at most 15 minutes that must carry `sub` and
 * `exp`, refresh tokens that keep a member signed in for weeks, and role,
 * branch or status changes that reach writes at once and reads within the
 * access token's lifetime.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { SignJWT, type JWTPayload } from 'jose';
import { expect, it } from 'vitest';
import { accounts, members, studyEntries } from '../../db/schema/index.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { expectError } from '../helpers/expect-error.js';

interface Login {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  account: { id: number; role: string };
}

async function devLogin(ctx: TestContext, role: 'staff' | 'secretary' | 'member', accountId?: number): Promise<Login> {
  const res = await ctx.call<Login>('POST', '/api/auth/dev', { body: { role, accountId } });
  expect(res.status).toBe(200);
  return res.body;
}

/** Moves the server clock for the length of `run`. */
async function later<T>(ctx: TestContext, minutes: number, run: () => Promise<T>): Promise<T> {
  ctx.clock.advance(minutes);
  try {
    return await run();
  } finally {
    ctx.clock.advance(-minutes);
  }
}

const checkIn = (ctx: TestContext, token: string, key: string) =>
  ctx.call('POST', '/api/study/checkins', {
    token,
    headers: { 'idempotency-key': key },
    body: { way: 'platform', topic: '学习党章', minutes: 5 },
  });

describeEachDriver('sessions', (ctx) => {
  const sign = (claims: JWTPayload, build: (jwt: SignJWT) => SignJWT) =>
    build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('dangjian').setAudience('api')).sign(
      new TextEncoder().encode(ctx().config.sessionSecret),
    );

  it('a token signed with the right key but without exp or sub, or with a non-canonical sub, is 401', async () => {
    const staff = (await ctx().db.select().from(accounts).where(and(eq(accounts.role, 'staff'), eq(accounts.isDemo, 1))).limit(1))[0]!;
    const claims = { role: 'staff', org: staff.organizationId, mid: staff.memberId, av: staff.authVersion };
    const now = Math.floor(ctx().clock.now().getTime() / 1000);
    const good = await sign(claims, (j) => j.setSubject(String(staff.id)).setIssuedAt(now).setExpirationTime(now + 600));
    expect((await ctx().call('GET', '/api/me', { token: good })).status).toBe(200);

    const noExp = await sign(claims, (j) => j.setSubject(String(staff.id)).setIssuedAt(now));
    const noSub = await sign(claims, (j) => j.setIssuedAt(now).setExpirationTime(now + 600));
    const hexSub = await sign(claims, (j) => j.setSubject(`0x${staff.id.toString(16)}`).setIssuedAt(now).setExpirationTime(now + 600));
    const noAudience = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('dangjian')
      .setSubject(String(staff.id))
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(ctx().config.sessionSecret));
    for (const token of [noExp, noSub, hexSub, noAudience]) {
      expectError(await ctx().call('GET', '/api/me', { token }), 401, 'unauthorized');
      expectError(await ctx().call('GET', '/api/members', { token }), 401, 'unauthorized');
    }
  });

  it('access tokens last at most 15 minutes; the refresh token is not an access token, nor the other way round', async () => {
    const login = await devLogin(ctx(), 'member');
    const now = ctx().clock.now().getTime();
    expect(new Date(login.expiresAt).getTime() - now).toBeLessThanOrEqual(15 * 60_000);
    expect(new Date(login.refreshExpiresAt).getTime() - now).toBeGreaterThanOrEqual(30 * 86_400_000);
    expectError(await ctx().call('GET', '/api/me', { token: login.refreshToken }), 401, 'unauthorized');
    expectError(await ctx().call('POST', '/api/auth/refresh', { body: { refreshToken: login.token } }), 401, 'unauthorized');
    await later(ctx(), 16, async () => {
      expectError(await ctx().call('GET', '/api/me', { token: login.token }), 401, 'unauthorized');
    });
  });

  it('a member who opens the app once a month stays signed in: refresh works after weeks and rotates the refresh token', async () => {
    const login = await devLogin(ctx(), 'member');
    const refreshed = await later(ctx(), 30 * 24 * 60, async () => {
      expectError(await ctx().call('GET', '/api/me', { token: login.token }), 401, 'unauthorized');
      const res = await ctx().call<Login>('POST', '/api/auth/refresh', { body: { refreshToken: login.refreshToken } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.account.id).toBe(login.account.id);
      expect(res.body.refreshToken).not.toBe(login.refreshToken);
      expect((await ctx().call('GET', '/api/me', { token: res.body.token })).status).toBe(200);
      return res.body;
    });
    // The rotated token runs from the refresh: another month later it still works.
    await later(ctx(), 60 * 24 * 60, async () => {
      expect((await ctx().call('POST', '/api/auth/refresh', { body: { refreshToken: refreshed.refreshToken } })).status).toBe(200);
    });
    // Unused for longer than its lifetime, it is refused.
    await later(ctx(), (ctx().config.refreshTokenTtlDays + 1) * 24 * 60, async () => {
      expectError(await ctx().call('POST', '/api/auth/refresh', { body: { refreshToken: login.refreshToken } }), 401, 'unauthorized');
    });
  });

  it('a secretary demoted in the database: writes refused at once, reads end with the access token, refresh gives the new role', async () => {
    const [secretary] = await ctx().db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id)).limit(1);
    const login = await devLogin(ctx(), 'secretary', secretary!.id);
    const branchList = await ctx().call<{ total: number }>('GET', '/api/members', { token: login.token });
    expect(branchList.body.total).toBeGreaterThan(1);
    const own = await checkIn(ctx(), login.token, `demoted-before-${ctx().driver}`);
    expect(own.status, JSON.stringify(own.body)).toBe(201);

    await ctx().db.update(accounts).set({ role: 'member', organizationId: null }).where(eq(accounts.id, secretary!.id));
    try {
      const [after] = await ctx().db.select().from(accounts).where(eq(accounts.id, secretary!.id));
      expect(after!.authVersion).toBeGreaterThan(secretary!.authVersion);

      // Writes: at once, and nothing is written (the check-in is one statement with the check in it).
      const event = await ctx().call('POST', '/api/study/events', {
        token: login.token,
        headers: { 'idempotency-key': `demoted-event-${ctx().driver}` },
        body: {
          organizationId: secretary!.organizationId,
          way: 'branch',
          topic: '学习党章',
          place: '村党群服务中心',
          startsAt: ctx().clock.now().toISOString(),
          endsAt: new Date(ctx().clock.now().getTime() + 3_600_000).toISOString(),
        },
      });
      expectError(event, 401, 'unauthorized');
      const before = await ctx().db.select().from(studyEntries).where(eq(studyEntries.accountId, secretary!.id));
      expectError(await checkIn(ctx(), login.token, `demoted-after-${ctx().driver}`), 401, 'unauthorized');
      expect(await ctx().db.select().from(studyEntries).where(eq(studyEntries.accountId, secretary!.id))).toHaveLength(before.length);

      // Reads: the old powers last no longer than the access token (at most 15 minutes).
      await later(ctx(), 15, async () => {
        expectError(await ctx().call('GET', '/api/members', { token: login.token }), 401, 'unauthorized');
        const refreshed = await ctx().call<Login>('POST', '/api/auth/refresh', { body: { refreshToken: login.refreshToken } });
        expect(refreshed.status).toBe(200);
        expect(refreshed.body.account.role).toBe('member');
        expectError(await ctx().call('GET', '/api/registrations', { token: refreshed.body.token, query: { status: 'pending' } }), 403, 'forbidden');
        // The branch list shrinks to the member's own record.
        const list = await ctx().call<{ total: number }>('GET', '/api/members', { token: refreshed.body.token });
        expect(list.body.total).toBeLessThanOrEqual(1);
        expect((await checkIn(ctx(), refreshed.body.token, `demoted-refreshed-${ctx().driver}`)).status).toBe(201);
      });
    } finally {
      await ctx().db.update(accounts).set({ role: 'secretary', organizationId: secretary!.organizationId }).where(eq(accounts.id, secretary!.id));
    }
  });

  it("staff changing a member's status or branch ends that member's old token for writes; a refresh carries on", async () => {
    const member = await devLogin(ctx(), 'member');
    const [account] = await ctx().db.select().from(accounts).where(eq(accounts.id, member.account.id));
    const [record] = await ctx().db.select().from(members).where(eq(members.id, account!.memberId!));
    const staff = await ctx().login('staff');
    const suspended = await ctx().call<{ version: number }>('PATCH', `/api/members/${record!.id}`, {
      token: staff,
      body: { version: record!.version, status: 'suspended' },
    });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    try {
      expectError(await checkIn(ctx(), member.token, `suspended-${ctx().driver}`), 401, 'unauthorized');
      expectError(
        await ctx().call('POST', '/api/transfers/2147483000/withdraw', { token: member.token, headers: { 'idempotency-key': `s-${ctx().driver}` }, body: { version: 1 } }),
        401,
        'unauthorized',
      );
      const refreshed = await ctx().call<Login>('POST', '/api/auth/refresh', { body: { refreshToken: member.refreshToken } });
      expect(refreshed.status).toBe(200);
      // With a current session the answer is the domain's own (a suspended member cannot check in), not 401.
      expectError(await checkIn(ctx(), refreshed.body.token, `suspended-refreshed-${ctx().driver}`), 403, 'forbidden');
    } finally {
      const [now] = await ctx().db.select().from(members).where(eq(members.id, record!.id));
      await ctx().call('PATCH', `/api/members/${record!.id}`, { token: staff, body: { version: now!.version, status: 'active' } });
    }
  });

  it('every path that moves a member to another branch or changes their status bumps the account version (a trigger)', async () => {
    const member = await devLogin(ctx(), 'member');
    const version = async () => (await ctx().db.select().from(accounts).where(eq(accounts.id, member.account.id)))[0]!.authVersion;
    const [account] = await ctx().db.select().from(accounts).where(eq(accounts.id, member.account.id));
    const [record] = await ctx().db.select().from(members).where(eq(members.id, account!.memberId!));
    const [other] = await ctx().db.select().from(members).where(sql`${members.organizationId} <> ${record!.organizationId}`).limit(1);
    const v0 = await version();
    await ctx().db.update(members).set({ organizationId: other!.organizationId }).where(eq(members.id, record!.id));
    expect(await version()).toBe(v0 + 1);
    await ctx().db.update(members).set({ organizationId: record!.organizationId }).where(eq(members.id, record!.id));
    expect(await version()).toBe(v0 + 2);
    // Other edits (the name) are no change of power.
    await ctx().db.update(members).set({ name: record!.name }).where(eq(members.id, record!.id));
    expect(await version()).toBe(v0 + 2);
    expectError(await checkIn(ctx(), member.token, `moved-${ctx().driver}`), 401, 'unauthorized');
  });

  it('GET /api/me hands a changed account a full new session (access and refresh token)', async () => {
    const member = await devLogin(ctx(), 'member');
    const same = await ctx().call<{ session: Login | null }>('GET', '/api/me', { token: member.token });
    expect(same.body.session).toBeNull();
    // A display name is not a power: no new session.
    await ctx().db.update(accounts).set({ displayName: '改名不算' }).where(eq(accounts.id, member.account.id));
    expect((await ctx().call<{ session: Login | null }>('GET', '/api/me', { token: member.token })).body.session).toBeNull();
    await ctx().db.update(accounts).set({ authVersion: sql`${accounts.authVersion} + 1` }).where(eq(accounts.id, member.account.id));
    const changed = await ctx().call<{ session: Login | null }>('GET', '/api/me', { token: member.token });
    expect(changed.body.session).toMatchObject({ token: expect.any(String), refreshToken: expect.any(String) });
    expect((await checkIn(ctx(), changed.body.session!.token, `me-session-${ctx().driver}`)).status).toBe(201);
  });
});
