/**
 * Cold start of the API entry (api/index.ts `{ fetch }`) per driver: a fresh process to its first
 * answered request, run with tsx and as an esbuild bundle under plain node; the bundle's size and
 * whether exceljs stays lazy.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { startNeonProxy } from '../tests/helpers/neon-proxy.js';
import { median, ROOT, round } from './lib.js';

export interface ColdResult {
  coldStart: { driver: string; runner: string; firstAnswerMs: number; runs: number[] }[];
  bundle: { bytes: number; gzipBytes: number; entryInputs: number; excelLazy: boolean; excelInEntry: boolean; heavyInEntry: string[] };
}

/** Spawns a fresh process and times it to its first answered request (wall clock, spawn to answer). */
function timeFirstAnswer(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (/ANSWERED \d+/.test(out)) {
        const ms = performance.now() - t0;
        child.kill('SIGKILL');
        resolve(ms);
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => {
      if (!/ANSWERED/.test(out)) reject(new Error(`cold start child exited ${code}: ${err.slice(-500)}`));
    });
  });
}

export async function runColdStarts(url: string, runsPerPoint: number, say: (line: string) => void, cleanups: (() => Promise<void>)[]): Promise<ColdResult> {
  const coldStart: ColdResult['coldStart'] = [];
  const { build } = await import('esbuild');
  const outdir = path.join(ROOT, 'bench-results', '.bundle');
  rmSync(outdir, { recursive: true, force: true });
  // The entry as one ESM file, drivers' native and WASM parts left to node_modules; lazy imports split off.
  const built = await build({
    entryPoints: { index: path.join(ROOT, 'api/index.ts'), probe: path.join(ROOT, 'bench/cold-probe.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    outdir,
    metafile: true,
    logLevel: 'silent',
    external: ['@electric-sql/pglite', 'pg-native', 'bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const outputs = built.metafile.outputs;
  const entryKey = Object.keys(outputs).find((k) => outputs[k]!.entryPoint?.endsWith('api/index.ts'))!;
  // Everything the entry loads eagerly: the entry file and the chunks it imports statically.
  const eager = new Set<string>();
  const walk = (k: string) => {
    if (eager.has(k)) return;
    eager.add(k);
    for (const imp of outputs[k]!.imports) if (imp.kind === 'import-statement' && outputs[imp.path]) walk(imp.path);
  };
  walk(entryKey);
  const eagerInputs = new Set([...eager].flatMap((k) => Object.keys(outputs[k]!.inputs)));
  const bytes = [...eager].reduce((n, k) => n + outputs[k]!.bytes, 0);
  const { gzipSync } = await import('node:zlib');
  const gzipBytes = [...eager].reduce((n, k) => n + gzipSync(readFileSync(path.join(ROOT, k))).length, 0);
  const allInputs = new Set(Object.values(outputs).flatMap((o) => Object.keys(o.inputs)));
  const pkgOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  const packageBytes = new Map<string, number>();
  for (const k of eager) for (const [input, info] of Object.entries(outputs[k]!.inputs)) {
    const pkg = pkgOf(input);
    if (pkg) packageBytes.set(pkg, (packageBytes.get(pkg) ?? 0) + info.bytesInOutput);
  }
  const heavyInEntry = [...packageBytes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([p, b]) => `${p} ${round(b / 1024)} KB`);
  const excelInEntry = [...eagerInputs].some((i) => i.includes('node_modules/exceljs'));
  const bundle = {
    bytes,
    gzipBytes,
    entryInputs: eagerInputs.size,
    excelLazy: !excelInEntry && [...allInputs].some((i) => i.includes('node_modules/exceljs')),
    excelInEntry,
    heavyInEntry,
  };
  say(`bundle: ${round(bytes / 1024)} KB minified (${round(gzipBytes / 1024)} KB gzip) loaded at start; exceljs ${excelInEntry ? 'IN the entry (eager!)' : 'in a lazy chunk only'}; largest: ${heavyInEntry.join(', ')}`);

  // The PGlite cold start reopens a migrated folder, as a deployed instance with a data folder would.
  const pgliteDir = mkdtempSync(path.join(os.tmpdir(), 'bench-pglite-'));
  cleanups.push(async () => rmSync(pgliteDir, { recursive: true, force: true }));
  {
    const db = await openDatabase({ driver: 'pglite', dataDir: pgliteDir });
    await migrateDatabase(db);
    await db.close();
  }
  const proxy = await startNeonProxy();
  cleanups.push(() => proxy.close());
  const driverEnv: Record<string, Record<string, string>> = {
    'node-postgres': { DATABASE_URL: url, DB_DRIVER: 'node-postgres' },
    neon: { DATABASE_URL: url, DB_DRIVER: 'neon', NEON_WS_PROXY: proxy.address },
    pglite: { PGLITE_DATA_DIR: pgliteDir, DB_DRIVER: 'pglite' },
  };
  const runners: [string, string[]][] = [
    ['tsx', ['--import', 'tsx', path.join(ROOT, 'bench/cold-probe.ts')]],
    ['node (bundle)', [path.join(ROOT, entryKey.replace(/index\.js$/, 'probe.js'))]],
  ];
  for (const [driver, env] of Object.entries(driverEnv)) {
    for (const [runner, args] of runners) {
      const runs: number[] = [];
      for (let i = 0; i < runsPerPoint; i++) runs.push(round(await timeFirstAnswer(args, { APP_ENV: 'development', ...env })));
      coldStart.push({ driver, runner, firstAnswerMs: round(median(runs)), runs });
      say(`cold start ${driver.padEnd(13)} ${runner.padEnd(14)} ${round(median(runs))} ms (runs ${runs.join(', ')})`);
    }
  }
  return { coldStart, bundle };
}
