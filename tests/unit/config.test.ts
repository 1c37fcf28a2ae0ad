/**
 * Production is the default and development is explicit: only APP_ENV=development
 * or test enables the demo login, the dev clock and the published dev secrets;
 * production refuses missing and weak secrets at start-up.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../api/_app/config.js';
import { loadDatabaseConfig } from '../../db/config.js';

const strong = () => ({
  SESSION_SECRET: randomBytes(32).toString('base64'),
  ID_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  ID_HASH_KEY: randomBytes(32).toString('base64'),
  DATABASE_URL: 'postgres://app@db.internal:5432/dangjian',
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHAT_SECRET: randomBytes(16).toString('hex'),
  CRON_SECRET: randomBytes(24).toString('base64'),
});

function problems(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('production is the default', () => {
  it('no APP_ENV at all is production: without secrets it refuses to start, in Chinese and English, naming APP_ENV=development', () => {
    const message = problems({});
    expect(message).toContain('配置错误');
    expect(message).toContain('configuration error');
    for (const name of ['SESSION_SECRET', 'ID_ENCRYPTION_KEY', 'ID_HASH_KEY', 'WECHAT_APPID', 'WECHAT_SECRET', 'CRON_SECRET']) {
      expect(message).toContain(`${name} is required in production`);
    }
    expect(message).toContain('APP_ENV=development');
  });

  it('with strong secrets and no APP_ENV the config is production: no dev clock, no dev cron secret', () => {
    const config = loadConfig({ ...strong(), APP_NOW: '2026-07-01T09:00:00+08:00' });
    expect(config.production).toBe(true);
    expect(config.initialNow).toBeUndefined();
  });

  it('only an explicit development or test APP_ENV enables development, with the published dev secrets', () => {
    for (const APP_ENV of ['development', 'test']) {
      const config = loadConfig({ APP_ENV, APP_NOW: '2026-07-01T09:00:00+08:00' });
      expect(config.production).toBe(false);
      expect(config.initialNow).toBe('2026-07-01T09:00:00+08:00');
    }
    // NODE_ENV is not a switch for it.
    expect(() => loadConfig({ NODE_ENV: 'development' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test' })).toThrow(ConfigError);
  });

  it('a Vercel preview or production deployment is production whatever APP_ENV says', () => {
    for (const VERCEL_ENV of ['preview', 'production']) {
      expect(problems({ APP_ENV: 'development', VERCEL_ENV })).toContain('SESSION_SECRET is required in production');
      expect(loadConfig({ ...strong(), APP_ENV: 'development', VERCEL_ENV }).production).toBe(true);
    }
  });

  it('outside development a missing DATABASE_URL is a start-up error (no embedded database in .data/), for the server and for migrations', () => {
    const { DATABASE_URL: _, ...noDatabase } = strong();
    expect(problems(noDatabase)).toContain('DATABASE_URL is required outside development');
    expect(problems({ ...strong(), DB_DRIVER: 'pglite' })).toContain('DB_DRIVER=pglite is for development only');
    expect(() => loadDatabaseConfig({})).toThrow(/DATABASE_URL is required outside development/);
    expect(loadDatabaseConfig({ DATABASE_URL: 'postgres://owner@db:5432/x' }).url).toBe('postgres://owner@db:5432/x');
    expect(loadDatabaseConfig({ APP_ENV: 'development' }).url).toBeUndefined();
  });
});

describe('weak secrets are refused at start', () => {
  const cases: [string, string, RegExp][] = [
    ['SESSION_SECRET', 'a'.repeat(64), /SESSION_SECRET repeats too few characters/],
    ['SESSION_SECRET', 'abcdabcdabcdabcdabcdabcdabcdabcdabcd', /SESSION_SECRET repeats too few characters/],
    ['SESSION_SECRET', 'dev-only-session-secret-not-for-production-use!', /SESSION_SECRET is the published development value/],
    ['ID_ENCRYPTION_KEY', Buffer.alloc(32, 0).toString('base64'), /ID_ENCRYPTION_KEY is not random/],
    ['ID_ENCRYPTION_KEY', Buffer.alloc(32, 7).toString('base64'), /ID_ENCRYPTION_KEY is the published development value/],
    ['ID_HASH_KEY', randomBytes(12).toString('hex').slice(0, 20), /ID_HASH_KEY is too short/],
    ['ID_HASH_KEY', 'dev-only-id-hash-key', /ID_HASH_KEY is the published development value/],
    ['CRON_SECRET', '0'.repeat(32), /CRON_SECRET repeats too few characters/],
  ];
  it.each(cases)('%s = %s', (name, value, expected) => {
    expect(problems({ ...strong(), [name]: value })).toMatch(expected);
  });

  it('strong random secrets pass', () => {
    expect(() => loadConfig(strong())).not.toThrow();
  });
});

describe('client addresses', () => {
  it("on Vercel (VERCEL=1 or VERCEL_ENV set) the platform's header names the client; elsewhere the socket and TRUST_PROXY", () => {
    expect(loadConfig({ ...strong(), VERCEL: '1' }).clientAddress.platform).toBe('vercel');
    expect(loadConfig({ ...strong(), VERCEL_ENV: 'preview' }).clientAddress.platform).toBe('vercel');
    expect(loadConfig(strong()).clientAddress).toMatchObject({ platform: 'node', trustProxy: { kind: 'none' } });
    expect(loadConfig({ ...strong(), TRUST_PROXY: '1' }).clientAddress.trustProxy).toEqual({ kind: 'hops', hops: 1 });
    expect(() => loadConfig({ ...strong(), TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY/);
  });
});

describe('token lifetimes', () => {
  it('access tokens live at most 15 minutes; refresh tokens weeks', () => {
    const config = loadConfig({ APP_ENV: 'test' });
    expect(config.accessTokenTtlMinutes).toBe(15);
    expect(config.refreshTokenTtlDays).toBeGreaterThanOrEqual(30);
    expect(() => loadConfig({ APP_ENV: 'test', ACCESS_TOKEN_TTL_MINUTES: '16' })).toThrow(ConfigError);
    expect(() => loadConfig({ APP_ENV: 'test', REFRESH_TOKEN_TTL_DAYS: '61' })).toThrow(ConfigError);
  });
});
