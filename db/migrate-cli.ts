/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (or the embedded database). */
import { loadDatabaseConfig } from '../api/_app/config.js';
import { openDatabase } from './client.js';
import { migrateDatabase } from './migrate.js';

// Only the database settings: migrating needs no session or WeChat secrets (outside development, DATABASE_URL is required).
const database = await openDatabase(loadDatabaseConfig());
try {
  await migrateDatabase(database);
  console.log(`迁移完成（${database.driver}）`);
} finally {
  await database.close();
}
