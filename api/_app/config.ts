/**
 * Configuration, validated once at start-up: a missing secret in production is
 * a clear start-up error, never a 500 on some later request.
 */
import { z } from 'zod';

const DEV_SECRET = 'dev-only-session-secret-not-for-production-use!';
const DEV_ID_KEY = Buffer.alloc(32, 7).toString('base64');

const base64Key32 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'must be 32 bytes, base64-encoded' });

const envSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).optional(),
  VERCEL_ENV: z.string().optional(),
  NODE_ENV: z.string().optional(),
  DATABASE_URL: z.string().url().optional(),
  DB_DRIVER: z.enum(['pglite', 'neon', 'node-postgres']).optional(),
  PGLITE_DATA_DIR: z.string().optional(),
  /** Development only: reach a plain PostgreSQL with the Neon driver through a local WebSocket proxy (`host:port`). */
  NEON_WS_PROXY: z.string().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  ID_ENCRYPTION_KEY: base64Key32.optional(),
  ID_HASH_KEY: z.string().min(16).optional(),
  WECHAT_APPID: z.string().optional(),
  WECHAT_SECRET: z.string().optional(),
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  CRON_SECRET: z.string().min(16).optional(),
  APP_NOW: z.iso.datetime({ offset: true }).optional(),
  CORS_ORIGINS: z.string().optional(),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  WRITE_RATE_LIMIT: z.coerce.number().int().min(1).default(120),
  /** Reads that write an audit row (exports, ID reveal), per account and minute. */
  AUDITED_READ_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
});

export interface AppConfig {
  production: boolean;
  database: { url?: string; driver?: 'pglite' | 'neon' | 'node-postgres'; dataDir: string; neonWsProxy?: string };
  sessionSecret: string;
  sessionTtlHours: number;
  idEncryptionKey: Buffer;
  idHashKey: string;
  wechat: { appid?: string; secret?: string; apiBase: string };
  cronSecret?: string;
  initialNow?: string;
  corsOrigins: string[];
  bodyLimitBytes: number;
  loginRateLimit: number;
  writeRateLimit: number;
  auditedReadRateLimit: number;
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`配置错误 (configuration error):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const production = e.APP_ENV === 'production' || e.VERCEL_ENV === 'production';
  if (production) {
    const missing = (
      [
        ['SESSION_SECRET', e.SESSION_SECRET],
        ['ID_ENCRYPTION_KEY', e.ID_ENCRYPTION_KEY],
        ['ID_HASH_KEY', e.ID_HASH_KEY],
        ['DATABASE_URL', e.DATABASE_URL],
        ['WECHAT_APPID', e.WECHAT_APPID],
        ['WECHAT_SECRET', e.WECHAT_SECRET],
        ['CRON_SECRET', e.CRON_SECRET],
      ] as const
    )
      .filter(([, v]) => !v)
      .map(([k]) => `${k} is required in production`);
    if (missing.length) throw new ConfigError(missing);
  }
  return {
    production,
    database: {
      url: e.DATABASE_URL,
      driver: e.DB_DRIVER,
      dataDir: e.PGLITE_DATA_DIR ?? '.data/pglite',
      neonWsProxy: production ? undefined : e.NEON_WS_PROXY,
    },
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    idEncryptionKey: Buffer.from(e.ID_ENCRYPTION_KEY ?? DEV_ID_KEY, 'base64'),
    idHashKey: e.ID_HASH_KEY ?? 'dev-only-id-hash-key',
    wechat: { appid: e.WECHAT_APPID, secret: e.WECHAT_SECRET, apiBase: e.WECHAT_API_BASE },
    cronSecret: e.CRON_SECRET ?? (production ? undefined : 'dev-only-cron-secret'),
    initialNow: production ? undefined : e.APP_NOW,
    corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    writeRateLimit: e.WRITE_RATE_LIMIT,
    auditedReadRateLimit: e.AUDITED_READ_RATE_LIMIT,
  };
}
