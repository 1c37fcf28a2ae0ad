/**
 * 发展党员 end to end: a branch secretary registers an application and walks the
 * applicant through the branch's steps; the server clock moves a year on so the
 * 积极分子 may become 发展对象 (a day early is refused, naming the day); the
 * township does 预审 and, from its queue, approves: the person is a 预备党员; then
 * it records 取消预备党员资格, the form first saying that the person leaves the roster.
 */
import { expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { makeIdNumber } from '../../db/seed/identity'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, describeBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage, type MobilePage } from './helpers'

/** The field itself, whether the test id sits on it or on Taro's wrapper (whose inner input appears once the component has upgraded: wait for it). */
const fill = async (page: Page, testId: string, value: string) => {
  const id = JSON.stringify(testId)
  await visiblePage(page).locator(`[data-testid=${id}] :is(input, textarea), :is(input, textarea)[data-testid=${id}]`).first().fill(value)
}

describeBrowser('发展党员 (H5)', () => {
  const suite = browserSuite({ now: TEST_NOW })

  /** Records the form's current step on the open timeline and waits until it is on the list. */
  async function step(page: Page, label: string, date: string, extra: (p: Page) => Promise<void> = async () => {}) {
    const form = visiblePage(page).getByTestId('step-form')
    await form.waitFor()
    await expect(form.getByTestId('step-save').innerText()).resolves.toContain(label)
    await fill(page, 'step-date', date)
    await fill(page, 'step-evidence', `${label}材料`)
    await extra(page)
    const before = await visiblePage(page).getByTestId('dev-step').count()
    await form.getByTestId('step-save').click()
    await expect.poll(() => visiblePage(page).getByTestId('dev-step').count(), { timeout: 10_000 }).toBe(before + 1)
  }

  async function moveClock(to: string) {
    const res = await fetch(`${suite.server.url}/api/dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: to }) })
    expect(res.status).toBe(200)
  }

  it('walks one applicant from the application to 预备党员, the township approving (then cancelling the qualification)', async () => {
    const sec: MobilePage = await newMobilePage(suite.browser)
    const staff: MobilePage = await newMobilePage(suite.browser)
    try {
      await loginAs(sec.page, suite.server.url, 'secretary')
      await openRoute(sec.page, suite.server.url, '/packages/development/index/index')
      await visiblePage(sec.page).getByTestId('open-application').click()
      await fill(sec.page, 'app-name', '赵晓梅')
      await fill(sec.page, 'app-id', makeIdNumber('2000-03-08', 'female', 37, '130102'))
      await fill(sec.page, 'app-phone', '13912345678')
      await fill(sec.page, 'app-date', '2026-06-15')
      await visiblePage(sec.page).getByTestId('app-consent').click()
      await visiblePage(sec.page).getByTestId('app-save').click()
      const next = visiblePage(sec.page).getByTestId('dev-next')
      await next.waitFor()
      await expect(next.innerText()).resolves.toContain('派人谈话')
      await expect(next.innerText()).resolves.toContain('2026年7月15日') // within one month
      await step(sec.page, '派人谈话', '2026-06-15')
      await step(sec.page, '确定入党积极分子', '2026-06-15', async (p) => {
        const options = visiblePage(p).getByTestId('contact-option')
        await options.nth(1).waitFor()
        await options.nth(0).click()
        await options.nth(1).click()
      })
      await shot(sec.page, 'development-activist')
      const url = sec.page.url()

      await moveClock('2027-07-01T10:00:00+08:00')
      // A year later every session has lapsed: sign in again, as a user would.
      await loginAs(sec.page, suite.server.url, 'secretary')
      await sec.page.goto(url)
      const form = visiblePage(sec.page).getByTestId('step-form')
      await form.waitFor()
      await expect(visiblePage(sec.page).getByTestId('form-window').innerText()).resolves.toContain('2027年6月15日')
      await fill(sec.page, 'step-date', '2027-06-14')
      await fill(sec.page, 'step-evidence', '支委会会议记录')
      await form.getByTestId('step-save').click()
      const refused = visiblePage(sec.page).getByTestId('step-error')
      await refused.waitFor()
      await expect(refused.innerText()).resolves.toContain('“确定发展对象”最早可于 2027-06-15')
      await step(sec.page, '确定发展对象', '2027-06-15')
      await step(sec.page, '政治审查', '2027-06-16')
      await step(sec.page, '短期集中培训', '2027-06-17', (p) => fill(p, 'training-days', '3'))
      await step(sec.page, '支委会审查', '2027-06-18')

      await loginAs(staff.page, suite.server.url, 'staff')
      await staff.page.goto(url)
      await step(staff.page, '党委预审', '2027-06-19')

      await sec.page.reload()
      await step(sec.page, '公示', '2027-06-21')
      // 支部大会: the roster says how many have a vote; 99 present is refused with that number.
      await fill(sec.page, 'step-date', '2027-06-28')
      await fill(sec.page, 'step-evidence', '支部大会记录')
      await fill(sec.page, 'meeting-present', '99')
      await fill(sec.page, 'meeting-in-favour', '99')
      await visiblePage(sec.page).getByTestId('step-save').click()
      const tooMany = visiblePage(sec.page).getByTestId('step-error')
      await tooMany.waitFor()
      const entitled = Number(/（(\d+)）/.exec((await tooMany.innerText()).split('不能多于')[1] ?? '')?.[1])
      expect(entitled).toBeGreaterThan(0)
      const majority = String(Math.floor(entitled / 2) + 1)
      await step(sec.page, '支部大会讨论接收预备党员', '2027-06-28', async (p) => {
        await fill(p, 'meeting-present', majority)
        await fill(p, 'meeting-in-favour', majority)
      })
      await expect(visiblePage(sec.page).getByTestId('dev-summary').innerText()).resolves.toContain('入党日期：2027年6月28日')

      await openRoute(staff.page, suite.server.url, '/packages/development/queue/index')
      const item = visiblePage(staff.page).getByTestId('queue-item').filter({ hasText: '赵晓梅' })
      await item.waitFor()
      await expect(item.innerText()).resolves.toContain('党委审批')
      await shot(staff.page, 'development-queue')
      await item.click()
      await step(staff.page, '党委审批（成为预备党员）', '2027-06-30')
      const summary = visiblePage(staff.page).getByTestId('dev-summary')
      await expect(summary.innerText()).resolves.toContain('赵晓梅（预备党员）')
      await expect(visiblePage(staff.page).getByTestId('dev-next').innerText()).resolves.toContain('2028年6月28日')
      await shot(staff.page, 'development-approved')

      // 取消预备党员资格, the township's other decision: the form says first that the person leaves the roster.
      await expect(visiblePage(staff.page).getByTestId('step-cancel-note').innerText()).resolves.toContain('不再计入在册党员')
      await step(staff.page, '取消预备党员资格', '2027-06-30')
      await expect(visiblePage(staff.page).getByTestId('dev-summary').innerText()).resolves.toContain('赵晓梅（已取消资格）')

      await openRoute(staff.page, suite.server.url, '/packages/development/queue/index')
      // The queue page may come back from the page stack and reload on show: wait for the fresh count.
      await expect.poll(() => visiblePage(staff.page).getByTestId('target-progress-text').innerText(), { timeout: 10_000 }).toContain('已接收预备党员 1 人')
      // The two refusals above are 422s the browser logs; nothing else may have gone wrong.
      expect(sec.errors.filter((e) => !e.includes('status of 422'))).toEqual([])
      expect(staff.errors).toEqual([])
    } finally {
      await sec.close()
      await staff.close()
      await moveClock(new Date(TEST_NOW).toISOString())
    }
  })
})
