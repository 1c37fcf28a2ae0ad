/**
 * A lock file holding its owner's pid, for local processes that must not run
 * twice on one folder (the embedded database, the H5 build). A lock whose
 * owner is gone (killed midway, machine restarted) is taken over at once; a
 * live owner is named, so whoever waits can say who holds it.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

export type LockAttempt = { acquired: true; release(): void } | { acquired: false; owner: number | null; ageMs: number };

/** A lock file just created but not yet written is not stale. */
const BEING_WRITTEN_MS = 5_000;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): { pid: number | null; ageMs: number } | null {
  try {
    const ageMs = Date.now() - statSync(file).mtimeMs;
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return { pid: Number.isInteger(pid) && pid > 0 ? pid : null, ageMs };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    // EISDIR: the directory lock of earlier versions, which recorded no owner.
    return { pid: null, ageMs: Number.POSITIVE_INFINITY };
  }
}

/** One attempt: takes the lock, or names the live owner (null: being created by someone right now). */
export function tryAcquirePidLock(file: string): LockAttempt {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      // Released only while still ours (a waiter may have broken a lock held far too long).
      return { acquired: true, release: () => readOwner(file)?.pid === process.pid && rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    if (!owner) continue; // released meanwhile
    if (owner.pid !== null && owner.pid !== process.pid && isAlive(owner.pid)) return { acquired: false, owner: owner.pid, ageMs: owner.ageMs };
    if (owner.pid === null && owner.ageMs < BEING_WRITTEN_MS) return { acquired: false, owner: null, ageMs: owner.ageMs };
    // Left behind by a process that died: take it over, unless someone else just did.
    if (readOwner(file)?.pid === owner.pid) rmSync(file, { recursive: true, force: true });
  }
  const owner = readOwner(file);
  return { acquired: false, owner: owner?.pid ?? null, ageMs: owner?.ageMs ?? 0 };
}

/** Removes a lock whose owner is alive but has held it far too long (a hung process, or a reused pid). */
export function breakPidLock(file: string): void {
  rmSync(file, { recursive: true, force: true });
}
