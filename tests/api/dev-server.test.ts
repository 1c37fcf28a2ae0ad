/**
 * `npm run dev` for a newcomer: the API answers at once while the H5 app
 * builds (pages say "正在构建小程序…" and refresh themselves), a build lock left
 * by a killed build is taken over at once, a live one is named, and SIGTERM or
 * Ctrl+C stops the server once, cleanly, with exit code 0.
 *
 * The real `npm run dev` runs on its own embedded database, port and H5 output
 * folder; only the build command is a stub (H5_BUILD_COMMAND) that waits for
 * the test's go-ahead, so "the API answers before the build is done" is
 * observable. The lock logic is the real one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

interface Dev {
  child: ChildProcess;
  dir: string;
  url: string;
  lockFile: string;
  out: () => string;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Dev[] = [];
/** A fresh embedded database is migrated and seeded before /api/health answers: seconds alone, longer beside other suites on 2 cores. */
const HEALTH_WITHIN_MS = 90_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

async function startDev(lockOwner?: number): Promise<Dev> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dangjian-dev-'));
  const h5 = path.join(dir, 'dist', 'h5');
  const lockFile = path.join(dir, 'dist', '.h5-build.lock');
  mkdirSync(path.dirname(h5), { recursive: true });
  if (lockOwner !== undefined) writeFileSync(lockFile, String(lockOwner));
  const stub = path.join(dir, 'stub-build.mjs');
  writeFileSync(
    stub,
    `import fs from 'node:fs';
    fs.writeFileSync(${JSON.stringify(path.join(dir, 'build-started'))}, fs.readFileSync(${JSON.stringify(lockFile)}, 'utf8'));
    while (!fs.existsSync(${JSON.stringify(path.join(dir, 'go'))})) await new Promise((r) => setTimeout(r, 50));
    fs.mkdirSync(${JSON.stringify(h5)}, { recursive: true });
    fs.writeFileSync(${JSON.stringify(path.join(h5, 'index.html'))}, '<!doctype html><title>built</title>');`,
  );
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PGLITE_DATA_DIR: path.join(dir, 'db'), H5_DIST_DIR: h5 };
  env.H5_BUILD_COMMAND = `"${process.execPath}" "${stub}"`;
  for (const key of ['DATABASE_URL', 'APP_ENV', 'NODE_ENV', 'VITEST', 'NODE_OPTIONS']) delete env[key];
  // Its own process group, so the test can send Ctrl+C to all of it as a terminal does.
  const child = spawn('npm', ['run', 'dev'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const dev = { child, dir, url: `http://127.0.0.1:${port}`, lockFile, out: () => out, err: () => err, exit };
  running.push(dev);
  return dev;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, dev: Dev): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve(probe()).catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; stdout:\n${dev.out()}\nstderr:\n${dev.err()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function get(url: string): Promise<{ status: number; text: string } | undefined> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

afterEach(async () => {
  for (const dev of running.splice(0)) {
    try {
      process.kill(-dev.child.pid!, 'SIGKILL');
    } catch {
      // already stopped
    }
    rmSync(dev.dir, { recursive: true, force: true });
  }
});

describe('npm run dev', () => {
  it('takes over a stale build lock at once, answers the API while the H5 app builds, and stops on SIGTERM with exit 0', async () => {
    const dead = await deadPid();
    const dev = await startDev(dead);
    const started = Date.now();
    const health = await waitFor('/api/health', async () => ((await get(`${dev.url}/api/health`))?.status === 200 ? true : undefined), HEALTH_WITHIN_MS, dev);
    expect(health).toBe(true);
    console.log(`[dev] /api/health answered ${Date.now() - started} ms after npm run dev (PGlite created, migrated, seeded)`);

    // The build is running (the stub waits), under a lock now owned by the dev server, not the dead pid.
    const owner = await waitFor('the H5 build to start', () => (existsSync(path.join(dev.dir, 'build-started')) ? readFileSync(path.join(dev.dir, 'build-started'), 'utf8') : undefined), 10_000, dev);
    expect(Number(owner)).not.toBe(dead);
    expect(Number(owner)).toBeGreaterThan(0);
    const page = await get(`${dev.url}/`);
    expect(page!.status).toBe(503);
    expect(page!.text).toContain('正在构建小程序…');
    expect(page!.text).toContain('http-equiv="refresh"');
    expect(dev.out()).not.toContain('等待另一个 H5 构建');

    writeFileSync(path.join(dev.dir, 'go'), '');
    const built = await waitFor('the built page', async () => {
      const res = await get(`${dev.url}/`);
      return res?.status === 200 ? res.text : undefined;
    }, 10_000, dev);
    expect(built).toContain('<title>built</title>');
    expect(existsSync(dev.lockFile)).toBe(false);

    process.kill(dev.child.pid!, 'SIGTERM');
    const exit = await dev.exit;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(dev.err()).toBe('');
    expect(dev.out()).not.toMatch(/PGlite is closed|Error/);
  }, 180_000);

  it('names a live lock owner while waiting, builds once it is released, and stops on Ctrl+C to the process group with exit 0', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      const dev = await startDev(holder.pid);
      await waitFor('/api/health', async () => ((await get(`${dev.url}/api/health`))?.status === 200 ? true : undefined), HEALTH_WITHIN_MS, dev);
      await waitFor('the waiting message', () => (dev.out().includes(`pid ${holder.pid}`) ? true : undefined), 10_000, dev);
      expect(dev.out()).toContain('等待另一个 H5 构建完成');
      expect(existsSync(path.join(dev.dir, 'build-started'))).toBe(false);
      expect((await get(`${dev.url}/`))!.text).toContain('正在构建小程序…');

      holder.kill('SIGKILL');
      await waitFor('the H5 build to start after the holder died', () => (existsSync(path.join(dev.dir, 'build-started')) ? true : undefined), 10_000, dev);

      // Ctrl+C: the terminal sends SIGINT to every process of the group (npm, tsx, the server, the build).
      process.kill(-dev.child.pid!, 'SIGINT');
      const exit = await dev.exit;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(dev.err()).toBe('');
      expect(dev.out()).not.toMatch(/PGlite is closed|Error/);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 180_000);
});
