/** Login and the signed-in account. */
import { z } from 'zod';
import { endpoint } from './http.js';
import { roles } from './common.js';
import { memberProfile, organization } from './members.js';

/**
 * A short-lived access token (at most 15 minutes: it carries the role and
 * branch) and a long-lived refresh token that `POST /api/auth/refresh` turns
 * into new ones, rotated on every refresh.
 */
export const session = z.object({
  token: z.string(),
  expiresAt: z.string(),
  refreshToken: z.string(),
  refreshExpiresAt: z.string(),
});
export type Session = z.infer<typeof session>;

export const account = z.object({
  id: z.number().int(),
  role: z.enum(roles),
  displayName: z.string(),
  organization: organization.nullable(),
  memberId: z.number().int().nullable(),
});
export type Account = z.infer<typeof account>;

export const meResponse = z.object({
  account,
  member: memberProfile.nullable(),
  /** A fresh token when the account's role or organization changed since the caller's token was issued. */
  session: session.nullable(),
  /** Unread messages in the message centre (the 我的 badge), counted in the account's own statement. */
  unreadMessages: z.number().int(),
});
export type MeResponse = z.infer<typeof meResponse>;

export const loginResponse = session.extend({ account });
export type LoginResponse = z.infer<typeof loginResponse>;

export const wechatLogin = endpoint({
  method: 'POST',
  path: '/api/auth/wechat',
  summary: '微信登录：用 wx.login 的 code 换取会话令牌',
  access: 'public',
  ownership: 'none',
  body: z.object({ code: z.string().min(1).max(128) }).strict(),
  response: loginResponse,
});

export const refreshSession = endpoint({
  method: 'POST',
  path: '/api/auth/refresh',
  summary: '用刷新令牌换取新的访问令牌和刷新令牌（按账号当前的角色与所属组织签发）',
  access: 'public',
  ownership: 'none',
  body: z.object({ refreshToken: z.string().min(1).max(2048) }).strict(),
  response: loginResponse,
  // Stateless: refreshing twice does no harm, so the client may retry it.
  idempotent: true,
});

export const devLoginRoles = ['staff', 'secretary', 'member', 'applicant', 'county'] as const;

export const devLogin = endpoint({
  method: 'POST',
  path: '/api/auth/dev',
  summary: '演示登录（仅非生产环境）：以种子数据中的角色登录，applicant 为一个新的未登记账号',
  access: 'public',
  ownership: 'none',
  devOnly: true,
  body: z
    .object({
      role: z.enum(devLoginRoles),
      accountId: z.number().int().positive().max(2_147_483_647).optional(),
    })
    .strict(),
  response: loginResponse,
});

export const demoAccount = z.object({
  accountId: z.number().int(),
  role: z.enum(roles),
  displayName: z.string(),
  organizationName: z.string().nullable(),
});

export const devAccounts = endpoint({
  method: 'GET',
  path: '/api/auth/dev/accounts',
  summary: '演示账号列表（仅非生产环境）',
  access: 'public',
  ownership: 'none',
  devOnly: true,
  response: z.object({ accounts: z.array(demoAccount) }),
});

export const me = endpoint({
  method: 'GET',
  path: '/api/me',
  summary: '当前账号、角色、组织与党员档案',
  access: 'authenticated',
  ownership: 'self',
  response: meResponse,
  idempotent: true,
});
