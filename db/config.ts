/**
 * The database settings, validated from the environment: all that migrations,
 * key rotation and the drivers need (no app secrets). The app's own config
 * (api/_app/config.ts) builds on this one.
 *
 * Production is the default: only an explicit `APP_ENV=development` or
 * `APP_ENV=test` allows the embedded database and the Neon proxy; a Vercel
 * preview or production deployment (VERCEL_ENV) is production whatever APP_ENV says.
 */
import { z } from 'zod';

export interface DatabaseSettings {
  url?: string;
  driver?: 'pglite' | 'neon' | 'node-postgres';
  dataDir: string;
  neonWsProxy?: string;
}

export class ConfigError extends Error {
  constructor(problems: string[], hint?: string) {
    super(`配置错误 (configuration error):\n  - ${problems.join('\n  - ')}${hint ? `\n${hint}` : ''}`);
    this.name = 'ConfigError';
  }
}

export const DEV_HINT =
  '生产环境是默认设置；本机开发或演示请设置 APP_ENV=development（npm run dev 已自动设置）。\n' +
  'Production is the default; for local development or a demo set APP_ENV=development (npm run dev does).';

export const databaseEnvSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).optional(),
  VERCEL_ENV: z.string().optional(),
  DATABASE_URL: z.string().url().optional(),
  DB_DRIVER: z.enum(['pglite', 'neon', 'node-postgres']).optional(),
  PGLITE_DATA_DIR: z.string().optional(),
  /** Development only: reach a plain PostgreSQL with the Neon driver through a local WebSocket proxy (`host:port`). */
  NEON_WS_PROXY: z.string().optional(),
});

type DatabaseEnv = z.output<typeof databaseEnvSchema>;

export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}

/** Development features only on an explicit development or test setting, never on a Vercel deployment. */
export function isProduction(e: Pick<DatabaseEnv, 'APP_ENV' | 'VERCEL_ENV'>): boolean {
  const explicitDevelopment = e.APP_ENV === 'development' || e.APP_ENV === 'test';
  const vercelDeployment = e.VERCEL_ENV === 'production' || e.VERCEL_ENV === 'preview';
  return !explicitDevelopment || vercelDeployment;
}

export function databaseProblems(e: DatabaseEnv): string[] {
  const problems: string[] = [];
  if (!e.DATABASE_URL) {
    problems.push(
      'DATABASE_URL is required outside development: there is no embedded database in production（生产环境必须设置 DATABASE_URL，不会在 .data/ 建嵌入式数据库）',
    );
  }
  if (e.DB_DRIVER === 'pglite') problems.push('DB_DRIVER=pglite is for development only（嵌入式数据库仅用于开发和测试）');
  return problems;
}

export function databaseConfig(e: DatabaseEnv, production: boolean): DatabaseSettings {
  return {
    url: e.DATABASE_URL,
    driver: e.DB_DRIVER,
    dataDir: e.PGLITE_DATA_DIR ?? '.data/pglite',
    neonWsProxy: production ? undefined : e.NEON_WS_PROXY,
  };
}

/**
 * Only the database settings, for tools that need nothing else (migrations):
 * outside development a missing DATABASE_URL is still an error.
 */
export function loadDatabaseConfig(env: Record<string, string | undefined> = process.env): DatabaseSettings {
  const e = parseEnv(databaseEnvSchema, env);
  const production = isProduction(e);
  if (production) {
    const problems = databaseProblems(e);
    if (problems.length) throw new ConfigError(problems, e.APP_ENV ? undefined : DEV_HINT);
  }
  return databaseConfig(e, production);
}
