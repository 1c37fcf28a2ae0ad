/**
 * The client budgets of issue 23, measured: the H5 first screen (bytes on the
 * wire and first content time on an emulated 1.6 Mbit/s + 150 ms link, signed
 * out and signed in) and the weapp package sizes against their budgets.
 * Builds dist/h5 and dist/weapp when missing; serves the H5 build with the
 * real Node server on an in-memory demo township.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../api/_app/config.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { seedDemoIfEmpty } from '../db/seed/index.js';
import { startServer } from '../server/node-server.js';
import { TEST_NOW } from '../tests/helpers/constants.js';
import { FIRST_SCREEN_BUDGET, measureFirstScreen, SLOW_LINK } from '../tests/helpers/first-screen.js';
import { builtFromCurrentSources } from '../scripts/h5-build.js';
import { inProcessApp } from './in-process.js';
import { ROOT, median, round } from './lib.js';

export interface BudgetRow {
  budget: string;
  limit: string;
  measured: string;
  met: boolean;
}

export interface ClientResult {
  rows: BudgetRow[];
  firstScreens: { screen: string; transferredBytes: number; firstContentMs: number[]; responses: number }[];
  weapp: { main: number; total: number; subpackages: Record<string, number> };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const kb = (b: number) => `${round(b / 1024, 1)} KB`;

export async function runClientBudgets(log: (line: string) => void, runs = 3): Promise<ClientResult> {
  const weappDir = path.join(ROOT, 'miniapp/dist/weapp');
  const h5Dir = path.join(ROOT, 'miniapp/dist/h5');
  const env = { ...process.env, NODE_ENV: 'production' };
  if (!builtFromCurrentSources(path.join(weappDir, 'app.json'))) {
    log('building the weapp (npm run build:weapp) …');
    execFileSync('npm', ['run', 'build:weapp'], { cwd: ROOT, stdio: 'inherit', env });
  }
  if (!builtFromCurrentSources(path.join(h5Dir, 'index.html'))) {
    log('building H5 (npm run build:h5) …');
    execFileSync('npm', ['run', 'build:h5'], { cwd: ROOT, stdio: 'inherit', env });
  }
  const sizeReport = (await import(path.join(ROOT, 'miniapp/scripts/size-report.mjs'))) as {
    measure(dir?: string): ClientResult['weapp'];
    MAIN_PACKAGE_BUDGET: number;
    subpackageBudget(root: string): number;
  };
  const weapp = sizeReport.measure(weappDir);

  const config = loadConfig({ APP_ENV: 'development' });
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrateDatabase(database);
  await seedDemoIfEmpty(database.db, { encryptionKey: config.idEncryptionKey, hashKey: config.idHashKey }, new Date(TEST_NOW));
  const { app } = inProcessApp(database, TEST_NOW, config);
  const server = await startServer({ app, staticDir: h5Dir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const firstScreens: ClientResult['firstScreens'] = [];
  try {
    const login = await fetch(`${server.url}/api/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'member' }) });
    const session = (await login.json()) as { token: string; refreshToken: string };
    // Taro's H5 storage keeps each value as {"data": …} (src/session/token.ts reads it back).
    const storage = { 'dangjian.session-token': JSON.stringify({ data: session.token }), 'dangjian.refresh-token': JSON.stringify({ data: session.refreshToken }) };
    const screens = [
      { screen: 'login (signed out)', options: { readySelector: '[data-testid="demo-login"] [data-account-id]' } },
      { screen: '首页 (stored session)', options: { route: '/pages/home/index', readySelector: '[data-testid="greeting"]', storage } },
    ];
    for (const s of screens) {
      const first = await measureFirstScreen(browser, { baseUrl: server.url, ...s.options });
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const slow = await measureFirstScreen(browser, { baseUrl: server.url, ...s.options, throttle: true });
        if (slow.firstContentMs !== null) times.push(round(slow.firstContentMs));
      }
      firstScreens.push({ screen: s.screen, transferredBytes: first.transferred, firstContentMs: times, responses: first.responses.length });
      log(`first screen ${s.screen}: ${kb(first.transferred)} in ${first.responses.length} responses; first content on the slow link ${times.join(', ')} ms`);
    }
  } finally {
    await browser.close();
    await server.close();
    await database.close();
  }

  const link = `${SLOW_LINK.downloadBitsPerSecond / 1e6} Mbit/s + ${SLOW_LINK.latencyMs} ms`;
  const rows: BudgetRow[] = [];
  for (const s of firstScreens) {
    rows.push({ budget: `H5 first screen, ${s.screen}: transferred`, limit: `≤ ${kb(FIRST_SCREEN_BUDGET.bytes)}`, measured: kb(s.transferredBytes), met: s.transferredBytes <= FIRST_SCREEN_BUDGET.bytes });
    const fcp = s.firstContentMs.length ? median(s.firstContentMs) : NaN;
    rows.push({
      budget: `H5 first screen, ${s.screen}: first content at ${link}`,
      limit: `≤ ${FIRST_SCREEN_BUDGET.firstContentMs / 1000} s`,
      measured: Number.isNaN(fcp) ? 'not painted' : `${round(fcp / 1000, 2)} s (median of ${s.firstContentMs.length})`,
      met: fcp <= FIRST_SCREEN_BUDGET.firstContentMs,
    });
  }
  rows.push({ budget: 'weapp main package', limit: `≤ ${kb(sizeReport.MAIN_PACKAGE_BUDGET)}`, measured: kb(weapp.main), met: weapp.main <= sizeReport.MAIN_PACKAGE_BUDGET });
  for (const [root, size] of Object.entries(weapp.subpackages)) {
    const budget = sizeReport.subpackageBudget(root);
    rows.push({ budget: `weapp subpackage ${root}`, limit: `≤ ${kb(budget)}`, measured: kb(size), met: size <= budget });
  }
  return { rows, firstScreens, weapp };
}

export function clientBudgetTable(result: ClientResult): string[] {
  const lines = ['## Client budgets (issue 23)', '', '| budget | limit | measured | met |', '| --- | --- | --- | --- |'];
  for (const r of result.rows) lines.push(`| ${r.budget} | ${r.limit} | ${r.measured} | ${r.met ? 'yes' : '**no**'} |`);
  lines.push('', `First screen: a fresh Chromium context (empty cache) served by the Node server (npm start) from dist/h5; transferred = Chromium's encodedDataLength (headers and compressed bodies) of every response until the screen is drawn and the network is idle; first content = first-contentful-paint with CDP Network.emulateNetworkConditions. weapp: dist/weapp as WeChat counts it (miniapp/scripts/size-report.mjs). weapp total ${kb(result.weapp.total)}.`, '');
  return lines;
}
