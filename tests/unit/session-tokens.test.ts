/**
 * Checked tokens are remembered (api/_app/auth.ts), so a phone's repeated requests skip the HMAC: what was
 * refused before must still be refused once a token has been seen, and expiry still counts on every use.
 */
import { describe, expect, it } from 'vitest';
import { signSession, verifyRefreshToken, verifySession, type Principal } from '../../api/_app/auth.js';

const SECRET = 'a-test-secret-of-enough-length-000000';
const OTHER = 'another-test-secret-of-enough-length-1';
const principal: Principal = { accountId: 42, role: 'member', organizationId: 7, memberId: 9, authVersion: 3 };
const issued = new Date('2026-06-15T08:00:00Z');
const lifetimes = { accessMinutes: 15, refreshDays: 30 };
const plus = (seconds: number) => new Date(issued.getTime() + seconds * 1000);

async function refusal(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'accepted',
    (e: { message: string }) => e.message,
  );
}

describe('session tokens, checked once and remembered', () => {
  it('a remembered token still expires: accepted before exp, 登录已过期 at and after it', async () => {
    const { token } = await signSession(principal, SECRET, issued, lifetimes);
    expect(await verifySession(token, SECRET, plus(60))).toEqual(principal);
    expect(await verifySession(token, SECRET, plus(15 * 60 - 1))).toEqual(principal);
    expect(await refusal(verifySession(token, SECRET, plus(15 * 60)))).toBe('登录已过期，请重新登录');
    expect(await refusal(verifySession(token, SECRET, plus(3600)))).toBe('登录已过期，请重新登录');
  });

  it('any changed byte of a remembered token is checked afresh and refused', async () => {
    const { token } = await signSession(principal, SECRET, issued, lifetimes);
    await verifySession(token, SECRET, plus(1));
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await refusal(verifySession(flipped, SECRET, plus(1)))).toBe('登录凭证无效，请重新登录');
    // The payload made a staff's, signature kept.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'staff' })).toString('base64url');
    expect(await refusal(verifySession(`${header}.${forged}.${signature}`, SECRET, plus(1)))).toBe('登录凭证无效，请重新登录');
  });

  it('a remembered token is still only good for its own audience and secret', async () => {
    const { token, refreshToken } = await signSession(principal, SECRET, issued, lifetimes);
    await verifySession(token, SECRET, plus(1));
    await verifyRefreshToken(refreshToken, SECRET, plus(1));
    expect(await refusal(verifyRefreshToken(token, SECRET, plus(1)))).toBe('登录凭证无效，请重新登录');
    expect(await refusal(verifySession(refreshToken, SECRET, plus(1)))).toBe('登录凭证无效，请重新登录');
    expect(await refusal(verifySession(token, OTHER, plus(1)))).toBe('登录凭证无效，请重新登录');
    expect(await verifyRefreshToken(refreshToken, SECRET, plus(86_400))).toEqual({ accountId: 42, authVersion: 3 });
  });
});
