import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.js';

const run = promisify(execFile);

describe('embedded PGlite data folder', () => {
  let dir: string;
  let first: Database;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pglite-lock-'));
    first = await openDatabase({ dataDir: path.join(dir, 'db') });
  });
  afterAll(async () => {
    await first?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a second process opening the same folder is refused with a clear message', async () => {
    const script = path.join(dir, 'second-process.mts');
    await writeFile(
      script,
      `import { openDatabase } from ${JSON.stringify(path.resolve('db/client.ts'))};
      try { const d = await openDatabase({ dataDir: ${JSON.stringify(path.join(dir, 'db'))} }); await d.close(); console.log('OPENED'); }
      catch (e) { console.log(e.name + ': ' + e.message); }`,
    );
    const { stdout } = await run('npx', ['tsx', script], { cwd: process.cwd(), timeout: 60_000 });
    expect(stdout).toContain('DatabaseLockedError');
    expect(stdout).toContain('已被另一个进程');
    expect(stdout).toContain(String(process.pid));
    expect(stdout).not.toContain('OPENED');
  }, 60_000);

  it('the folder can be reopened once the first process closed it', async () => {
    await first.close();
    const again = await openDatabase({ dataDir: path.join(dir, 'db') });
    await again.ping();
    first = again;
  }, 30_000);
});
