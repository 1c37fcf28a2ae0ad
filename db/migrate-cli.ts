/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (or the embedded database). */
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from './client.js';
import { migrateDatabase } from './migrate.js';

const config = loadConfig();
const database = await openDatabase({ ...config.database });
try {
  await migrateDatabase(database);
  console.log(`迁移完成（${database.driver}）`);
} finally {
  await database.close();
}
