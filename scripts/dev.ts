/**
 * `npm run dev`: the whole app on one URL. Migrates and seeds the embedded
 * database, builds the H5 app, serves both, and rebuilds the H5 app when
 * miniapp/src or shared/ change (refresh the page afterwards).
 */
import { watch } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../api/_app/bootstrap.js';
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedDemoIfEmpty } from '../db/seed/index.js';
import { startServer } from '../server/node-server.js';
import { ensureH5Build, H5_DIR, H5_SOURCES, rebuildH5 } from './h5-build.js';

const port = Number(process.env.PORT ?? 3000);
const config = loadConfig({ APP_ENV: 'development', ...process.env });
const database = await openDatabase({ ...config.database });
await migrateDatabase(database);
const app = await buildApp({ config, database });
if (await seedDemoIfEmpty(database.db, { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey }, app.deps.clock.now())) {
  console.log('已写入演示数据：红旗镇党委及其 5 个支部');
}
ensureH5Build();
const server = await startServer({ app, port, host: '127.0.0.1', staticDir: H5_DIR });
console.log(
  `\n  打开 ${server.url}  （演示登录：选择党委工作人员、支部书记、党员或新用户）\n` +
    `  API：${server.url}/api/health   OpenAPI：${server.url}/api/openapi.json\n` +
    `  修改 miniapp/src 或 shared/ 后会自动重新构建 H5，完成后刷新页面。Ctrl+C 退出。\n`,
);

let timer: NodeJS.Timeout | undefined;
let building = false;
let again = false;
async function rebuild(): Promise<void> {
  if (building) {
    again = true;
    return;
  }
  building = true;
  console.log('检测到修改，正在重新构建 H5…');
  const ok = await rebuildH5();
  console.log(ok ? 'H5 已更新，请刷新页面' : 'H5 构建失败（见上方输出），修改后会再试');
  building = false;
  if (again) {
    again = false;
    void rebuild();
  }
}
const watchers = H5_SOURCES.filter((source) => !path.extname(source)).map((source) =>
  watch(source, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), 400);
  }),
);

const stop = async () => {
  for (const w of watchers) w.close();
  await server.close();
  await database.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
