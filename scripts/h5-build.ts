/**
 * The built H5 app (miniapp/dist/h5), which `npm run dev` serves and the
 * browser tests drive: built when it is missing or older than its sources.
 */
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const H5_DIR = path.join(ROOT, 'miniapp/dist/h5')
const H5_INDEX = path.join(H5_DIR, 'index.html')

/** Everything the H5 bundle is compiled from. */
export const H5_SOURCES = ['miniapp/src', 'miniapp/config', 'miniapp/babel.config.js', 'miniapp/package.json', 'shared'].map((p) =>
  path.join(ROOT, p),
)

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0
  const stat = statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)))
  return newest
}

export function h5BuildIsFresh(): boolean {
  if (!existsSync(H5_INDEX)) return false
  const built = statSync(H5_INDEX).mtimeMs
  return H5_SOURCES.every((source) => newestMtime(source) <= built)
}

let built = false

const LOCK_DIR = path.join(ROOT, 'miniapp/dist/.h5-build.lock')
const STALE_LOCK_MS = 10 * 60_000

/** Waits synchronously (globalSetup and beforeAll run before any test needs the event loop). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Two test processes building into the same folder at once corrupt it: the
 * lock (an atomic mkdir) makes the second wait and then reuse the first's build.
 */
function withBuildLock(run: () => void): void {
  mkdirSync(path.dirname(LOCK_DIR), { recursive: true })
  for (;;) {
    try {
      mkdirSync(LOCK_DIR)
      break
    } catch {
      const age = existsSync(LOCK_DIR) ? Date.now() - statSync(LOCK_DIR).mtimeMs : 0
      if (age > STALE_LOCK_MS) rmSync(LOCK_DIR, { recursive: true, force: true })
      else pause(1000)
    }
  }
  try {
    run()
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true })
  }
}

/** Runs `npm run build:h5` (20 s–3 min depending on load) unless dist/h5 is up to date. */
export function ensureH5Build(): void {
  if (built || h5BuildIsFresh()) {
    built = true
    return
  }
  withBuildLock(buildH5)
  built = true
}

/**
 * A private copy of the current H5 build, for `startAppServer({ staticDir })`:
 * a rebuild started by another test run then cannot pull files from under a
 * running test. Removed when the process exits.
 */
export function snapshotH5Build(): string {
  ensureH5Build()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dangjian-h5-'))
  withBuildLock(() => cpSync(H5_DIR, dir, { recursive: true }))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * Rebuilds without blocking the event loop (the dev server keeps answering
 * API requests meanwhile). Resolves false, with Taro's last output logged, on
 * a compile error.
 */
export function rebuildH5(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', 'build:h5'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'pipe' })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)))
    child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)))
    child.once('exit', (code) => {
      if (code !== 0) console.error(output)
      resolve(code === 0)
    })
  })
}

function buildH5(): void {
  // Another process may have finished the build while this one waited for the lock.
  if (h5BuildIsFresh()) return
  console.log('正在构建 H5 小程序（npm run build:h5，约 20 秒到数分钟）…')
  try {
    // Taro's progress bar is noise; its output is shown only on failure.
    // NODE_ENV=production: under Vitest (NODE_ENV=test) or a development shell
    // Taro would compile React Refresh hooks into the bundle, which then throws.
    execFileSync('npm', ['run', 'build:h5'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'pipe',
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer }
    throw new Error(`npm run build:h5 failed:\n${String(stderr ?? '').slice(-4000)}\n${String(stdout ?? '').slice(-4000)}`)
  }
  if (!existsSync(H5_INDEX)) throw new Error('npm run build:h5 finished without miniapp/dist/h5/index.html')
}
