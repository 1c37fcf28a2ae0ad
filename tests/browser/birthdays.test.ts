/**
 * 政治生日 end to end: on 王红旗's anniversary (the seed admits him on the
 * seed day's month/day in 2001), he sees the greeting on 首页, reads the oath
 * and signs in; the 东风村 secretary's monthly list then shows him as signed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startAppServer, type AppServer } from '../helpers/app-server'
import { TEST_NOW } from '../helpers/constants'
import { describeBrowser, launchBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage, type TestBrowser } from './helpers'

const REFLECTION = '入党二十五年，重温誓词，心潮澎湃。今年要带头把村里的水渠修好。'

describeBrowser('political birthday (H5)', () => {
  let server: AppServer
  let browser: TestBrowser

  beforeAll(async () => {
    server = await startAppServer({ now: TEST_NOW })
    // The seed gives 王红旗 an 入党日期 of 2001-06-15: set the server's day to his anniversary.
    server.clock.set(new Date('2026-06-15T09:30:00+08:00'))
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('the member sees the greeting, reads the oath and signs in', async () => {
    const { page, errors, close } = await newMobilePage(browser)
    try {
      await loginAs(page, server.url, 'member', '王红旗')
      const card = visiblePage(page).getByTestId('political-birthday')
      await card.getByTestId('birthday-banner').waitFor()
      await expect(card.getByTestId('birthday-banner').innerText()).resolves.toContain('今天是您的政治生日 · 入党25周年')
      await expect(card.innerText()).resolves.toContain('党龄')
      await shot(page, 'birthdays-home-greeting')

      await card.locator('.nut-button', { hasText: '重温入党誓词并签到' }).click()
      const signInPage = visiblePage(page)
      const oath = signInPage.getByTestId('oath')
      await oath.waitFor()
      const oathText = await oath.innerText()
      expect(oathText).toContain('我志愿加入中国共产党')
      expect(oathText).toContain('永不叛党。')
      await expect(signInPage.getByTestId('birthday-hero').innerText()).resolves.toContain('入党25周年')
      // Past sign-ins with reflections from the seed.
      await expect(signInPage.getByTestId('sign-in-history').innerText()).resolves.toContain('群众的事再小也是大事')
      await shot(page, 'birthdays-sign-in-oath')

      // Signing without ticking the confirmation is refused in plain words.
      await signInPage.locator('.nut-button').filter({ hasText: /^签到$/ }).click()
      await expect(signInPage.getByTestId('sign-in-error').innerText()).resolves.toContain('我已重温入党誓词')

      await signInPage.getByTestId('oath-confirm').click()
      await signInPage.getByTestId('reflection').locator('textarea').fill(REFLECTION)
      await signInPage.locator('.nut-button').filter({ hasText: /^签到$/ }).click()
      const done = signInPage.getByTestId('signed-in')
      await done.waitFor()
      const doneText = await done.innerText()
      expect(doneText).toContain('已签到 · 入党25周年')
      expect(doneText).toContain(REFLECTION)
      await shot(page, 'birthdays-signed-in')
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  it('the secretary’s monthly list shows the member as signed, with the collective-ceremony form', async () => {
    const { page, errors, close } = await newMobilePage(browser)
    try {
      await loginAs(page, server.url, 'secretary', '李守仁')
      await openRoute(page, server.url, '/packages/birthdays/index/index')
      const list = visiblePage(page).getByTestId('birthday-month-list')
      await list.getByTestId('birthday-row').first().waitFor()
      await expect(list.getByTestId('birthday-month').innerText()).resolves.toBe('2026年6月')
      const wang = list.getByTestId('birthday-row').filter({ hasText: '王红旗' })
      await expect(wang.innerText()).resolves.toContain('入党25周年')
      await expect(wang.getByTestId('birthday-status').innerText()).resolves.toContain('已签到')
      await expect(list.getByTestId('signed-count').innerText()).resolves.not.toBe('0')
      await shot(page, 'birthdays-secretary-month')

      await list.locator('.nut-button', { hasText: '记录集体过政治生日' }).click()
      const form = visiblePage(page).getByTestId('ceremony-form')
      await form.getByTestId('attendee').first().waitFor()
      const wangRow = form.getByTestId('attendee').filter({ hasText: '王红旗' })
      await expect(wangRow.innerText()).resolves.toContain('已签到')
      await expect(wangRow.getAttribute('aria-disabled')).resolves.toBe('true')
      await shot(page, 'birthdays-ceremony-form')
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })
})
