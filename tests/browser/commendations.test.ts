/**
 * Staff record a commendation in the H5 app; it appears on the honor roll and
 * in the member's 我的荣誉, and the dashboard's target progress moves.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startAppServer, type AppServer } from '../helpers/app-server'
import { describeBrowser, launchBrowser, loginAs, newMobilePage, openRoute, shot, snapshotH5Build, visiblePage, type TestBrowser } from './helpers'

const HONOR_ROLL = '/packages/commendations/index/index'
const ADMIN = '/pages/admin/index'
const ME = '/pages/me/index'
/** NutUI buttons: click the button element itself (its inner text node does not take the click). */
const button = (page: Page, text: string) => page.locator('taro-button-core').filter({ hasText: text })

const CITATION = '带领村民修缮水渠，解决300亩农田灌溉难题。'

describeBrowser('commendations in the app', () => {
  let server: AppServer
  let browser: TestBrowser
  beforeAll(async () => {
    // A private copy of the build: a rebuild by another test run cannot pull files from under this one.
    server = await startAppServer({ staticDir: snapshotH5Build() })
    browser = await launchBrowser()
    // A rebuild under load (other suites editing the tree) can take minutes.
  }, 600_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  test('staff record a commendation: honor roll, the member profile and the dashboard progress all show it', async () => {
    // Whom to commend: the first demo member (so we can later sign in as them).
    const memberPage = await newMobilePage(browser)
    const memberName = await loginAs(memberPage.page, server.url, 'member')

    const staff = await newMobilePage(browser)
    const { page } = staff
    await loginAs(page, server.url, 'staff')

    // The dashboard on 管理: 优秀共产党员 progress before.
    await openRoute(page, server.url, ADMIN)
    const figure = () => visiblePage(page).locator('[data-testid="dash-target"][data-category="outstanding_member"] [data-testid="dash-target-figure"]')
    await figure().waitFor()
    const before = await figure().innerText()
    const achievedBefore = Number(/^(\d+)/.exec(before.trim())?.[1])
    expect(before).toContain('/ 8人次')
    await shot(page, 'commendations-dashboard-before')

    // Honor roll → 录入表彰.
    await openRoute(page, server.url, HONOR_ROLL)
    await page.getByTestId('honor-roll').waitFor()
    await visiblePage(page).getByTestId('honor-entry').first().waitFor()
    await shot(page, 'commendations-honor-roll-staff')
    await button(page, '录入表彰').click()
    await page.getByTestId('commendation-form').waitFor()

    // Submitting without a member says what is missing, in Chinese.
    await button(page, '确认录入').click()
    await expect.poll(() => page.getByTestId('form-error').innerText()).toContain('请先查找并选择受表彰的党员')

    await page.getByTestId('member-search').locator('input').fill(memberName)
    await page.getByTestId('member-option').filter({ hasText: memberName }).first().click()
    await page.getByTestId('commendation-form').getByTestId('level-choices').getByText('县级', { exact: true }).click()
    await expect.poll(() => page.getByTestId('picked-member').innerText()).toContain(memberName)
    await page.getByTestId('citation').locator('textarea').fill(CITATION)
    await shot(page, 'commendations-form-filled')
    await button(page, '确认录入').click()

    // Back on the honor roll, the new entry leads (newest first).
    await page.getByTestId('honor-roll').waitFor()
    await expect.poll(() => visiblePage(page).getByTestId('honor-entry').first().innerText(), { timeout: 15_000 }).toContain(CITATION)
    expect(await visiblePage(page).getByTestId('honor-entry').first().innerText()).toContain(memberName)
    await shot(page, 'commendations-honor-roll-after')

    // The dashboard's progress moved by one.
    await openRoute(page, server.url, ADMIN)
    await figure().waitFor()
    await expect.poll(async () => Number(/^(\d+)/.exec((await figure().innerText()).trim())?.[1])).toBe(achievedBefore + 1)
    await page.getByTestId('dashboard').waitFor()
    await shot(page, 'commendations-dashboard-after')

    // The member sees it on the honor roll and under 我的荣誉.
    const m = memberPage.page
    await openRoute(m, server.url, HONOR_ROLL)
    await expect.poll(() => visiblePage(m).getByTestId('honor-entry').first().innerText(), { timeout: 15_000 }).toContain(CITATION)
    expect(await button(m, '录入表彰').count()).toBe(0)
    await shot(m, 'commendations-honor-roll-member')
    await openRoute(m, server.url, ME)
    const honors = visiblePage(m).getByTestId('my-honors')
    await honors.waitFor()
    await expect.poll(() => honors.innerText()).toContain('2026年度优秀共产党员')
    await shot(m, 'commendations-my-honors')

    expect(staff.errors.filter((e) => !/favicon/.test(e))).toEqual([])
    expect(memberPage.errors.filter((e) => !/favicon/.test(e))).toEqual([])
    await memberPage.close()
    await staff.close()
  })
})
