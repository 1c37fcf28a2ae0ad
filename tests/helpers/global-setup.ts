/**
 * Runs once per test run: builds the migrated, seeded demo township twice —
 * as a PGlite dump and as a PostgreSQL template database — so each test file
 * starts from a copy in well under a second instead of migrating again.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../api/_app/config.js';
import { openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { seedDemoIfEmpty } from '../../db/seed/index.js';
import { databaseUrl, PG_ADMIN_URL, TEST_NOW } from './constants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDumpPath: string;
    pgTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const config = loadConfig({ APP_ENV: 'test' });
  const keys = { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey };
  const now = new Date(TEST_NOW);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'dangjian-test-'));
  const lite = await openDatabase({ dataDir: 'memory://' });
  await migrateDatabase(lite);
  await seedDemoIfEmpty(lite.db, keys, now);
  const dump = await lite.pglite!.dumpDataDir('none');
  const dumpPath = path.join(dir, 'pglite.tar');
  await writeFile(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  project.provide('pgliteDumpPath', dumpPath);

  const template = `tpl_${randomBytes(5).toString('hex')}`;
  let pgTemplate: string | null = null;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
    await admin.query(`create database ${template}`);
    const database = await openDatabase({ url: databaseUrl(template), driver: 'node-postgres', poolMax: 1 });
    await migrateDatabase(database);
    await seedDemoIfEmpty(database.db, keys, now);
    await database.close();
    pgTemplate = template;
  } catch (err) {
    if (process.env.CI) throw new Error(`PostgreSQL is required in CI (${PG_ADMIN_URL}): ${String(err)}`);
    console.warn(`[tests] PostgreSQL unavailable, real-database suites will fail: ${String(err)}`);
  }
  project.provide('pgTemplate', pgTemplate);

  return async () => {
    await rm(dir, { recursive: true, force: true });
    if (pgTemplate) {
      await admin.query(`drop database if exists ${pgTemplate} with (force)`).catch(() => {});
    }
    await admin.end().catch(() => {});
  };
}
