/**
 * 本镇设置 and 节假日安排 in the H5 app. Township A's staff switch the political-birthday window from the
 * month to the quarter: in May, 王红旗 (admitted on 15 June) can now sign in, and going back to the county
 * default closes it again. County staff enter 2027's holidays, which no migration seeds; township staff
 * read the list and cannot change it.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../helpers/app-server'
import { describeBrowser, launchBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage, type TestBrowser } from './helpers'

const SIGN_IN = '/packages/birthdays/sign-in/index'
const CALENDAR = '/packages/development/work-calendar/index'
const button = (page: Page, text: string) => visiblePage(page).locator('.nut-button').filter({ hasText: text })

describeBrowser('settings and the holiday list (H5)', () => {
  let server: AppServer
  let browser: TestBrowser

  beforeAll(async () => {
    // May: inside 王红旗's anniversary quarter (Q2), outside its month (June).
    server = await startAppServer({ now: '2026-05-12T10:00:00+08:00' })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('staff change the birthday window to the quarter and a member can sign in at once; back to the county default closes it', async () => {
    const member = await newMobilePage(browser)
    const staff = await newMobilePage(browser)
    try {
      await loginAs(member.page, server.url, 'member', '王红旗')
      await openRoute(member.page, server.url, SIGN_IN)
      await expect.poll(() => visiblePage(member.page).getByTestId('sign-in-closed').innerText(), { timeout: 15_000 }).toContain('当月')

      const page = staff.page
      await loginAs(page, server.url, 'staff')
      await openRoute(page, server.url, '/pages/admin/index')
      await visiblePage(page).getByTestId('admin-entry').filter({ hasText: '本镇设置' }).click()
      const window = visiblePage(page).getByTestId('setting-birthdayWindow')
      await window.waitFor()
      await expect(window.innerText()).resolves.toContain('入党那个月内签到')
      await expect(window.getByTestId('setting-now').innerText()).resolves.toContain('入党当月')
      await shot(page, 'settings-township-before')

      await window.getByTestId('birthday-window-choices').getByText('入党所在季度', { exact: true }).click()
      await button(page, '保存设置').click()
      await expect.poll(() => window.getByTestId('setting-now').innerText(), { timeout: 15_000 }).toContain('入党所在季度')
      await expect(window.getByTestId('setting-source').innerText()).resolves.toBe('本镇设置')
      await shot(page, 'settings-township-quarter')

      await member.page.reload()
      await visiblePage(member.page).getByTestId('sign-in-form').waitFor({ timeout: 15_000 })
      await shot(member.page, 'settings-member-quarter-open')

      await window.getByTestId('birthday-window-choices').getByText('沿用县级默认', { exact: false }).click()
      await button(page, '保存设置').click()
      await expect.poll(() => window.getByTestId('setting-source').innerText(), { timeout: 15_000 }).toBe('县级默认')
      await expect(window.getByTestId('setting-now').innerText()).resolves.toContain('入党当月')
      await member.page.reload()
      await visiblePage(member.page).getByTestId('sign-in-closed').waitFor({ timeout: 15_000 })
      expect([...member.errors, ...staff.errors]).toEqual([])
    } finally {
      await member.close()
      await staff.close()
    }
  })

  it('county staff enter 2027’s holidays; township staff read them and cannot edit', async () => {
    const county = await newMobilePage(browser)
    const staff = await newMobilePage(browser)
    try {
      const { page } = county
      const refused: string[] = []
      page.on('response', (r) => {
        if (r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}`)
      })
      await loginAs(page, server.url, 'county')
      await openRoute(page, server.url, '/pages/admin/index')
      await visiblePage(page).getByTestId('admin-entry').filter({ hasText: '节假日安排' }).click()
      const screen = visiblePage(page).getByTestId('work-calendar')
      await screen.getByTestId('calendar-days').waitFor()
      await expect(screen.getByTestId('calendar-day').count()).resolves.toBeGreaterThan(20)
      await screen.getByTestId('calendar-year').getByText('2027年', { exact: true }).click()
      await expect.poll(() => screen.getByTestId('calendar-missing').innerText(), { timeout: 15_000 }).toContain('2027年的节假日安排尚未由县委组织部录入')
      await shot(page, 'settings-calendar-2027-missing')

      const add = async (day: string, kind: '放假' | '调休上班', note: string) => {
        await screen.getByTestId('calendar-date').locator('input').fill(day)
        await screen.getByTestId('calendar-kind').getByText(kind, { exact: true }).click()
        await screen.getByTestId('calendar-note').locator('input').fill(note)
        await button(page, '添加到列表').click()
      }
      await add('2027-01-01', '放假', '元旦')
      // A Monday is a working day already: the page says so instead of adding it.
      await add('2027-01-04', '调休上班', '周一')
      await expect.poll(() => screen.getByTestId('form-error').innerText()).toContain('只能是周六或周日')
      await add('2027-01-09', '调休上班', '元旦调休')
      await expect(screen.getByTestId('calendar-day').count()).resolves.toBe(2)
      await button(page, '保存2027年安排').click()
      await expect.poll(() => screen.getByTestId('calendar-missing').count(), { timeout: 15_000 }).toBe(0)
      await shot(page, 'settings-calendar-2027-saved')

      await loginAs(staff.page, server.url, 'staff')
      await openRoute(staff.page, server.url, CALENDAR)
      const read = visiblePage(staff.page).getByTestId('work-calendar')
      await read.getByTestId('calendar-year').getByText('2027年', { exact: true }).click()
      await expect.poll(() => read.getByTestId('calendar-days').innerText(), { timeout: 15_000 }).toContain('元旦调休')
      await expect(read.getByTestId('calendar-add').count()).resolves.toBe(0)
      // The county's 首页 asks for nothing a member's own (study, political birthday): no request is refused.
      expect(refused).toEqual([])
      expect(county.errors).toEqual([])
      expect(staff.errors).toEqual([])
    } finally {
      await county.close()
      await staff.close()
    }
  })
})
