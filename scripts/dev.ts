/**
 * `npm run dev`: one URL for the whole app. Migrates and seeds the embedded
 * database, serves the API, and rebuilds the H5 app on every change (Taro watch).
 */
import { spawn } from 'node:child_process';
import { buildApp } from '../api/_app/bootstrap.js';
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedDemoIfEmpty } from '../db/seed/index.js';
import { startServer } from '../server/node-server.js';

const port = Number(process.env.PORT ?? 3000);
const config = loadConfig({ APP_ENV: 'development', ...process.env });
const database = await openDatabase({ ...config.database });
await migrateDatabase(database);
const app = await buildApp({ config, database });
if (await seedDemoIfEmpty(database.db, { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey }, app.deps.clock.now())) {
  console.log('已写入演示数据：红旗镇党委及其 5 个支部');
}
const server = await startServer({ app, port, host: '127.0.0.1', staticDir: 'miniapp/dist/h5' });

console.log('正在构建 H5 小程序（首次约 20 秒）…');
const taro = spawn('npm', ['run', 'dev:h5', '-w', 'miniapp'], { stdio: ['ignore', 'pipe', 'inherit'] });
let announced = false;
taro.stdout.on('data', (chunk: Buffer) => {
  const text = chunk.toString();
  if (process.env.DEV_VERBOSE) process.stdout.write(text);
  if (!announced && /Compiled|编译成功|compiled/i.test(text)) {
    announced = true;
    console.log(`\n  打开 ${server.url}  （演示登录：选择党委工作人员、支部书记、党员或新用户）\n  API：${server.url}/api/health   OpenAPI：${server.url}/api/openapi.json\n`);
  }
});

const stop = async () => {
  taro.kill('SIGTERM');
  await server.close();
  await database.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
