/**
 * Session tokens, two kinds, both HS256 JWTs that must carry `sub` and `exp`:
 * - access tokens (≤ 15 minutes) carry everything authorization needs
 *   (account, role, organization, member, authVersion), so checking a read
 *   costs no query, and a role, branch or status change reaches reads within
 *   their lifetime; writes check `authVersion` against the database at once
 *   (`sessionIsCurrent`, folded into a statement the write runs anyway);
 * - refresh tokens (weeks) carry only the account: `POST /api/auth/refresh`
 *   reads the account and issues new tokens with its current role and branch.
 */
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { roles, type Role } from '../../shared/common.js';
import { ApiError } from './errors.js';

export interface Principal {
  accountId: number;
  role: Role;
  /** Secretary: their branch. Staff: the committee (root of their township). County: the county (root of the tree). */
  organizationId: number | null;
  memberId: number | null;
  authVersion: number;
}

export interface SessionTokens {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

export interface TokenLifetimes {
  accessMinutes: number;
  refreshDays: number;
}

const ISSUER = 'dangjian';
const ACCESS = 'api';
const REFRESH = 'refresh';

/**
 * The HMAC key of a secret, imported once per process: given raw bytes, jose imports a WebCrypto
 * key on every sign and verify, which was the larger part of checking a token (bench/profile.ts).
 */
const keys = new Map<string, Promise<CryptoKey>>();
function key(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    // Importing raw bytes as an HMAC key fails only for a programming error, which every caller should then see.
    keys.set(secret, k);
  }
  return k;
}

async function sign(claims: JWTPayload, subject: number, audience: string, secret: string, iat: number, exp: number): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(subject))
    // Each token is distinct, even two issued to one account in the same second.
    .setJti(randomUUID())
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await key(secret));
}

export async function signSession(principal: Principal, secret: string, now: Date, lifetimes: TokenLifetimes): Promise<SessionTokens> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + lifetimes.accessMinutes * 60;
  const refreshExp = iat + lifetimes.refreshDays * 86_400;
  const token = await sign(
    { role: principal.role, org: principal.organizationId, mid: principal.memberId, av: principal.authVersion },
    principal.accountId,
    ACCESS,
    secret,
    iat,
    exp,
  );
  const refreshToken = await sign({ av: principal.authVersion }, principal.accountId, REFRESH, secret, iat, refreshExp);
  return {
    token,
    expiresAt: new Date(exp * 1000).toISOString(),
    refreshToken,
    refreshExpiresAt: new Date(refreshExp * 1000).toISOString(),
  };
}

const ROLES = new Set<Role>(roles);
const ACCOUNT_ID = /^[1-9][0-9]{0,9}$/;

/**
 * Tokens whose signature, issuer and audience were checked, per secret and audience, newest last. A phone
 * sends the same access token for up to 15 minutes, and checking its HMAC through WebCrypto was the
 * largest single cost of a read after the SQL (bench/profile.ts). The key is the whole token, signature
 * included, so a token differing in any byte is checked afresh; time is checked on every use.
 */
const VERIFIED_LIMIT = 10_000;
const verified = new Map<string, Map<string, JWTPayload>>();

class TokenExpired extends Error {}

/** jose's rule: expired once `exp` is at or before now, in whole seconds. */
function checkExpiry(payload: JWTPayload, now: Date): void {
  if (typeof payload.exp !== 'number' || payload.exp <= Math.floor(now.getTime() / 1000)) throw new TokenExpired('expired');
}

function remember(cache: Map<string, JWTPayload>, token: string, payload: JWTPayload): void {
  // Full: start over rather than track recency; the tokens still in use are checked again once each.
  if (cache.size >= VERIFIED_LIMIT) cache.clear();
  cache.set(token, payload);
}

async function verifiedPayload(token: string, secret: string, now: Date, audience: string): Promise<JWTPayload> {
  const scope = `${audience}\n${secret}`;
  let cache = verified.get(scope);
  if (!cache) verified.set(scope, (cache = new Map()));
  const known = cache.get(token);
  if (known) {
    checkExpiry(known, now);
    return known;
  }
  const { payload } = await jwtVerify(token, await key(secret), {
    issuer: ISSUER,
    audience,
    algorithms: ['HS256'],
    currentDate: now,
    requiredClaims: ['sub', 'exp', 'iat'],
  });
  remember(cache, token, payload);
  return payload;
}

async function verify(token: string, secret: string, now: Date, audience: string): Promise<{ payload: JWTPayload; accountId: number }> {
  const payload = await verifiedPayload(token, secret, now, audience);
  const accountId = ACCOUNT_ID.test(payload.sub ?? '') ? Number(payload.sub) : NaN;
  if (!Number.isSafeInteger(accountId) || accountId > 2_147_483_647) throw new Error('bad subject');
  if (typeof payload.av !== 'number') throw new Error('no authVersion');
  return { payload, accountId };
}

function refused(err: unknown): ApiError {
  if (err instanceof joseErrors.JWTExpired || err instanceof TokenExpired) return new ApiError('unauthorized', '登录已过期，请重新登录');
  return new ApiError('unauthorized', '登录凭证无效，请重新登录');
}

export async function verifySession(token: string, secret: string, now: Date): Promise<Principal> {
  try {
    const { payload, accountId } = await verify(token, secret, now, ACCESS);
    const role = payload.role as Role;
    if (!ROLES.has(role)) throw new Error('bad role');
    return {
      accountId,
      role,
      organizationId: typeof payload.org === 'number' ? payload.org : null,
      memberId: typeof payload.mid === 'number' ? payload.mid : null,
      authVersion: payload.av as number,
    };
  } catch (err) {
    throw refused(err);
  }
}

/** The account a refresh token was issued to. */
export async function verifyRefreshToken(token: string, secret: string, now: Date): Promise<{ accountId: number; authVersion: number }> {
  try {
    const { payload, accountId } = await verify(token, secret, now, REFRESH);
    return { accountId, authVersion: payload.av as number };
  } catch (err) {
    throw refused(err);
  }
}

/**
 * True while the account still has the role, branch and status the token was
 * issued for: every change to them bumps `accounts.auth_version` (a trigger).
 * Writes fold this into a statement they run anyway.
 */
export function sessionIsCurrent(p: { accountId: unknown; authVersion: unknown }): SQL {
  // The values are a principal's, or placeholders of a statement rendered once (db/statement.ts).
  return sql`exists (select 1 from accounts a where a.id = ${p.accountId}::int and a.auth_version = ${p.authVersion}::int)`;
}

export const staleSession = () => new ApiError('unauthorized', '账号的角色或所属组织已变更，请重新登录');

export function bearerToken(header: string | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1] ?? null;
}
