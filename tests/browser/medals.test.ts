/**
 * 光荣在党50年 end to end: staff open the year's list, record that 李守仁
 * (转正 1969, 党龄 50 since 2019, never given the medal) received it; he leaves
 * the list, appears among the year's presentations, and his own profile shows it.
 */
import { expect, it } from 'vitest'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, clickTab, describeBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage } from './helpers'

describeBrowser('光荣在党50年纪念章 (H5)', () => {
  const suite = browserSuite({ now: TEST_NOW })

  it('staff record an award; the member leaves the list and his profile shows the medal', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    try {
      await loginAs(page, suite.server.url, 'staff')
      await openRoute(page, suite.server.url, '/packages/birthdays/medal/index')
      const list = visiblePage(page).getByTestId('medal-list')
      await list.getByTestId('medal-row').first().waitFor()
      await expect(list.innerText()).resolves.toContain('7月1日')
      const li = list.getByTestId('medal-row').filter({ hasText: '李守仁' })
      await expect(li.innerText()).resolves.toContain('待颁发')
      await li.getByTestId('medal-record').click()
      const form = li.getByTestId('medal-award-form')
      // The dj-form__ boxes once had their look only in the commendations chunk: opened first, this form's fields had no border.
      const box = form.locator('.dj-form__input').first()
      await box.waitFor()
      expect(await box.evaluate((el) => parseFloat(getComputedStyle(el).borderTopWidth))).toBeGreaterThan(0)
      await form.getByTestId('medal-awarded-on').locator('input').fill('2026-06-12')
      await form.getByTestId('medal-presented-by').locator('input').fill('镇党委书记 王建国')
      await shot(page, 'medal-record-form')
      await form.getByTestId('medal-submit').click()

      const awarded = list.getByTestId('medal-awarded')
      await awarded.waitFor()
      await expect(awarded.innerText()).resolves.toContain('李守仁')
      await expect(awarded.innerText()).resolves.toContain('镇党委书记 王建国颁发')
      expect(await list.getByTestId('medal-row').filter({ hasText: '李守仁' }).count()).toBe(0)
      await shot(page, 'medal-after-award')
      expect(errors).toEqual([])
    } finally {
      await close()
    }

    const member = await newMobilePage(suite.browser)
    try {
      await loginAs(member.page, suite.server.url, 'secretary', '李守仁')
      await clickTab(member.page, '我的')
      const line = visiblePage(member.page).getByTestId('profile-medal')
      await line.waitFor()
      await expect(line.innerText()).resolves.toContain('2026年6月12日颁发')
      await shot(member.page, 'medal-profile')
      expect(member.errors).toEqual([])
    } finally {
      await member.close()
    }
  })
})
