/**
 * The built H5 app (miniapp/dist/h5), which `npm run dev` serves and the
 * browser tests drive: built when it is missing or older than its sources.
 *
 * One build at a time per output folder: a lock file beside it records the
 * building process's pid. A lock whose process is gone (a build killed midway)
 * is taken over at once; a live one is named while waiting.
 *
 * Tests of the dev server point the build elsewhere: H5_DIST_DIR (the output
 * folder; its lock sits beside it) and H5_BUILD_COMMAND (a shell command run
 * instead of `npm run build:h5`). The lock logic is the same.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { breakPidLock, tryAcquirePidLock } from '../server/pid-lock.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const H5_DIR = process.env.H5_DIST_DIR ? path.resolve(process.env.H5_DIST_DIR) : path.join(ROOT, 'miniapp/dist/h5')
const H5_INDEX = path.join(H5_DIR, 'index.html')
const LOCK_FILE = path.join(path.dirname(H5_DIR), '.h5-build.lock')
/** Longer than any build (the build times out at 5 minutes): a lock this old is broken even if its pid looks alive. */
const STALE_LOCK_MS = 10 * 60_000

/** Everything the H5 bundle (and the weapp's) is compiled from. */
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

/** A build whose `marker` file (index.html, app.json) is newer than every source it is compiled from. */
export function builtFromCurrentSources(marker: string): boolean {
  if (!existsSync(marker)) return false
  const built = statSync(marker).mtimeMs
  return H5_SOURCES.every((source) => newestMtime(source) <= built)
}

export function h5BuildIsFresh(): boolean {
  return builtFromCurrentSources(H5_INDEX)
}

/** The build as a shell command. NODE_ENV=production: under Vitest or a development shell Taro would compile hot-reload hooks (Preact's Prefresh) into the bundle. */
function buildCommand(): { command: string; env: NodeJS.ProcessEnv } {
  return { command: process.env.H5_BUILD_COMMAND ?? 'npm run build:h5', env: { ...process.env, NODE_ENV: 'production' } }
}

/** One attempt at the lock; `waiting` names the holder (once per holder). */
function attemptLock(log: (text: string) => void, told: { owner?: number | null }): (() => void) | null {
  mkdirSync(path.dirname(LOCK_FILE), { recursive: true })
  const attempt = tryAcquirePidLock(LOCK_FILE)
  if (attempt.acquired) return attempt.release
  if (attempt.ageMs > STALE_LOCK_MS) {
    log(`H5 构建锁 ${LOCK_FILE} 已被占用超过 10 分钟（pid ${attempt.owner ?? '未知'}），视为失效并接管`)
    breakPidLock(LOCK_FILE)
  } else if (told.owner !== attempt.owner) {
    told.owner = attempt.owner
    log(`等待另一个 H5 构建完成（pid ${attempt.owner ?? '未知'}，锁文件 ${LOCK_FILE}）…`)
  }
  return null
}

/** Waits synchronously (globalSetup and beforeAll run before any test needs the event loop). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function withBuildLock(run: () => void): void {
  const told = {}
  let release: (() => void) | null
  while (!(release = attemptLock(console.log, told))) pause(1000)
  try {
    run()
  } finally {
    release()
  }
}

let built = false

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

function buildH5(): void {
  // Another process may have finished the build while this one waited for the lock.
  if (h5BuildIsFresh()) return
  console.log('正在构建 H5 小程序（npm run build:h5，约 20 秒到数分钟）…')
  const { command, env } = buildCommand()
  try {
    // Taro's progress bar is noise; its output is shown only on failure.
    execFileSync('sh', ['-c', command], { cwd: ROOT, env, stdio: 'pipe', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer }
    throw new Error(`npm run build:h5 failed:\n${String(stderr ?? '').slice(-4000)}\n${String(stdout ?? '').slice(-4000)}`)
  }
  if (!existsSync(H5_INDEX)) throw new Error(`npm run build:h5 finished without ${H5_INDEX}`)
}

/** The dev server's build in the background: the API keeps answering meanwhile. */
export interface BackgroundBuild {
  /** Resolves true when dist/h5 is fresh (built now, or by whoever held the lock). */
  done: Promise<boolean>
  cancel(): void
}

export function buildH5InBackground(options: { force?: boolean; log?: (text: string) => void } = {}): BackgroundBuild {
  const log = options.log ?? console.log
  let cancelled = false
  let child: ChildProcess | undefined
  let timer: NodeJS.Timeout | undefined
  let wake: (() => void) | undefined
  const done = (async () => {
    if (!options.force && h5BuildIsFresh()) return true
    const told = {}
    let release: (() => void) | null
    while (!(release = attemptLock(log, told))) {
      await new Promise<void>((resolve) => {
        wake = resolve
        timer = setTimeout(resolve, 1000)
      })
      if (cancelled) return false
    }
    try {
      if (cancelled) return false
      if (!options.force && h5BuildIsFresh()) return true
      const { command, env } = buildCommand()
      return await new Promise<boolean>((resolve) => {
        // Its own process group, so cancel() stops npm and Taro's workers too, not just the shell.
        child = spawn('sh', ['-c', command], { cwd: ROOT, env, stdio: 'pipe', detached: true })
        let output = ''
        child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)))
        child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)))
        child.once('exit', (code) => {
          if (code !== 0 && !cancelled) console.error(output)
          resolve(code === 0 && existsSync(H5_INDEX))
        })
      })
    } finally {
      release()
    }
  })()
  return {
    done,
    cancel() {
      cancelled = true
      clearTimeout(timer)
      wake?.()
      if (child?.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM')
        } catch {
          // already gone
        }
      }
    },
  }
}
