/**
 * The signed token in a collective study's QR code: a short-lived JWT naming the event, under a key of its own.
 * A queued (offline) sign-in is checked at the bounded time of its scan.
 */
import { createHmac } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { QR_TOKEN_TTL_SECONDS } from '../../../shared/study.js';
import { OFFLINE_CLOCK_SLACK_SECONDS } from '../../../shared/queued-writes.js';
import { ApiError } from '../../_app/errors.js';

const QR_AUDIENCE = 'study-event-sign-in';
const QR_ISSUER = 'dangjian';

/** A key of its own, derived from the session secret, so a QR token can never pass as a session and vice versa. */
function qrKey(sessionSecret: string): Uint8Array {
  return new Uint8Array(createHmac('sha256', sessionSecret).update('study-event-qr-v1').digest());
}

export async function signEventToken(eventId: number, sessionSecret: string, now: Date, ttlSeconds = QR_TOKEN_TTL_SECONDS) {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ ev: eventId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(QR_ISSUER)
    .setAudience(QR_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(qrKey(sessionSecret));
  return { token, expiresAt: new Date(exp * 1000) };
}

export async function verifyEventToken(token: string, eventId: number, sessionSecret: string, now: Date): Promise<void> {
  try {
    const { payload } = await jwtVerify(token, qrKey(sessionSecret), {
      issuer: QR_ISSUER,
      audience: QR_AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (payload.ev !== eventId) throw new Error('event mismatch');
    // A queued sign-in claims when it was scanned: a code shown on screen only later cannot have been scanned then.
    if (typeof payload.iat !== 'number' || payload.iat * 1000 > now.getTime() + OFFLINE_CLOCK_SLACK_SECONDS * 1000) throw new Error('issued later');
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      throw new ApiError('unprocessable', '签到二维码已过期，请扫描现场屏幕上最新的二维码', { reason: 'expired' });
    }
    throw new ApiError('unprocessable', '签到二维码无效，请扫描本次活动现场的二维码', { reason: 'invalid' });
  }
}
