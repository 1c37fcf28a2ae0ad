/**
 * Global setup for the `faults-restart` project: only the PostgreSQL template
 * (migrated, seeded). Unlike tests/helpers/global-setup.ts it keeps no admin
 * connection open during the run — the test restarts the server, which would
 * kill it — and it builds no PGlite dump (nothing here runs on PGlite).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../api/_app/config.js';
import { openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { seedDemoIfEmpty } from '../../db/seed/index.js';
import { databaseUrl, PG_ADMIN_URL, TEST_NOW } from '../helpers/constants.js';

async function admin(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject) {
  const config = loadConfig({ APP_ENV: 'test' });
  const template = `tpl_restart_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${template}`);
  const database = await openDatabase({ url: databaseUrl(template), driver: 'node-postgres', poolMax: 1 });
  await migrateDatabase(database);
  await seedDemoIfEmpty(database.db, { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey }, new Date(TEST_NOW));
  await database.close();
  project.provide('pgTemplate', template);
  project.provide('pgliteDumpPath', '');
  return async () => {
    await admin(`drop database if exists ${template} with (force)`).catch(() => {});
  };
}
