/**
 * `npm run dev`: the whole app on one URL. Migrates and seeds the embedded
 * database and serves the API at once; the H5 app builds in the background
 * (pages show "正在构建小程序…" and refresh themselves until it is there) and
 * rebuilds when miniapp/src or shared/ change. Ctrl+C or SIGTERM stops it
 * cleanly (exit 0).
 *
 * Env: PORT (3000), PGLITE_DATA_DIR (.data/pglite) or DATABASE_URL; tests also
 * set H5_DIST_DIR and H5_BUILD_COMMAND (see scripts/h5-build.ts).
 */
import { watch } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../api/_compose.js';
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedDemoIfEmpty } from '../db/seed/index.js';
import { startServer } from '../server/node-server.js';
import { buildH5InBackground, h5BuildIsFresh, H5_DIR, H5_SOURCES, type BackgroundBuild } from './h5-build.js';

const port = Number(process.env.PORT ?? 3000);
const config = loadConfig({ APP_ENV: 'development', ...process.env });
const database = await openDatabase({ ...config.database });
await migrateDatabase(database);
const app = await buildApp({ config, database });
if (await seedDemoIfEmpty(database.db, { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey }, app.deps.clock.now())) {
  console.log('已写入演示数据：红旗镇党委及其 5 个支部');
}

let h5: 'building' | 'failed' | 'ready' = h5BuildIsFresh() ? 'ready' : 'building';
const server = await startServer({ app, port, host: '127.0.0.1', staticDir: H5_DIR, h5Status: () => h5 });
console.log(
  `\n  打开 ${server.url}  （演示登录：选择党委工作人员、支部书记、党员或新用户）\n` +
    `  API：${server.url}/api/health   OpenAPI：${server.url}/api/openapi.json\n` +
    `  修改 miniapp/src 或 shared/ 后会自动重新构建 H5，完成后刷新页面。Ctrl+C 退出。\n`,
);

let current: BackgroundBuild | undefined;
let again = false;
/** One build at a time; a change during a build queues one more. */
function build(reason: 'start' | 'change'): void {
  if (current) {
    again = true;
    return;
  }
  h5 = 'building';
  console.log(reason === 'start' ? '正在构建小程序（H5，约 20 秒到数分钟）…页面会在完成后自动刷新' : '检测到修改，正在重新构建 H5…');
  const run = buildH5InBackground({ force: reason === 'change' });
  current = run;
  void run.done.then((ok) => {
    if (current !== run) return; // cancelled by shutdown
    current = undefined;
    h5 = ok ? 'ready' : 'failed';
    console.log(ok ? 'H5 已就绪，页面会自动刷新' : 'H5 构建失败（见上方输出），修改后会再试');
    if (again) {
      again = false;
      build('change');
    }
  });
}
if (h5 === 'building') build('start');

let timer: NodeJS.Timeout | undefined;
const watchers = H5_SOURCES.filter((source) => !path.extname(source)).map((source) =>
  watch(source, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => build('change'), 400);
  }),
);

let stopping: Promise<void> | undefined;
/** Ctrl+C reaches this process twice (from the terminal and from tsx): shut down once. */
function stop(): Promise<void> {
  stopping ??= (async () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
    const building = current;
    current = undefined;
    building?.cancel();
    await building?.done;
    await server.close();
    await database.close();
    process.exit(0);
  })().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
  return stopping;
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
