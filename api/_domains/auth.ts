/** WeChat login, refreshing a session, demo login (outside production) and the signed-in account. */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import * as authApi from '../../shared/auth.js';
import { accounts, organizations } from '../../db/schema/index.js';
import { verifyRefreshToken } from '../_app/auth.js';
import { accountView, issueSession, type AccountRow } from '../_app/account-session.js';
import { route, type AppDeps } from '../_app/context.js';
import { ApiError } from '../_app/errors.js';
import { enforceRateLimit } from '../_app/rate-limit.js';
import { loadMemberProfile } from '../_app/member-profile.js';
import { unreadMessagesOf } from '../_app/messages.js';
import { ref } from '../../db/sql.js';

const LOGIN_WINDOW_SECONDS = 60;

export const wechatLogin = route(authApi.wechatLogin, async (ctx) => {
  await enforceRateLimit(ctx.db, `login:${ctx.clientIp}`, ctx.deps.config.loginRateLimit, LOGIN_WINDOW_SECONDS, ctx.now);
  const { openid } = await ctx.deps.wechat.code2session(ctx.body.code);
  const [account] = await ctx.db
    .insert(accounts)
    .values({ openid, lastLoginAt: ctx.now })
    .onConflictDoUpdate({ target: accounts.openid, set: { lastLoginAt: ctx.now } })
    .returning();
  if (!account) throw new ApiError('internal', '登录失败');
  const session = await issueSession(ctx.deps, account, ctx.now);
  return { ...session, account: await accountView(ctx.db, account) };
});

/**
 * A new access token (and a rotated refresh token) with the account's current
 * role, branch and authVersion: what a changed account loses or gains reaches
 * the client here, without a new WeChat login.
 */
export const refreshSession = route(authApi.refreshSession, async (ctx) => {
  const { accountId } = await verifyRefreshToken(ctx.body.refreshToken, ctx.deps.config.sessionSecret, ctx.now);
  await enforceRateLimit(ctx.db, `refresh:${accountId}`, ctx.deps.config.loginRateLimit, LOGIN_WINDOW_SECONDS, ctx.now);
  const [account] = await ctx.db.select().from(accounts).where(eq(accounts.id, accountId));
  if (!account) throw new ApiError('unauthorized', '账号不存在，请重新登录');
  const session = await issueSession(ctx.deps, account, ctx.now);
  return { ...session, account: await accountView(ctx.db, account) };
});

function refuseInProduction(deps: AppDeps): void {
  if (deps.config.production) throw new ApiError('not_found', '接口不存在');
}

export const devLogin = route(authApi.devLogin, async (ctx) => {
  refuseInProduction(ctx.deps);
  await enforceRateLimit(ctx.db, `login:${ctx.clientIp}`, ctx.deps.config.loginRateLimit * 50, LOGIN_WINDOW_SECONDS, ctx.now);
  const { role, accountId } = ctx.body;
  let account: AccountRow | undefined;
  if (role === 'applicant') {
    // A fresh, unregistered WeChat user: what a newcomer sees before registering.
    [account] = await ctx.db
      .insert(accounts)
      .values({ openid: `demo-${randomUUID()}`, role: 'applicant', displayName: '新用户', isDemo: 1, lastLoginAt: ctx.now })
      .returning();
  } else {
    [account] = await ctx.db
      .select()
      .from(accounts)
      .where(and(eq(accounts.role, role), eq(accounts.isDemo, 1), accountId ? eq(accounts.id, accountId) : undefined))
      .orderBy(asc(accounts.id))
      .limit(1);
  }
  if (!account) throw new ApiError('not_found', '没有这个演示账号');
  const session = await issueSession(ctx.deps, account, ctx.now);
  return { ...session, account: await accountView(ctx.db, account) };
});

export const devAccounts = route(authApi.devAccounts, async (ctx) => {
  refuseInProduction(ctx.deps);
  const rows = await ctx.db
    .select({
      accountId: accounts.id,
      role: accounts.role,
      displayName: accounts.displayName,
      organizationName: sql<string | null>`coalesce(${organizations.name}, (select o.name from organizations o join members m on m.organization_id = o.id where m.id = ${accounts.memberId}))`,
    })
    .from(accounts)
    .leftJoin(organizations, eq(organizations.id, accounts.organizationId))
    .where(and(eq(accounts.isDemo, 1), sql`${accounts.role} <> 'applicant'`))
    .orderBy(sql`case ${accounts.role} when 'staff' then 0 when 'secretary' then 1 when 'county' then 3 else 2 end`, asc(accounts.id));
  return { accounts: rows };
});

export const me = route(authApi.me, async (ctx) => {
  const p = ctx.user;
  // The badge's count rides in the account's statement: no round trip of its own. The column is named
  // with its table (`ref`): drizzle leaves a single-table select's columns unqualified.
  const [found] = await ctx.db.select({ account: accounts, unread: unreadMessagesOf(ref('accounts', accounts.id)) }).from(accounts).where(eq(accounts.id, p.accountId));
  if (!found) throw new ApiError('unauthorized', '账号不存在，请重新登录');
  const { account } = found;
  const changed =
    account.role !== p.role ||
    account.organizationId !== p.organizationId ||
    account.memberId !== p.memberId ||
    account.authVersion !== p.authVersion;
  const [view, member] = await Promise.all([
    accountView(ctx.db, account),
    account.memberId ? loadMemberProfile(ctx.db, account.memberId, ctx.today) : Promise.resolve(null),
  ]);
  return {
    account: view,
    member,
    session: changed ? await issueSession(ctx.deps, account, ctx.now) : null,
    unreadMessages: found.unread,
  };
});

