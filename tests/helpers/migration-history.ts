/**
 * Migration tests on a database written before a migration: a copy of the migrations folder that stops just
 * before it (found by the tag's ending, since numbers change at merge), the driver's own migrator for that
 * folder, and a fresh empty database per driver.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { openDatabase, type Database, type DriverName } from '../../db/client.js';
import { MIGRATIONS_FOLDER } from '../../db/migrate.js';
import { openPostgresDatabase } from './harness.js';

export async function migrationsBefore(tagEnd: string): Promise<{ folder: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-before-'));
  const folder = path.join(dir, 'migrations');
  await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(tagEnd));
  expect(at).toBeGreaterThan(0);
  await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return { folder, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Applies a migrations folder with the migrator of the database's driver. */
export async function migrateTo(database: Database, migrationsFolder: string): Promise<void> {
  const config = { migrationsFolder };
  const migrators = {
    pglite: async () => (await import('drizzle-orm/pglite/migrator')).migrate(database.db as never, config),
    neon: async () => (await import('drizzle-orm/neon-serverless/migrator')).migrate(database.db as never, config),
    'node-postgres': async () => (await import('drizzle-orm/node-postgres/migrator')).migrate(database.db as never, config),
  } satisfies Record<DriverName, () => Promise<void>>;
  await migrators[database.driver]();
}

/** A fresh, empty database for the driver. */
export async function freshDatabase(driver: DriverName): Promise<{ database: Database; close: () => Promise<void> }> {
  if (driver === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, close: () => database.close() };
  }
  return openPostgresDatabase(driver);
}
