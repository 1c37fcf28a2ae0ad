/**
 * The first screen on a village phone (issue 23): with an empty cache, what
 * the browser downloads before the login screen (signed out) or 首页 (a stored
 * session) is drawn stays within 200 KB on the wire, and every hashed build
 * file comes compressed and cacheable for a year. Bytes only: the time on a
 * 1.6 Mbit/s link is measured by `npm run bench` (a loaded CI machine would
 * make a time assertion flaky).
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { HASHED_ASSET, IMMUTABLE, REVALIDATE } from '../../server/static-headers'
import { startAppServer, type AppServer } from '../helpers/app-server'
import { FIRST_SCREEN_BUDGET, measureFirstScreen, type FirstScreen } from '../helpers/first-screen'
import { describeBrowser, launchBrowser, loginAs, newMobilePage, snapshotH5Build, type TestBrowser } from './helpers'

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const describeFiles = (s: FirstScreen) => s.responses.map((r) => `${new URL(r.url).pathname} ${kb(r.transferred)} ${r.headers['content-encoding'] ?? '-'}`).join('\n')

function expectDeliveredWell(screen: FirstScreen): void {
  const files = screen.responses.filter((r) => !new URL(r.url).pathname.startsWith('/api/'))
  const hashed = files.filter((r) => HASHED_ASSET.test(new URL(r.url).pathname))
  // The entry script, its stylesheet and at least one page chunk.
  expect(hashed.filter((r) => r.url.endsWith('.js')).length, describeFiles(screen)).toBeGreaterThanOrEqual(2)
  for (const r of hashed) {
    const name = new URL(r.url).pathname
    expect(r.status, name).toBe(200)
    if (/\.(js|css|svg)$/.test(name)) expect(r.headers['content-encoding'], name).toMatch(/^(br|gzip)$/)
    expect(r.headers['cache-control'], name).toBe(IMMUTABLE)
  }
  const index = files.find((r) => new URL(r.url).pathname === '/')
  expect(index?.headers['cache-control']).toBe(REVALIDATE)
  expect(index?.headers['content-encoding']).toMatch(/^(br|gzip)$/)
  // Nothing on the first screen is fetched twice (one shared chunk, not a copy per page).
  const paths = files.map((r) => new URL(r.url).pathname)
  expect(paths.length).toBe(new Set(paths).size)
}

describeBrowser('first screen on a weak connection (H5)', () => {
  let server: AppServer
  let browser: TestBrowser

  beforeAll(async () => {
    server = await startAppServer({ staticDir: snapshotH5Build() })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  test('signed out: the login screen within 200 KB, hashed files compressed and immutable', async () => {
    const screen = await measureFirstScreen(browser.browser, { baseUrl: server.url, readySelector: '[data-testid="demo-login"] [data-account-id]' })
    console.log(`first screen (login): ${kb(screen.transferred)} in ${screen.responses.length} responses\n${describeFiles(screen)}`)
    expectDeliveredWell(screen)
    expect(screen.transferred, describeFiles(screen)).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET.bytes)
  })

  test('signed in: 首页 from a stored session within 200 KB, its API answers compressed when large', async () => {
    // Sign in once in another context and take its stored session, as a returning member's phone has it.
    const signIn = await newMobilePage(browser)
    await loginAs(signIn.page, server.url, 'member')
    const storage = await signIn.page.evaluate(() => Object.fromEntries(Object.entries(window.localStorage)))
    await signIn.close()
    expect(Object.keys(storage).length).toBeGreaterThan(0)

    const screen = await measureFirstScreen(browser.browser, { baseUrl: server.url, route: '/pages/home/index', readySelector: '[data-testid="greeting"]', storage })
    console.log(`first screen (首页): ${kb(screen.transferred)} in ${screen.responses.length} responses\n${describeFiles(screen)}`)
    expectDeliveredWell(screen)
    const api = screen.responses.filter((r) => new URL(r.url).pathname.startsWith('/api/'))
    expect(api.length).toBeGreaterThan(0)
    for (const r of api) expect(r.headers.vary ?? '', r.url).toContain('Accept-Encoding')
    expect(screen.transferred, describeFiles(screen)).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET.bytes)
  })
})
