/**
 * `npm start`: the API and the built H5 app on one Node server, for a committee
 * that hosts its own (any PostgreSQL through DATABASE_URL; node-postgres driver).
 */
import { existsSync } from 'node:fs';
import { buildApp } from '../api/_compose.js';
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from '../db/client.js';
import { migrateAsOwner, migrateDatabase, migrationTarget } from '../db/migrate.js';
import { startServer } from './node-server.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

async function main(): Promise<void> {
  // Production unless APP_ENV says development or test: missing or weak secrets stop here, with a clear message.
  const config = loadConfig();
  const host = process.env.HOST ?? (config.production ? '0.0.0.0' : '127.0.0.1');
  if (!config.production && !LOOPBACK.has(host)) {
    throw new Error(
      `开发/测试模式（演示登录、公开的开发密钥）只能监听本机地址，不能监听 ${host}。对外提供服务请按 README 配置生产环境变量。\n` +
        `Development/test mode (demo login, published dev secrets) listens on loopback only, not ${host}. Configure production secrets to serve others.`,
    );
  }
  const target = migrationTarget();
  // Two roles: the owner migrates (MIGRATION_DATABASE_URL), the server connects as the runtime role.
  if (process.env.MIGRATE_ON_START === '1' && target.url) await migrateAsOwner({ ...target, url: target.url });
  const database = await openDatabase({ ...config.database });
  if (database.driver === 'pglite') await migrateDatabase(database);
  const app = await buildApp({ config, database });
  const staticDir = existsSync('miniapp/dist/h5/index.html') ? 'miniapp/dist/h5' : undefined;
  const server = await startServer({ app, port: Number(process.env.PORT ?? 3000), host, staticDir });
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
