/**
 * The mini-program shell in the built H5 app against the real API and the
 * seeded demo township: login, the four tabs, the management home and every
 * subpackage placeholder, for each kind of user. Screenshots of every page go
 * to artifacts/screenshots/shell-*.png.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { startAppServer, type AppServer } from '../helpers/app-server'
import {
  clickTab,
  describeBrowser,
  launchBrowser,
  loginAs,
  newMobilePage,
  openRoute,
  shot,
  snapshotH5Build,
  visiblePage,
  type MobilePage,
  type TestBrowser,
} from './helpers'

/** The 管理 tiles and the subpackage page each opens. */
const COMMON_ENTRIES = [
  { title: '注册审核', slug: 'review', route: '/packages/members/review/index' },
  { title: '党员花名册', slug: 'roster', route: '/packages/members/roster/index' },
  { title: '学习组织', slug: 'supervision', route: '/packages/study/supervision/index' },
  { title: '政治生日', slug: 'birthdays', route: '/packages/birthdays/index/index' },
  { title: '组织关系转接', slug: 'transfers', route: '/packages/transfers/index/index' },
  { title: '发展党员', slug: 'development', route: '/packages/development/index/index' },
  { title: '表彰管理', slug: 'commendations', route: '/packages/commendations/index/index' },
  { title: '数据看板', slug: 'dashboard', route: '/packages/dashboard/index/index' },
] as const
/** 管理 as each officer sees it, in its order: the secretary runs the branch's 组织生活, staff see every branch's. */
const SECRETARY_ENTRIES = [...COMMON_ENTRIES.slice(0, 2), { title: '组织生活', slug: 'orglife', route: '/packages/orglife/calendar/index' }, ...COMMON_ENTRIES.slice(2)]
const STAFF_ENTRIES = [
  ...COMMON_ENTRIES.slice(0, 2),
  { title: '各支部组织生活', slug: 'orglife-township', route: '/packages/orglife/township/index' },
  { title: '党课责任表', slug: 'orglife-duty', route: '/packages/orglife/duty/index' },
  ...COMMON_ENTRIES.slice(2),
  { title: '本镇设置', slug: 'settings', route: '/packages/settings/township/index' },
  { title: '邀请码', slug: 'invitations', route: '/packages/onboarding/invitations/index' },
]

/** A subpackage page opened and rendered something other than an error or the officer-only notice. */
async function expectPageRendered(page: Page, route: string): Promise<void> {
  await expect.poll(() => new URL(page.url()).hash).toBe(`#${route}`)
  const current = visiblePage(page)
  await expect.poll(async () => (await current.innerText()).trim().length, { timeout: 15_000 }).toBeGreaterThan(0)
  await current.getByRole('status').waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined)
  await expect(current.getByRole('alert').count()).resolves.toBe(0)
  await expect(current.getByText(OFFICER_ONLY).count()).resolves.toBe(0)
}

const MASKED_ID = /^\d{4}\*{13}[\dX]$/
const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/
const OFFICER_ONLY = '仅支部书记和党委工作人员可用'
const TOKEN_KEY = 'dangjian.session-token'
const REFRESH_KEY = 'dangjian.refresh-token'

describeBrowser('mini-program shell (H5)', () => {
  let server: AppServer
  let browser: TestBrowser
  const pages: MobilePage[] = []

  beforeAll(async () => {
    server = await startAppServer({ staticDir: snapshotH5Build() })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await Promise.all(pages.map((p) => p.close()))
    await browser?.close()
    await server?.close()
  })

  async function freshPage(): Promise<MobilePage> {
    const mobile = await newMobilePage(browser)
    pages.push(mobile)
    return mobile
  }

  /** NutUI buttons: click the button element (its inner label is covered by it). */
  function retryButton(page: Page) {
    return visiblePage(page).locator('.nut-button', { hasText: '重新加载' })
  }

  async function text(page: Page, testId: string): Promise<string> {
    return (await visiblePage(page).getByTestId(testId).innerText()).trim()
  }

  test('the demo login screen lists accounts by role', async () => {
    const { page, errors } = await freshPage()
    await openRoute(page, server.url, '/pages/login/index')
    const screen = page.getByTestId('demo-login')
    await screen.waitFor()
    for (const group of ['党委工作人员', '支部书记', '党员']) {
      await expect(screen.getByText(group, { exact: true }).isVisible()).resolves.toBe(true)
    }
    await expect(screen.locator('[data-role="member"] [data-account-id]').count()).resolves.toBeGreaterThan(0)
    await expect(screen.getByText('新用户（未登记）').isVisible()).resolves.toBe(true)
    await shot(page, 'shell-login')
    expect(errors).toEqual([])
  })

  test('a member sees home, study and their own file, but not management', async () => {
    const { page, errors } = await freshPage()
    const name = await loginAs(page, server.url, 'member')

    const home = visiblePage(page)
    await expect(text(page, 'greeting')).resolves.toContain(name)
    await expect(home.getByTestId('today-study').isVisible()).resolves.toBe(true)
    // Today's minutes toward the hour, from /api/study/me.
    await expect.poll(() => text(page, 'today-study')).toMatch(/\d+\s*\/ 60 分钟/)
    await expect(home.getByTestId('political-birthday').isVisible()).resolves.toBe(true)
    await shot(page, 'shell-member-home')

    // The 学习 tab belongs to the study feature: the shell only checks that it opens cleanly.
    await clickTab(page, '学习')
    await expectPageRendered(page, '/pages/study/index')
    await shot(page, 'shell-member-study')

    await clickTab(page, '我的')
    await visiblePage(page).getByTestId('profile-name').waitFor()
    await expect(text(page, 'profile-name')).resolves.toBe(name)
    await expect(text(page, 'profile-branch')).resolves.toMatch(/党支部$/)
    await expect(text(page, 'profile-category')).resolves.toMatch(/^(正式党员|预备党员)$/)
    await expect(text(page, 'profile-joined')).resolves.toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/)
    await expect(text(page, 'profile-standing')).resolves.toMatch(/^(\d+年|预备期内，转正后开始计算)$/)
    await expect(text(page, 'profile-id')).resolves.toMatch(MASKED_ID)
    await expect(text(page, 'profile-phone')).resolves.toMatch(MASKED_PHONE)
    await shot(page, 'shell-member-me')

    await clickTab(page, '管理')
    await visiblePage(page).getByText(OFFICER_ONLY).waitFor()
    await expect(visiblePage(page).getByTestId('admin-entry').count()).resolves.toBe(0)
    await shot(page, 'shell-member-admin')

    // A member who reaches a management page by link gets the same answer.
    await openRoute(page, server.url, '/packages/members/roster/index')
    await visiblePage(page).getByText(OFFICER_ONLY).waitFor()
    await shot(page, 'shell-member-roster-denied')
    expect(errors).toEqual([])
  })

  test('a branch secretary opens every management entry from 管理', async () => {
    const { page, errors } = await freshPage()
    const name = await loginAs(page, server.url, 'secretary')
    await expect(text(page, 'greeting')).resolves.toContain(name)
    await expect(visiblePage(page).getByTestId('officer-shortcut').isVisible()).resolves.toBe(true)
    await shot(page, 'shell-secretary-home')

    await clickTab(page, '管理')
    const tiles = visiblePage(page).getByTestId('admin-entry')
    await tiles.first().waitFor()
    await expect(tiles.allInnerTexts()).resolves.toEqual(
      SECRETARY_ENTRIES.map(({ title }) => expect.stringContaining(title) as unknown as string),
    )
    await shot(page, 'shell-secretary-admin')

    for (const { title, slug, route } of SECRETARY_ENTRIES) {
      await visiblePage(page).getByTestId('admin-entry').filter({ hasText: title }).click()
      await expectPageRendered(page, route)
      await shot(page, `shell-secretary-${slug}`)
      // Back to 管理 with a fresh load: the H5 router's history after a hash
      // jump between a subpackage page and a tab page is not the mini-program's.
      await openRoute(page, server.url, '/pages/admin/index')
      await page.reload()
      await visiblePage(page).getByTestId('admin-home').waitFor()
    }

    await clickTab(page, '我的')
    await visiblePage(page).getByTestId('profile-name').waitFor()
    await expect(text(page, 'profile-name')).resolves.toBe(name)
    await shot(page, 'shell-secretary-me')
    expect(errors).toEqual([])
  })

  test('committee staff see every tab and every subpackage page', async () => {
    const { page, errors } = await freshPage()
    const name = await loginAs(page, server.url, 'staff')
    await expect(text(page, 'greeting')).resolves.toContain(name)
    await shot(page, 'shell-staff-home')

    await clickTab(page, '学习')
    await expectPageRendered(page, '/pages/study/index')
    await shot(page, 'shell-staff-study')

    await clickTab(page, '管理')
    await visiblePage(page).getByTestId('admin-entry').first().waitFor()
    await expect(visiblePage(page).getByTestId('admin-entry').count()).resolves.toBe(STAFF_ENTRIES.length)
    await shot(page, 'shell-staff-admin')

    await clickTab(page, '我的')
    await visiblePage(page).getByTestId('profile-name').waitFor()
    await expect(text(page, 'profile-name')).resolves.toBe(name)
    await shot(page, 'shell-staff-me')

    for (const { route, slug } of STAFF_ENTRIES) {
      await openRoute(page, server.url, route)
      await expectPageRendered(page, route)
      await shot(page, `shell-staff-${slug}`)
    }
    expect(errors).toEqual([])
  })

  test('a new, unregistered user is asked to register', async () => {
    const { page, errors } = await freshPage()
    await loginAs(page, server.url, 'applicant')
    const card = visiblePage(page).getByTestId('unregistered-card')
    await card.waitFor()
    // The card first says it is looking the registration up ("正在查询…"), then what it found.
    await expect.poll(() => card.innerText(), { timeout: 15_000 }).toContain('您尚未登记为党员')
    await shot(page, 'shell-applicant-home')

    await clickTab(page, '学习')
    await visiblePage(page).getByTestId('unregistered-card').waitFor()

    await clickTab(page, '管理')
    await visiblePage(page).getByText(OFFICER_ONLY).waitFor()

    await clickTab(page, '首页')
    await visiblePage(page).locator('.nut-button', { hasText: '去登记' }).click()
    await expectPageRendered(page, '/packages/members/register/index')
    await shot(page, 'shell-applicant-register')
    expect(errors).toEqual([])
  })

  test('logging out returns to the login screen and forgets the session', async () => {
    const { page, errors } = await freshPage()
    await loginAs(page, server.url, 'member')
    await clickTab(page, '我的')
    await visiblePage(page).locator('.nut-button', { hasText: '退出登录' }).click()
    // Taro's H5 modal: confirm with the 退出 button.
    await page.locator('.taro__modal').getByText('退出', { exact: true }).click()
    await page.getByTestId('demo-login').waitFor()
    await expect(page.evaluate((key) => window.localStorage.getItem(key), TOKEN_KEY)).resolves.toBeNull()
    expect(errors).toEqual([])
  })

  test('an invalid or expired access token is renewed with the refresh token: the member stays signed in', async () => {
    const { page } = await freshPage()
    await loginAs(page, server.url, 'member')
    const before = await page.evaluate((key) => window.localStorage.getItem(key), TOKEN_KEY)
    // Corrupt the stored access token only (Taro keeps storage values as {"data": ...}).
    await page.evaluate((key) => {
      const stored = window.localStorage.getItem(key)
      if (!stored) throw new Error('no stored token')
      window.localStorage.setItem(key, stored.replace(/"data":"/, '"data":"x'))
    }, TOKEN_KEY)
    await page.reload()
    await visiblePage(page).getByTestId('greeting').waitFor()
    const after = await page.evaluate((key) => window.localStorage.getItem(key), TOKEN_KEY)
    expect(after).not.toBeNull()
    expect(after).not.toBe(before)
  })

  test('an invalid session (access and refresh token) sends the user to the login screen', async () => {
    const { page } = await freshPage()
    await loginAs(page, server.url, 'member')
    await page.evaluate((keys) => {
      for (const key of keys) {
        const stored = window.localStorage.getItem(key)
        if (!stored) throw new Error(`no stored ${key}`)
        window.localStorage.setItem(key, stored.replace(/"data":"/, '"data":"x'))
      }
    }, [TOKEN_KEY, REFRESH_KEY])
    await page.reload()
    await page.getByTestId('demo-login').waitFor()
    await expect(page.evaluate((key) => window.localStorage.getItem(key), TOKEN_KEY)).resolves.toBeNull()
    await expect(page.evaluate((key) => window.localStorage.getItem(key), REFRESH_KEY)).resolves.toBeNull()
  })

  test('network failures and server errors are explained in Chinese', async () => {
    const { page } = await freshPage()
    await loginAs(page, server.url, 'member')

    // No answer at all: GET /api/me is idempotent, so it is tried three times before giving up.
    let attempts = 0
    await page.route('**/api/me', (route) => {
      attempts++
      return route.abort('internetdisconnected')
    })
    await page.reload()
    await visiblePage(page).getByText('网络连接失败，请检查网络后重试').waitFor()
    expect(attempts).toBe(3)
    await shot(page, 'shell-network-error')

    // The server's own message is shown as it is, and a 500 is not retried.
    await page.unroute('**/api/me')
    attempts = 0
    await page.route('**/api/me', (route) => {
      attempts++
      return route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } }),
      })
    })
    await retryButton(page).click()
    await visiblePage(page).getByText('服务器内部错误，请稍后再试').waitFor()
    expect(attempts).toBe(1)

    // Back online: 重新加载 recovers without logging in again.
    await page.unroute('**/api/me')
    await retryButton(page).click()
    await visiblePage(page).getByTestId('greeting').waitFor()
  })
})
