/**
 * Two database roles on a real PostgreSQL: `npm run db:migrate` runs as the
 * owner (MIGRATION_DATABASE_URL) and grants RUNTIME_DB_ROLE what the server
 * needs; the server, connected as that role, does its normal writes but can
 * neither switch off the audit log's trigger nor change or delete its rows.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../api/_app/app.js';
import { AdjustableClock } from '../../api/_app/clock.js';
import { loadConfig } from '../../api/_app/config.js';
import { silentLogger } from '../../api/_app/log.js';
import { routes } from '../../api/_routes.js';
import { openDatabase, type Database } from '../../db/client.js';
import { RUNTIME_DELETE_TABLES } from '../../db/migrate.js';
import { seedDemoIfEmpty } from '../../db/seed/index.js';
import { databaseUrl, PG_ADMIN_URL, TEST_NOW } from '../helpers/constants.js';

const run = promisify(execFile);
const suffix = randomBytes(5).toString('hex');
const dbName = `roles_${suffix}`;
const owner = `owner_${suffix}`;
const runtime = `runtime_${suffix}`;

function urlAs(role: string): string {
  const url = new URL(databaseUrl(dbName));
  url.username = role;
  url.password = '';
  return url.toString();
}

async function asRole<T>(role: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlAs(role) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function sqlError(role: string, statement: string): Promise<string | undefined> {
  return asRole(role, async (c) => {
    try {
      await c.query(statement);
      return undefined;
    } catch (err) {
      return (err as { code?: string }).code;
    }
  });
}

describe('two database roles: the owner migrates, the server runs with the least it needs [PostgreSQL]', () => {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  let database: Database;
  let app: App;
  let migrateOutput = '';

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create role ${owner} login`);
    await admin.query(`create role ${runtime} login`);
    await admin.query(`create database ${dbName} owner ${owner}`);
    const { stdout } = await run('npx', ['tsx', 'db/migrate-cli.ts'], {
      env: { ...process.env, APP_ENV: 'test', DATABASE_URL: urlAs(runtime), MIGRATION_DATABASE_URL: urlAs(owner), RUNTIME_DB_ROLE: runtime },
      timeout: 60_000,
    });
    migrateOutput = stdout;
    const config = loadConfig({ APP_ENV: 'test' });
    const seeding = await openDatabase({ url: urlAs(owner), driver: 'node-postgres', poolMax: 1 });
    await seedDemoIfEmpty(seeding.db, { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey }, new Date(TEST_NOW));
    await seeding.close();
    database = await openDatabase({ url: urlAs(runtime), driver: 'node-postgres', poolMax: 4 });
    const unusedWechat = { code2session: () => Promise.reject(new Error('not used')) };
    app = createApp({ database, config, clock: new AdjustableClock(TEST_NOW), wechat: unusedWechat, logger: silentLogger }, routes);
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`drop role if exists ${runtime}`);
    await admin.query(`drop role if exists ${owner}`);
    await admin.end();
  });

  async function call(method: string, path: string, token?: string, body?: unknown) {
    const headers = new Headers({ 'idempotency-key': `roles-${randomUUID()}` });
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (body !== undefined) headers.set('content-type', 'application/json');
    const res = await app.fetch(new Request(`http://test.local${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('npm run db:migrate migrates as the owner and says it granted the runtime role', async () => {
    expect(migrateOutput).toContain(runtime);
    const tables = await asRole(owner, (c) => c.query(`select tableowner from pg_tables where schemaname = 'public'`));
    expect(new Set(tables.rows.map((r: { tableowner: string }) => r.tableowner))).toEqual(new Set([owner]));
  });

  it("the app's normal writes work as the runtime role: sign-in, check-in (with its roll-up triggers), a member edit, each audited", async () => {
    const login = await call('POST', '/api/auth/dev', undefined, { role: 'member' });
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    const checkIn = await call('POST', '/api/study/checkins', token, { way: 'platform', topic: '读《党员学习手册》', minutes: 20 });
    expect(checkIn.status).toBeLessThan(300);
    const me = await call('GET', '/api/study/me', token);
    expect(me.body.todayMinutes).toBe(20);

    const staff = (await call('POST', '/api/auth/dev', undefined, { role: 'staff' })).body.token as string;
    const list = await call('GET', '/api/members', staff);
    const member = (list.body.items as { id: number; version: number }[])[0]!;
    const detail = await call('GET', `/api/members/${member.id}`, staff);
    const edit = await call('PATCH', `/api/members/${member.id}`, staff, { version: detail.body.version, education: '本科' });
    expect(edit.status).toBe(200);
    const audits = await asRole(runtime, (c) => c.query(`select count(*)::int as n from audit_log`));
    expect(audits.rows[0].n).toBeGreaterThan(0);
  });

  it('the runtime role cannot switch off the audit trigger, nor update, delete or truncate audit rows', async () => {
    expect(await sqlError(runtime, 'alter table audit_log disable trigger audit_log_append_only')).toBe('42501');
    expect(await sqlError(runtime, 'alter table audit_log disable trigger all')).toBe('42501');
    expect(await sqlError(runtime, `update audit_log set action = 'rewritten'`)).toBe('42501');
    expect(await sqlError(runtime, 'delete from audit_log')).toBe('42501');
    expect(await sqlError(runtime, 'truncate audit_log')).toBe('42501');
    expect(await sqlError(runtime, 'drop table audit_log')).toBe('42501');
    // Nor delete anything else: the app never deletes a row.
    expect(await sqlError(runtime, 'delete from members')).toBe('42501');
    // The owner still can disable it (which is why the server must not connect as the owner).
    expect(await sqlError(owner, 'alter table audit_log disable trigger audit_log_append_only')).toBeUndefined();
    await asRole(owner, (c) => c.query('alter table audit_log enable trigger audit_log_append_only'));
  });

  it('tables and sequences added by later migrations are covered by default privileges', async () => {
    await asRole(owner, (c) => c.query('create table later_feature (id serial primary key, note text not null)'));
    await asRole(runtime, async (c) => {
      await c.query(`insert into later_feature (note) values ('x')`);
      await c.query(`update later_feature set note = 'y'`);
      expect((await c.query('select note from later_feature')).rows).toEqual([{ note: 'y' }]);
    });
    expect(await sqlError(runtime, 'delete from later_feature')).toBe('42501');
  });

  it('the code the server runs deletes rows only where the runtime role may (RUNTIME_DELETE_TABLES)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    // The API's code, and the trigger functions of the migrations (triggers run with the caller's rights).
    const sources = [...files('api').filter((f) => f.endsWith('.ts')), ...files('db/migrations').filter((f) => f.endsWith('.sql'))];
    // `tx.delete(idempotencyKeys)` and `delete from idempotency_keys` both name the table idempotency_keys.
    const normal = (name: string) => (name.split('.').pop() ?? name).replace(/_/g, '').toLowerCase();
    const listed = new Set(RUNTIME_DELETE_TABLES.map(normal));
    const unlisted = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\.delete\(\s*([A-Za-z_.]+)|\bdelete\s+from\s+"?([a-z_]+)/gi)]
        .map((m) => m[1] ?? m[2] ?? '')
        .filter((table) => !listed.has(normal(table)))
        .map((table) => `${file}: ${table}`),
    );
    expect(unlisted, 'grant DELETE through RUNTIME_DELETE_TABLES in db/migrate.ts (and say why in SECURITY.md)').toEqual([]);
  });

  it('refuses to grant to the role that migrates, and names a missing role', async () => {
    const env = { ...process.env, MIGRATION_DATABASE_URL: urlAs(owner) };
    const same = await run('npx', ['tsx', 'db/migrate-cli.ts'], { env: { ...env, RUNTIME_DB_ROLE: owner } }).catch((e: { stderr: string }) => e);
    expect((same as { stderr: string }).stderr).toContain('就是执行迁移的角色');
    const missing = await run('npx', ['tsx', 'db/migrate-cli.ts'], { env: { ...env, RUNTIME_DB_ROLE: `nobody_${suffix}` } }).catch((e: { stderr: string }) => e);
    expect((missing as { stderr: string }).stderr).toContain('不存在');
  }, 60_000);
});
