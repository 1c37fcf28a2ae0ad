/**
 * Shared helpers for browser tests of the H5 build. Feature tests reuse them:
 *
 *   const browser = await launchBrowser()
 *   const server = await startAppServer()
 *   const page = await newMobilePage(browser)
 *   await loginAs(page, server.url, 'secretary')
 *   await openRoute(page, server.url, '/packages/members/roster/index')
 *   await shot(page, 'roster-secretary')
 */
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { startAppServer, type AppServer } from '../helpers/app-server'
import { ROOT } from './build'

export { H5_DIR, snapshotH5Build } from './build'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const chromiumInstalled = existsSync(CHROMIUM_PATH)

/**
 * `describe` for browser suites: skipped on a developer machine without
 * Chromium, but in CI a missing Chromium must fail the run, not hide it.
 */
export const describeBrowser = chromiumInstalled || process.env.CI ? describe : describe.skip

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox', // tests run as root in containers
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface TestBrowser {
  browser: Browser
  close(): Promise<void>
}

/**
 * Debian's Chromium. Playwright's launch() already runs it on a fresh
 * temporary profile (it refuses an explicit --user-data-dir), removed on close.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!chromiumInstalled) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium fonts-wqy-microhei`)
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS })
  return { browser, close: () => browser.close() }
}

export interface MobilePage {
  page: Page
  /** Uncaught exceptions and console errors seen so far, for asserting a clean run. */
  errors: string[]
  close(): Promise<void>
}

/** A fresh context (own storage, so its own session) the size of a common phone. */
export async function newMobilePage(browser: TestBrowser | Browser): Promise<MobilePage> {
  const b = 'browser' in browser ? browser.browser : browser
  const context = await b.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  return { page, errors, close: () => context.close() }
}

/**
 * The page on screen. Taro's H5 router keeps earlier pages (and every tab page
 * visited) in the DOM, hidden; queries should start from the visible one.
 */
export function visiblePage(page: Page): Locator {
  return page.locator('.taro_page:visible').last()
}

/** Presses a tab of the bottom tab bar (首页 · 学习 · 我的 · 管理). */
export async function clickTab(page: Page, text: '首页' | '学习' | '我的' | '管理'): Promise<void> {
  await page.locator('.weui-tabbar__item', { hasText: text }).click()
}

/** Opens a page of the app by route (hash router): `/pages/me/index`, `/packages/birthdays/index/index`. */
export async function openRoute(page: Page, baseUrl: string, route: string): Promise<void> {
  await page.goto(`${baseUrl}/#${route}`)
  await visiblePage(page).waitFor()
}

export type DemoRole = 'staff' | 'secretary' | 'member' | 'applicant' | 'county'

/**
 * Signs in through the demo login screen: the first account of the role, or
 * the one whose name contains `nameOrIndex`, or the n-th (0-based). `applicant`
 * without a name presses 新用户（未登记）. Resolves on 首页 with the account's
 * display name.
 */
export async function loginAs(page: Page, baseUrl: string, role: DemoRole, nameOrIndex?: string | number): Promise<string> {
  await openRoute(page, baseUrl, '/pages/login/index')
  const screen = page.getByTestId('demo-login')
  await screen.waitFor()
  let name: string
  if (role === 'applicant' && nameOrIndex === undefined) {
    name = '新用户'
    await screen.locator('.nut-button', { hasText: '新用户（未登记）' }).click()
  } else {
    const accounts = screen.locator(`[data-role="${role}"] [data-account-id]`)
    const account =
      typeof nameOrIndex === 'string' ? accounts.filter({ hasText: nameOrIndex }).first() : accounts.nth(nameOrIndex ?? 0)
    name = (await account.locator('.dj-login__account-name').innerText()).trim()
    await account.click()
  }
  await visiblePage(page).getByTestId('greeting').waitFor()
  return name
}

/**
 * 登记 asks for the privacy consents before the form (the guide and, separately, the ID number; neither box
 * is ticked in advance): tick both and agree, as a new user does, then wait for the form.
 */
export async function agreeBeforeRegistering(page: Page): Promise<void> {
  const view = visiblePage(page)
  await view.getByTestId('register-consent').waitFor()
  const form = view.getByTestId('consent-form')
  await form.getByTestId('consent-guide').click()
  await form.getByTestId('consent-sensitive').click()
  await form.getByTestId('consent-agree').click()
  await view.getByTestId('register-form').waitFor()
}

/** Clears the stored session (same as logging out without the UI). */
export async function clearSession(page: Page): Promise<void> {
  await page.evaluate(() => window.localStorage.clear())
}

export const SCREENSHOT_DIR = path.join(ROOT, 'artifacts/screenshots')

/** Full-page screenshot to artifacts/screenshots/<name>.png (git-ignored), for review. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  // Let transitions and web fonts settle so screenshots are stable.
  await page.waitForTimeout(150)
  // Taro pages scroll inside their own element, so `fullPage` alone would cut
  // them at the viewport: grow the viewport to the content for the shot.
  const viewport = page.viewportSize()
  const contentHeight = await visiblePage(page)
    .evaluate((el) => el.scrollHeight)
    .catch(() => 0)
  const tall = viewport !== null && contentHeight > viewport.height
  if (tall) await page.setViewportSize({ width: viewport.width, height: Math.min(contentHeight + 60, 4000) })
  await page.screenshot({ path: file, fullPage: true })
  if (tall) await page.setViewportSize(viewport)
  return file
}

/**
 * A suite's app server and browser: started once in beforeAll (after the H5 build), closed in afterAll.
 * Read `suite.server` / `suite.browser` inside the tests (they are set when the suite starts). Options given as a
 * function are read in beforeAll (e.g. `snapshotH5Build()`, which needs the build the setup file makes).
 */
export function browserSuite(
  options: Parameters<typeof startAppServer>[0] | (() => Parameters<typeof startAppServer>[0]) = {},
): { readonly server: AppServer; readonly browser: TestBrowser } {
  const suite = {} as { server: AppServer; browser: TestBrowser }
  beforeAll(async () => {
    suite.server = await startAppServer(typeof options === 'function' ? options() : options)
    suite.browser = await launchBrowser()
  })
  afterAll(async () => {
    await suite.browser?.close()
    await suite.server?.close()
  })
  return suite
}

/**
 * Waits until the app's service worker keeps the build and serves this page
 * (miniapp/config/offline-shell.ts): what a phone has after one visit online.
 */
export async function appKeptOnDevice(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 30_000 })
}

/** A suite's app server and browser as `browserSuite` gives them. */
export type BrowserSuite = ReturnType<typeof browserSuite>

/**
 * A new phone whose clock stands at the server's (so a form's default date is the test day), signed in as
 * `role` and on `route`. Closed again if getting there fails; otherwise the caller closes it.
 */
export async function phoneOnServerClock(suite: BrowserSuite, role: DemoRole, nameOrIndex: string | number | undefined, route: string): Promise<MobilePage> {
  const phone = await newMobilePage(suite.browser)
  try {
    await phone.page.clock.setFixedTime(suite.server.clock.now())
    await loginAs(phone.page, suite.server.url, role, nameOrIndex)
    await openRoute(phone.page, suite.server.url, route)
    return phone
  } catch (error) {
    await phone.close()
    throw error
  }
}

/**
 * The weak-signal suites' member phone, which has had the app once online (its pages kept for when the signal
 * goes): started in beforeAll, put back online after each test (one that fails offline must not leave the next
 * one without signal), closed in afterAll. Read `phone.server`, `phone.member`, `phone.context` inside the tests;
 * a test that closes the app and opens it again sets `phone.member` to the new page of the same context.
 */
export function offlinePhoneSuite(now: string): { readonly server: AppServer; readonly browser: TestBrowser; member: Page; readonly context: BrowserContext } {
  const suite = browserSuite({ now })
  const phone = {} as { member: Page; context: BrowserContext }
  beforeAll(async () => {
    phone.member = (await newMobilePage(suite.browser)).page
    phone.context = phone.member.context()
    await loginAs(phone.member, suite.server.url, 'member')
    await appKeptOnDevice(phone.member)
  })
  afterEach(async () => {
    await phone.context?.setOffline(false)
  })
  return {
    get server() {
      return suite.server
    },
    get browser() {
      return suite.browser
    },
    get member() {
      return phone.member
    },
    set member(page: Page) {
      phone.member = page
    },
    get context() {
      return phone.context
    },
  }
}

/** A newcomer signs in without a roster entry and opens 我有邀请码 (next to 去登记 on 首页): the form for the code. */
export async function openRedeemForm(page: Page, baseUrl: string): Promise<Locator> {
  await loginAs(page, baseUrl, 'applicant')
  const enter = visiblePage(page).getByTestId('unregistered-card').locator('.nut-button', { hasText: '我有邀请码' })
  await enter.waitFor()
  await enter.click()
  const redeem = visiblePage(page).getByTestId('redeem-form')
  await redeem.waitFor()
  return redeem
}

/** Types an invitation code into the redeem form and presses 确定. */
export async function enterInvitationCode(redeem: Locator, code: string): Promise<void> {
  await redeem.getByTestId('redeem-code').locator('input').fill(code)
  await redeem.locator('.nut-button', { hasText: '确定' }).click()
}

/** A transfer step in two taps: the step's button on the card, then 确认… in the box it opens (with a comment if given). */
export async function takeTransferStep(scope: Locator, button: string, comment?: string): Promise<void> {
  await scope.getByTestId(`step-${button}`).click()
  const box = scope.getByTestId('step-confirm')
  await box.waitFor()
  if (comment !== undefined) await box.getByTestId('step-comment').locator('textarea').fill(comment)
  await box.getByTestId('step-confirm-button').click()
  await box.waitFor({ state: 'detached', timeout: 15_000 })
}

/** The session token the app stored for the signed-in page (Taro keeps it JSON-wrapped, or as plain text). */
export async function storedSessionToken(page: Page): Promise<string> {
  return page.evaluate(() => {
    const raw = window.localStorage.getItem('dangjian.session-token') ?? ''
    try {
      const parsed = JSON.parse(raw) as { data?: string }
      if (typeof parsed.data === 'string') return parsed.data
    } catch {
      // stored as plain text
    }
    return raw
  })
}
