/**
 * Shorter paths (issue 19.8): on 管理 the work (what waits, then the entries)
 * comes before the charts, and the 30-day chart carries its figures, readable
 * beside its bars and said in words; a link opened while signed out comes back
 * to that page, query and all, after login, and only to a page of the app.
 */
import type { Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, clickTab, describeBrowser, loginAs, newMobilePage, openRoute, shot, storedSessionToken, visiblePage } from './helpers'

interface TrendDay {
  day: string
  met: number
  percent: number | null
}

/** The 30-day trend as the API gives it to the signed-in page (the figures the chart must show). */
async function apiTrend(page: Page): Promise<TrendDay[]> {
  return page.evaluate(async (token) => {
    const res = await fetch('/api/dashboard', { headers: { authorization: `Bearer ${token}` } })
    const body = (await res.json()) as { study: { trend: TrendDay[] } }
    return body.study.trend
  }, await storedSessionToken(page))
}

const top = async (page: Page, testId: string) => (await visiblePage(page).getByTestId(testId).first().boundingBox())!.y

/** Signs in on the demo login screen already shown, without waiting for 首页 (the app may go elsewhere). */
async function pickDemoAccount(page: Page, role: 'secretary' | 'staff'): Promise<void> {
  const screen = page.getByTestId('demo-login')
  await screen.waitFor()
  await screen.locator(`[data-role="${role}"] [data-account-id]`).first().click()
}

describeBrowser('shorter paths', () => {
  const suite = browserSuite({ now: TEST_NOW })

  test('管理: what waits and the entries come before the charts; each of the 30 days shows its figure', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    await loginAs(page, suite.server.url, 'staff')
    await clickTab(page, '管理')
    const home = visiblePage(page).getByTestId('admin-home')
    await home.getByTestId('dash-trend').waitFor()

    // Top to bottom: the figures that ask for work, the entries, then the charts.
    const waiting = await top(page, 'dash-registrations')
    const transfers = await top(page, 'dash-transfers')
    const entries = await top(page, 'admin-entry')
    const targets = await top(page, 'dash-commendations')
    const branches = await top(page, 'dash-study-branches')
    const trend = await top(page, 'dash-trend')
    expect(waiting).toBeLessThan(entries)
    expect(transfers).toBeLessThan(entries)
    expect(entries).toBeLessThan(targets)
    expect(entries).toBeLessThan(branches)
    expect(entries).toBeLessThan(trend)
    // The first entry is on the first screen (812 px tall): the work is reached without scrolling past charts.
    expect(entries).toBeLessThan(812)
    await shot(page, 'paths-admin-work-first')

    // 30 rows, newest first, each with the API's figure beside its bar, in words for a screen reader too.
    const expected = [...(await apiTrend(page))].reverse()
    expect(expected).toHaveLength(30)
    expect(expected.some((d) => (d.percent ?? 0) > 0), 'the seeded township has study in the last 30 days').toBe(true)
    const rows = home.getByTestId('dash-trend-day')
    await expect.poll(() => rows.count()).toBe(30)
    for (let i = 0; i < expected.length; i++) {
      const want = expected[i]!
      const row = rows.nth(i)
      expect(await row.getAttribute('data-day')).toBe(want.day)
      const figure = want.percent === null ? '—' : `${want.percent}%`
      const value = row.getByTestId('dash-trend-value')
      expect(await value.innerText()).toBe(figure)
      const label = `${Number(want.day.slice(5, 7))}月${Number(want.day.slice(8, 10))}日`
      expect(await row.innerText()).toContain(label)
      expect(await row.getAttribute('aria-label')).toBe(want.percent === null ? `${label}，没有在册党员` : `${label}，达标率${want.percent}%，${want.met}人达标`)
      // Readable: beside the bar, not under it, at a size a phone shows plainly.
      const [box, bar] = [(await value.boundingBox())!, (await row.locator('.dj-dash__bar-track').boundingBox())!]
      expect(box.x).toBeGreaterThanOrEqual(bar.x + bar.width - 1)
      expect(await value.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(14)
    }
    expect(await home.getByTestId('dash-trend').locator('[role="list"]').getAttribute('aria-label')).toBe('近30天每日学习达标率')
    await home.getByTestId('dash-trend').scrollIntoViewIfNeeded()
    await shot(page, 'paths-admin-trend-values')
    expect(errors).toEqual([])
    await close()
  })

  test('a member’s page opened signed out comes back, with its id, after login', async () => {
    // The link: a secretary's roster opens a member's page (the second row, not just the first).
    const officer = await newMobilePage(suite.browser)
    await loginAs(officer.page, suite.server.url, 'secretary')
    await openRoute(officer.page, suite.server.url, '/packages/members/roster/index')
    const row = visiblePage(officer.page).getByTestId('roster-row').nth(1)
    await row.waitFor()
    const name = (await row.locator('.dj-m-row__name').innerText()).trim()
    await row.click()
    await visiblePage(officer.page).getByTestId('member-detail').waitFor()
    const link = new URL(officer.page.url()).hash
    expect(link).toMatch(/^#\/packages\/members\/detail\/index\?id=\d+$/)
    await officer.close()

    // Someone opens that link on a phone without a session: login first, then that very page.
    const { page, errors, close } = await newMobilePage(suite.browser)
    await page.goto(`${suite.server.url}/${link}`)
    await page.getByTestId('demo-login').waitFor({ timeout: 15_000 })
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain(`back=${link.slice(1)}`)
    await shot(page, 'paths-deep-link-login')
    await pickDemoAccount(page, 'secretary')
    const detail = visiblePage(page).getByTestId('member-detail')
    await detail.waitFor({ timeout: 15_000 })
    expect(new URL(page.url()).hash).toBe(link)
    expect(await detail.innerText()).toContain(name)
    await shot(page, 'paths-deep-link-returned')
    expect(errors).toEqual([])
    await close()
  })

  test('a login link pointing outside the app, or at the login page, lands on 首页', async () => {
    for (const back of ['https://evil.example/#/pages/me/index', '//evil.example/pages/me/index', '/pages/login/index']) {
      const { page, errors, close } = await newMobilePage(suite.browser)
      await page.goto(`${suite.server.url}/#/pages/login/index?back=${encodeURIComponent(back)}`)
      await pickDemoAccount(page, 'staff')
      await visiblePage(page).getByTestId('greeting').waitFor({ timeout: 15_000 })
      expect(new URL(page.url()).origin, back).toBe(new URL(suite.server.url).origin)
      expect(new URL(page.url()).hash, back).toBe('#/pages/home/index')
      expect(errors, back).toEqual([])
      await close()
    }
  })

  test('signing out and in again starts at 首页, not at the page left', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    await loginAs(page, suite.server.url, 'staff')
    await clickTab(page, '我的')
    await visiblePage(page).locator('.nut-button', { hasText: '退出登录' }).click()
    // Taro's H5 modal: confirm with the 退出 button.
    await page.locator('.taro__modal').getByText('退出', { exact: true }).click()
    await page.getByTestId('demo-login').waitFor({ timeout: 15_000 })
    expect(new URL(page.url()).hash).toBe('#/pages/login/index')
    await pickDemoAccount(page, 'staff')
    await visiblePage(page).getByTestId('greeting').waitFor({ timeout: 15_000 })
    expect(errors).toEqual([])
    await close()
  })
})
