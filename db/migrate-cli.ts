/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (or the embedded database). */
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from './client.js';
import { migrateDatabase } from './migrate.js';

const config = loadConfig();
const database = await openDatabase({ url: config.database.url, driver: config.database.driver, dataDir: config.database.dataDir });
try {
  await migrateDatabase(database);
  console.log(`迁移完成（${database.driver}）`);
} finally {
  await database.close();
}
