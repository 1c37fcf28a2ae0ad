/**
 * Applies the committed drizzle-kit migrations, whichever driver is in use, and
 * grants the server's runtime role what it needs (two roles: the owner
 * migrates, the server runs with SELECT, INSERT, UPDATE only).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { openDatabase, rowsOf, type Database, type DriverName } from './client.js';

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  switch (database.driver) {
    case 'pglite': {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(database.db as never, config);
      return;
    }
    case 'neon': {
      const { migrate } = await import('drizzle-orm/neon-serverless/migrator');
      await migrate(database.db as never, config);
      return;
    }
    case 'node-postgres': {
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      await migrate(database.db as never, config);
      return;
    }
  }
}

/**
 * The runtime role's grants. The app never deletes a row (commendations are
 * withdrawn with `deleted_at`; idempotency keys and rate-limit windows are
 * overwritten in place), so no table gets DELETE unless listed in
 * RUNTIME_DELETE_TABLES; the audit log gets no UPDATE
 * either: only its owner could change it, and the owner is not who the server
 * connects as. USAGE on sequences: without it the first insert fails (42501).
 * Default privileges cover the tables and sequences later migrations add.
 */
/**
 * Tables the app deletes rows from (tests/api/db-roles.test.ts checks the code against this list). Only the
 * county's holiday list: a year's list is replaced as a whole (PUT /api/work-calendar/:year), a reference
 * table of dates, not a record of anyone's, and each replacement is audited with the days it replaced.
 */
export const RUNTIME_DELETE_TABLES: readonly string[] = ['work_calendar_days'];

export function runtimeGrants(role: string): string[] {
  const r = `"${role}"`;
  return [
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${r}`,
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `REVOKE UPDATE ON TABLE audit_log FROM ${r}`,
    ...RUNTIME_DELETE_TABLES.map((table) => `GRANT DELETE ON TABLE "${table}" TO ${r}`),
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO ${r}`,
  ];
}

export class RuntimeRoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeRoleError';
  }
}

/** Grants the runtime role its privileges on every table, as the owner that just migrated. */
export async function grantRuntimeRole(database: Database, role: string): Promise<void> {
  if (database.driver === 'pglite') throw new RuntimeRoleError('嵌入式数据库（PGlite）只有一个连接，不区分运行角色：RUNTIME_DB_ROLE 只用于 PostgreSQL');
  await database.db.transaction(async (tx) => {
    const [who] = rowsOf<{ me: string; known: boolean }>(
      await tx.execute(sql`select current_user as me, exists (select 1 from pg_roles where rolname = ${role}) as known`),
    );
    if (!who?.known) {
      throw new RuntimeRoleError(`数据库角色 ${role} 不存在：请先以所有者身份执行 CREATE ROLE ${role} LOGIN PASSWORD '…'`);
    }
    if (who.me === role) {
      throw new RuntimeRoleError(`RUNTIME_DB_ROLE（${role}）就是执行迁移的角色：迁移请用表的所有者（MIGRATION_DATABASE_URL），服务器用另一个角色`);
    }
    for (const statement of runtimeGrants(role)) await tx.execute(sql.raw(statement));
  });
}

const migrationEnv = z.object({
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  DB_DRIVER: z.enum(['pglite', 'neon', 'node-postgres']).optional(),
  RUNTIME_DB_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a PostgreSQL role name: lower-case letters, digits and _')
    .optional(),
});

export interface MigrationTarget {
  /** The owner's connection: MIGRATION_DATABASE_URL, else DATABASE_URL. */
  url?: string;
  driver?: DriverName;
  runtimeRole?: string;
}

export function migrationTarget(env: Record<string, string | undefined> = process.env): MigrationTarget {
  const parsed = migrationEnv.safeParse(env);
  if (!parsed.success) {
    throw new RuntimeRoleError(`配置错误 (configuration error): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return { url: e.MIGRATION_DATABASE_URL ?? e.DATABASE_URL, driver: e.DB_DRIVER, runtimeRole: e.RUNTIME_DB_ROLE };
}

/** `npm run db:migrate` and `MIGRATE_ON_START`: migrate as the owner, then grant the runtime role. */
export async function migrateAsOwner(target: MigrationTarget & { url: string }): Promise<{ driver: DriverName; granted?: string }> {
  const database = await openDatabase({ url: target.url, driver: target.driver, poolMax: 1 });
  try {
    await migrateDatabase(database);
    if (target.runtimeRole) await grantRuntimeRole(database, target.runtimeRole);
    return { driver: database.driver, granted: target.runtimeRole };
  } finally {
    await database.close();
  }
}
