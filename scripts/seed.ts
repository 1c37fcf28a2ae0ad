/** `npm run db:seed`: seeds the demo township into an empty database (never in production). */
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedDemoIfEmpty } from '../db/seed/index.js';

const config = loadConfig();
if (config.production) {
  console.error('生产环境不写入演示数据');
  process.exit(1);
}
const database = await openDatabase({ ...config.database });
try {
  await migrateDatabase(database);
  const seeded = await seedDemoIfEmpty(
    database.db,
    { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey },
    config.initialNow ? new Date(config.initialNow) : new Date(),
  );
  console.log(seeded ? '演示数据已写入' : '数据库非空，未写入演示数据');
} finally {
  await database.close();
}
