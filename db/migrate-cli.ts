/**
 * `npm run db:migrate`: applies the committed migrations as the tables' owner
 * (MIGRATION_DATABASE_URL, else DATABASE_URL) and, with RUNTIME_DB_ROLE, grants
 * the server's role what it needs; without a URL (development only), the embedded database.
 */
import { loadDatabaseConfig } from './config.js';
import { openDatabase } from './client.js';
import { migrateAsOwner, migrateDatabase, migrationTarget } from './migrate.js';

try {
  const target = migrationTarget();
  if (target.runtimeRole && !target.url) {
    throw new Error('RUNTIME_DB_ROLE 只用于 PostgreSQL：请同时设置 MIGRATION_DATABASE_URL（表的所有者）');
  }
  if (target.url) {
    const done = await migrateAsOwner({ ...target, url: target.url });
    console.log(`迁移完成（${done.driver}）${done.granted ? `，已授予运行角色 ${done.granted} 所需权限` : ''}`);
  } else {
    // Only the database settings: migrating needs no session or WeChat secrets (outside development, a URL is required).
    const database = await openDatabase(loadDatabaseConfig());
    try {
      await migrateDatabase(database);
      console.log(`迁移完成（${database.driver}）`);
    } finally {
      await database.close();
    }
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
