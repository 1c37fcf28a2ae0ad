/**
 * The first screen of the H5 app as a village phone gets it: a fresh browser
 * context (empty cache) opens the app, and every response until the screen is
 * drawn and the network is quiet is counted as transferred (headers and
 * compressed body, Chromium's own count). Used by the browser test (bytes and
 * headers, never times) and by `npm run bench` (also first content time on an
 * emulated slow link).
 */
import type { Browser, CDPSession } from 'playwright-core';

/** Issue 23's budget: a 1.6 Mbit/s link with 150 ms latency, ≤ 200 KB transferred, first content ≤ 2.5 s. */
export const FIRST_SCREEN_BUDGET = { bytes: 200 * 1024, firstContentMs: 2500 } as const;
export const SLOW_LINK = { latencyMs: 150, downloadBitsPerSecond: 1_600_000, uploadBitsPerSecond: 1_600_000 } as const;

export interface FirstScreenResponse {
  url: string;
  status: number;
  /** Bytes on the wire: headers and the (compressed) body. */
  transferred: number;
  headers: Record<string, string>;
  fromCache: boolean;
}

export interface FirstScreen {
  transferred: number;
  /** first-contentful-paint from the Paint Timing API, ms since navigation. */
  firstContentMs: number | null;
  responses: FirstScreenResponse[];
}

export interface FirstScreenOptions {
  baseUrl: string;
  /** What shows the screen is drawn, e.g. `[data-testid="demo-login"]`. */
  readySelector: string;
  /** The hash route to open (default: the app's root, which sends a signed-out visitor to the login screen). */
  route?: string;
  /** Emulate SLOW_LINK through CDP (Network.emulateNetworkConditions). */
  throttle?: boolean;
  /** Put into localStorage before the app starts (a stored session, for a signed-in first screen). */
  storage?: Record<string, string>;
}

export async function measureFirstScreen(browser: Browser, options: FirstScreenOptions): Promise<FirstScreen> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  try {
    if (options.storage) {
      await context.addInitScript((entries: Record<string, string>) => {
        for (const [key, value] of Object.entries(entries)) window.localStorage.setItem(key, value);
      }, options.storage);
    }
    const page = await context.newPage();
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    if (options.throttle) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: SLOW_LINK.latencyMs,
        downloadThroughput: SLOW_LINK.downloadBitsPerSecond / 8,
        uploadThroughput: SLOW_LINK.uploadBitsPerSecond / 8,
      });
    }
    const seen = new Map<string, FirstScreenResponse>();
    cdp.on('Network.responseReceived', (e) => {
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      seen.set(e.requestId, { url: e.response.url, status: e.response.status, transferred: 0, headers, fromCache: !!e.response.fromDiskCache });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = seen.get(e.requestId);
      if (r) r.transferred = e.encodedDataLength;
    });
    await page.goto(`${options.baseUrl}/${options.route ? `#${options.route}` : ''}`, { waitUntil: 'load' });
    await page.locator(options.readySelector).first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    const firstContentMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    const responses = [...seen.values()].filter((r) => !r.url.startsWith('data:'));
    return { transferred: responses.reduce((n, r) => n + r.transferred, 0), firstContentMs, responses };
  } finally {
    await context.close();
  }
}
