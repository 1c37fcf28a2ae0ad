import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import SpreadBrowserFiles from './tests/sequencer';

export default defineConfig({
  test: {
    // Vitest's default is one worker less than the CPUs: one on a 2-core CI machine, which left a core idle while a
    // suite waited on PostgreSQL or Chromium. Two keeps both busy.
    maxWorkers: 2,
    // Browser files spread through the run rather than all at its end (tests/sequencer.ts).
    sequence: { sequencer: SpreadBrowserFiles },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts'],
          // Files run beside the API files, not after them: each has its own server, database copy and Chromium.
          // The first one builds the H5 app (tests/browser/setup.ts) while the other worker runs API files.
          setupFiles: ['tests/browser/setup.ts'],
          // expect.poll's 1 s default is shorter than a page's render on a loaded 2-core machine; the answer polled
          // for is the same, only the wait for it is longer.
          expect: { poll: { timeout: 10_000 } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      ...(existsSync('tests/miniapp/vitest.config.ts') ? ['tests/miniapp/vitest.config.ts'] : []),
      // A real PostgreSQL restart interrupts every test database on the server: defined only on request,
      // and run by scripts/test.ts on its own after everything else (FAULTS_RESTART=1 --project faults-restart).
      ...(process.env.FAULTS_RESTART === '1'
        ? [
            {
              test: {
                name: 'faults-restart',
                include: ['tests/faults-restart/**/*.test.ts'],
                environment: 'node',
                globalSetup: ['tests/faults-restart/global-setup.ts'],
                testTimeout: 120_000,
                hookTimeout: 120_000,
              },
            },
          ]
        : []),
    ],
  },
});
