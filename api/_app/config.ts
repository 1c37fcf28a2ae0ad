/**
 * Configuration, validated once at start-up: a missing or weak secret in
 * production is a clear start-up error, never a 500 on some later request.
 *
 * Production is the default. Only an explicit `APP_ENV=development` or
 * `APP_ENV=test` enables the demo login, the dev clock (APP_NOW) and the
 * published development secrets below; a Vercel preview or production
 * deployment (VERCEL_ENV) is production whatever APP_ENV says.
 */
import { REDEEM_LIMIT } from '../../shared/onboarding/rules.js';
import { z } from 'zod';
import { ConfigError, databaseConfig, databaseEnvSchema, databaseProblems, DEV_HINT, isProduction, parseEnv, type DatabaseSettings } from '../../db/config.js';
import { parseTrustProxy, type TrustProxy } from './client-address.js';

export { ConfigError };

const DEV_SECRET = 'dev-only-session-secret-not-for-production-use!';
const DEV_ID_KEY = Buffer.alloc(32, 7).toString('base64');
const DEV_ID_HASH_KEY = 'dev-only-id-hash-key';
const DEV_CRON_SECRET = 'dev-only-cron-secret';
const PUBLISHED = new Set([DEV_SECRET, DEV_ID_KEY, DEV_ID_HASH_KEY, DEV_CRON_SECRET]);

/** Access tokens live at most this long: a role, branch or status change reaches reads within it. */
export const MAX_ACCESS_TOKEN_MINUTES = 15;

const base64Key32 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'must be 32 bytes, base64-encoded' });

/** The database's variables (db/config.ts) and the app's. */
const envSchema = databaseEnvSchema.extend({
  /** Set to 1 by Vercel in its functions: the client address comes from Vercel's own header. */
  VERCEL: z.string().optional(),
  NODE_ENV: z.string().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_MINUTES: z.coerce.number().int().min(1).max(MAX_ACCESS_TOKEN_MINUTES).default(MAX_ACCESS_TOKEN_MINUTES),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(60).default(45),
  ID_ENCRYPTION_KEY: base64Key32.optional(),
  ID_HASH_KEY: z.string().min(16).optional(),
  WECHAT_APPID: z.string().optional(),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  CRON_SECRET: z.string().min(16).optional(),
  APP_NOW: z.iso.datetime({ offset: true }).optional(),
  CORS_ORIGINS: z.string().optional(),
  /** Which proxies may tell the client's address (X-Forwarded-For): addresses/CIDRs, comma-separated, or a hop count. */
  TRUST_PROXY: z.string().optional(),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  /** Logins per client address per minute: a village meeting of 60 behind one NAT fits in one minute. */
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(100),
  /** Invitation-code tries per account in ten minutes (default REDEEM_LIMIT). */
  REDEEM_RATE_LIMIT: z.coerce.number().int().min(1).default(REDEEM_LIMIT),
  WRITE_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  /** Reads that write an audit row (exports, ID reveal), per account and minute. */
  AUDITED_READ_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
});

type Env = z.output<typeof envSchema>;

export interface AppConfig {
  production: boolean;
  database: DatabaseSettings;
  sessionSecret: string;
  accessTokenTtlMinutes: number;
  refreshTokenTtlDays: number;
  idEncryptionKey: Buffer;
  idHashKey: string;
  wechat: { appid?: string; secret?: string; apiBase: string };
  cronSecret?: string;
  initialNow?: string;
  corsOrigins: string[];
  /** Where the client's address comes from (login rate limits). */
  clientAddress: { platform: 'vercel' | 'node'; trustProxy: TrustProxy };
  bodyLimitBytes: number;
  loginRateLimit: number;
  redeemRateLimit: number;
  writeRateLimit: number;
  auditedReadRateLimit: number;
}

/**
 * Why a production secret is unfit, or null: too short, too few distinct
 * characters (a repeated character or pattern), or a published development value.
 */
export function secretWeakness(value: string, minLength: number): string | null {
  if (PUBLISHED.has(value)) return 'is the published development value (公开的开发密钥)';
  if (value.length < minLength) return `is too short (至少 ${minLength} 个字符)`;
  if (new Set(value).size < 8) return 'repeats too few characters to be random (字符重复，不够随机)';
  return null;
}

function keyWeakness(base64: string): string | null {
  if (PUBLISHED.has(base64)) return 'is the published development value (公开的开发密钥)';
  const bytes = Buffer.from(base64, 'base64');
  if (new Set(bytes).size < 8) return 'is not random (全零或重复字节；请用 openssl rand -base64 32 生成)';
  return null;
}

function productionProblems(e: Env): string[] {
  const problems: string[] = [];
  const required: [string, string | undefined][] = [
    ['SESSION_SECRET', e.SESSION_SECRET],
    ['ID_ENCRYPTION_KEY', e.ID_ENCRYPTION_KEY],
    ['ID_HASH_KEY', e.ID_HASH_KEY],
    ['WECHAT_APPID', e.WECHAT_APPID],
    ['WECHAT_SECRET', e.WECHAT_SECRET],
    ['CRON_SECRET', e.CRON_SECRET],
  ];
  for (const [name, value] of required) if (!value) problems.push(`${name} is required in production（生产环境必须设置 ${name}）`);
  problems.push(...databaseProblems(e));
  const weak: [string, string | null][] = [
    ['SESSION_SECRET', e.SESSION_SECRET ? secretWeakness(e.SESSION_SECRET, 32) : null],
    ['ID_ENCRYPTION_KEY', e.ID_ENCRYPTION_KEY ? keyWeakness(e.ID_ENCRYPTION_KEY) : null],
    ['ID_HASH_KEY', e.ID_HASH_KEY ? secretWeakness(e.ID_HASH_KEY, 32) : null],
    ['CRON_SECRET', e.CRON_SECRET ? secretWeakness(e.CRON_SECRET, 16) : null],
  ];
  for (const [name, why] of weak) if (why) problems.push(`${name} ${why}`);
  return problems;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const e = parseEnv(envSchema, env);
  const production = isProduction(e);
  if (production) {
    const problems = productionProblems(e);
    if (problems.length) throw new ConfigError(problems, e.APP_ENV ? undefined : DEV_HINT);
  }
  let trustProxy: TrustProxy;
  try {
    trustProxy = parseTrustProxy(e.TRUST_PROXY);
  } catch (err) {
    throw new ConfigError([`TRUST_PROXY: ${err instanceof Error ? err.message : String(err)}`]);
  }
  return {
    production,
    database: databaseConfig(e, production),
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    accessTokenTtlMinutes: e.ACCESS_TOKEN_TTL_MINUTES,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    idEncryptionKey: Buffer.from(e.ID_ENCRYPTION_KEY ?? DEV_ID_KEY, 'base64'),
    idHashKey: e.ID_HASH_KEY ?? DEV_ID_HASH_KEY,
    wechat: { appid: e.WECHAT_APPID, secret: e.WECHAT_SECRET, apiBase: e.WECHAT_API_BASE },
    cronSecret: e.CRON_SECRET ?? (production ? undefined : DEV_CRON_SECRET),
    initialNow: production ? undefined : e.APP_NOW,
    corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    clientAddress: { platform: e.VERCEL === '1' || e.VERCEL_ENV !== undefined ? 'vercel' : 'node', trustProxy },
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    redeemRateLimit: e.REDEEM_RATE_LIMIT,
    writeRateLimit: e.WRITE_RATE_LIMIT,
    auditedReadRateLimit: e.AUDITED_READ_RATE_LIMIT,
  };
}
