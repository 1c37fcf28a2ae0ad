/**
 * Session tokens: HS256 JWTs that carry everything authorization needs (account,
 * role, organization, member), so checking a request costs no query.
 */
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../shared/common.js';
import { ApiError } from './errors.js';

export interface Principal {
  accountId: number;
  role: Role;
  /** Secretary: their branch. Staff: the committee (root of their township). */
  organizationId: number | null;
  memberId: number | null;
  authVersion: number;
}

const ISSUER = 'dangjian';

export async function signSession(
  principal: Principal,
  secret: string,
  now: Date,
  ttlHours: number,
): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlHours * 3600;
  const token = await new SignJWT({
    role: principal.role,
    org: principal.organizationId,
    mid: principal.memberId,
    av: principal.authVersion,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(principal.accountId))
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

const ROLES = new Set<Role>(['applicant', 'member', 'secretary', 'staff']);

export async function verifySession(token: string, secret: string, now: Date): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: now,
    });
    const accountId = Number(payload.sub);
    const role = payload.role as Role;
    if (!Number.isInteger(accountId) || !ROLES.has(role)) throw new Error('bad claims');
    return {
      accountId,
      role,
      organizationId: typeof payload.org === 'number' ? payload.org : null,
      memberId: typeof payload.mid === 'number' ? payload.mid : null,
      authVersion: typeof payload.av === 'number' ? payload.av : 0,
    };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new ApiError('unauthorized', '登录已过期，请重新登录');
    throw new ApiError('unauthorized', '登录凭证无效，请重新登录');
  }
}

export function bearerToken(header: string | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1] ?? null;
}
