/**
 * `npm start`: the API and the built H5 app on one Node server, for a committee
 * that hosts its own (any PostgreSQL through DATABASE_URL; node-postgres driver).
 */
import { existsSync } from 'node:fs';
import { buildApp } from '../api/_app/bootstrap.js';
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from '../db/client.js';
import { migrateAsOwner, migrateDatabase, migrationTarget } from '../db/migrate.js';
import { startServer } from './node-server.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const target = migrationTarget();
  // Two roles: the owner migrates (MIGRATION_DATABASE_URL), the server connects as the runtime role.
  if (process.env.MIGRATE_ON_START === '1' && target.url) await migrateAsOwner({ ...target, url: target.url });
  const database = await openDatabase({ ...config.database });
  if (database.driver === 'pglite') await migrateDatabase(database);
  const app = await buildApp({ config, database });
  const staticDir = existsSync('miniapp/dist/h5/index.html') ? 'miniapp/dist/h5' : undefined;
  const server = await startServer({ app, port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '0.0.0.0', staticDir });
  console.log(`党建小程序服务已启动：${server.url}（数据库驱动：${database.driver}${staticDir ? '，含 H5 页面' : ''}）`);
  let stopping: Promise<void> | undefined;
  // Ctrl+C reaches the process twice (the terminal and tsx both forward it): shut down once.
  const stop = () =>
    (stopping ??= (async () => {
      await server.close();
      await database.close();
      process.exit(0);
    })());
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
