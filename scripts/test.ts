/**
 * `npm test`: typecheck, lint, then every vitest project (unit, API on both
 * drivers, mini-program components, browser). In CI nothing may be skipped but the race tests
 * PGlite cannot run (`it.runIf(driver === 'neon')`, reported as skipped in the PGlite half).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(label: string, command: string, args: string[], env: Record<string, string> = {}): void {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`✗ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

run('typecheck (api, db, shared, tests)', 'npx', ['tsc', '-p', 'tsconfig.json']);
run('typecheck (browser tests)', 'npx', ['tsc', '-p', 'tests/browser/tsconfig.json']);
if (existsSync('miniapp/tsconfig.json')) run('typecheck (miniapp)', 'npx', ['tsc', '-p', 'miniapp/tsconfig.json', '--noEmit']);
run('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
run('tests', 'npx', ['vitest', 'run', ...(process.env.CI ? ['--allowOnly=false'] : []), ...process.argv.slice(2)]);
// A real PostgreSQL restart under load (tests/faults-restart): alone, after every other suite, since it
// interrupts all test databases on the server. Skipped when `npm test -- <filter>` narrows the run.
if (process.argv.length <= 2) {
  run('database restart under load', 'npx', ['vitest', 'run', '--project', 'faults-restart'], { FAULTS_RESTART: '1' });
}
