/**
 * 组织生活 end to end: the 东风村 secretary sees this month's 支委会 due, records
 * one with its attendance (a member present, another excused for illness, the
 * meeting carrying study), the calendar item turns done; the member then sees
 * the meeting and its 学时 in 我的组织生活.
 */
import { expect, it } from 'vitest'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, describeBrowser, openRoute, phoneOnServerClock, shot, visiblePage } from './helpers'

const TOPIC = '研究六月份支部工作和村集体经济'

describeBrowser('organizational life (H5)', () => {
  const suite = browserSuite({ now: TEST_NOW })

  it('a secretary records a 支委会 with attendance, and the calendar item turns done', async () => {
    // The phone's day is the server's test day, so the form's default date is 6月15日.
    const { page, errors, close } = await phoneOnServerClock(suite, 'secretary', '李守仁', '/packages/orglife/calendar/index')
    try {
      const current = visiblePage(page).getByTestId('current-items')
      const committee = current.locator('[data-kind="branch_committee"]')
      await committee.waitFor()
      await expect(committee.getAttribute('data-status')).resolves.toBe('due')
      await expect(current.locator('[data-status="overdue"]').count()).resolves.toBe(0)
      await shot(page, 'orglife-calendar-due')

      await current.locator('.nut-button', { hasText: '记录一次会议' }).click()
      const form = visiblePage(page).getByTestId('meeting-form')
      await form.getByTestId('attendee').first().waitFor()
      await form.getByTestId('meeting-topic').locator('input').fill(TOPIC)
      await form.getByTestId('carries-study').click()
      const wang = form.getByTestId('attendee').filter({ hasText: '王红旗' })
      await wang.getByTestId('mark-present').click()
      const other = form.getByTestId('attendee').filter({ hasNotText: '王红旗' }).nth(1)
      await other.getByTestId('mark-excused').click()
      await other.getByTestId('reason-sick').click()
      await shot(page, 'orglife-meeting-form')
      await visiblePage(page).locator('.nut-button', { hasText: '保存会议记录' }).click()

      const record = visiblePage(page).getByTestId('meeting-record')
      await record.waitFor()
      const counts = await record.getByTestId('meeting-counts').innerText()
      expect(counts).toContain('实到 1 人')
      expect(counts).toContain('请假 1 人')
      await expect(record.getByTestId('meeting-attendees').innerText()).resolves.toContain('请假（病假）')
      await shot(page, 'orglife-meeting-record')

      // A fresh load of the calendar (the H5 router would show the page instance opened before the meeting).
      await openRoute(page, suite.server.url, '/packages/orglife/calendar/index')
      await page.reload()
      const after = visiblePage(page).getByTestId('current-items').locator('[data-kind="branch_committee"]')
      await after.waitFor()
      await expect.poll(() => after.getAttribute('data-status')).toBe('done')
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  it('the member sees the meeting and its 学时 in 我的组织生活', async () => {
    const { page, errors, close } = await phoneOnServerClock(suite, 'member', '王红旗', '/packages/orglife/mine/index')
    try {
      const mine = visiblePage(page).getByTestId('my-orglife')
      const row = mine.getByTestId('my-meeting').filter({ hasText: TOPIC })
      await row.waitFor()
      const text = await row.innerText()
      expect(text).toContain('支部委员会')
      expect(text).toContain('1.5学时')
      expect(text).toContain('实到')
      await expect(mine.getByTestId('my-study-hours').innerText()).resolves.toContain('年度要求 32 学时')
      await shot(page, 'orglife-mine')
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })
})
