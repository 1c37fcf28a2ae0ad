/**
 * (c) The project's own server (the same app `npm start` runs) on a chosen
 * driver: BENCH_DRIVER = pglite | node-postgres | neon, DATABASE_URL for the
 * PostgreSQL ones. For `neon`, NEON_WS_PROXY names the proxy (bench/servers/neon-proxy.ts, its own
 * process, as Neon's is not the app's); without it one is started in-process.
 */
import { buildApp } from '../../api/_compose.js';
import { loadConfig } from '../../api/_app/config.js';
import { silentLogger } from '../../api/_app/log.js';
import { openDatabase, type DriverName } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { seedDemoIfEmpty } from '../../db/seed/index.js';
import { startServer } from '../../server/node-server.js';
import { startNeonProxy } from '../../tests/helpers/neon-proxy.js';

const driver = (process.env.BENCH_DRIVER ?? 'pglite') as DriverName;
const config = loadConfig({
  ...process.env,
  APP_ENV: 'development',
  LOGIN_RATE_LIMIT: '1000000',
  WRITE_RATE_LIMIT: '1000000',
});
const proxy = driver === 'neon' && !process.env.NEON_WS_PROXY ? await startNeonProxy() : undefined;
const database = await openDatabase({
  url: driver === 'pglite' ? undefined : process.env.DATABASE_URL,
  driver,
  dataDir: 'memory://',
  neonWsProxy: process.env.NEON_WS_PROXY ?? proxy?.address,
  poolMax: 20,
});
if (driver === 'pglite') {
  await migrateDatabase(database);
  await seedDemoIfEmpty(database.db, { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey }, new Date(process.env.APP_NOW ?? Date.now()));
}
const app = await buildApp({ config, database, logger: silentLogger });
const server = await startServer({ app });
console.log(`READY ${server.port}`);
process.on('SIGTERM', () => {
  void (async () => {
    await server.close();
    await database.close();
    await proxy?.close();
    process.exit(0);
  })();
});
