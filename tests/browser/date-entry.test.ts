/**
 * Dates as people write them, in the forms that had a date picker: a meeting
 * (书记), a 集中学习 (书记) and a commendation (党委). Each takes
 * 2026年6月12日, 2026.06.12, 2026/06/12 and 20260612; a date that is not yet a
 * day is said in words (never a field's code name) and the message goes as
 * soon as the date reads as a day, before the field is left; leaving it
 * settles the text to 2026-06-12; the saved record carries that day.
 */
import type { Locator, Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, describeBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage } from './helpers'

/** Three days before the test clock's today (2026-06-15), so no form refuses it as a future day. */
const ISO = '2026-06-12'
const SPELLINGS = ['2026年6月12日', '2026.06.12', '2026/06/12', '20260612'] as const
const HALF_TYPED = '2026.6.'
/** How the saved records show the day. */
const SHOWN = ['6月12日', '2026年6月12日'] as const
/** A message naming a field by its code (`receivedOn：…`) or a format mask. */
const CODE_NAME = /[a-z][A-Za-z]+：|YYYY/

/** NutUI buttons: click the button element itself. */
const button = (page: Page, text: string) => visiblePage(page).locator('taro-button-core').filter({ hasText: text })

/**
 * Half-typed, the date is refused in words; each spelling then clears the message at once and settles on leaving.
 * `shown` counts the messages about the date now on screen.
 */
async function typeEachSpelling(input: Locator, shown: () => Promise<number>, message: () => Promise<string>): Promise<void> {
  for (const typed of SPELLINGS) {
    await input.fill(HALF_TYPED)
    await expect.poll(shown, { message: `${HALF_TYPED} is refused` }).toBe(1)
    expect(await message()).toContain('2026年11月30日')
    expect(await message()).not.toMatch(CODE_NAME)
    await input.fill(typed)
    await expect.poll(shown, { message: `${typed} is taken before leaving the field` }).toBe(0)
    await input.blur()
    await expect.poll(() => input.inputValue(), { message: `${typed} settles` }).toBe(ISO)
  }
}

describeBrowser('date entry as people write it', () => {
  const suite = browserSuite({ now: TEST_NOW })

  test('记录会议: each spelling is taken, and the meeting is saved on that day', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    await loginAs(page, suite.server.url, 'secretary')
    await openRoute(page, suite.server.url, '/packages/orglife/meeting-form/index')
    const form = visiblePage(page).getByTestId('meeting-form')
    await form.getByTestId('attendee').first().waitFor()
    await form.getByTestId('meeting-topic').locator('input').fill('研究本月支部工作')
    const day = form.getByTestId('meeting-day').locator('input')
    await day.fill(HALF_TYPED)
    await button(page, '保存会议记录').click()
    const banner = visiblePage(page).getByTestId('meeting-error')
    await expect.poll(() => banner.innerText()).toContain('会议日期')
    await expect.poll(() => form.locator('.dj-form-date--error').count()).toBe(1)
    await shot(page, 'date-entry-meeting-refused')

    await typeEachSpelling(day, () => banner.count(), () => banner.innerText())
    await expect.poll(() => form.locator('.dj-form-date--error').count()).toBe(0)
    await shot(page, 'date-entry-meeting-settled')

    // Typed and saved without leaving the field: the form reads the date as it will be sent.
    await day.fill(SPELLINGS[3])
    await button(page, '保存会议记录').click()
    const record = visiblePage(page).getByTestId('meeting-record')
    await record.waitFor({ timeout: 15_000 })
    expect(await record.innerText()).toContain(SHOWN[0])
    await shot(page, 'date-entry-meeting-saved')
    expect(errors).toEqual([])
    await close()
  })

  test('新建集中学习: each spelling is taken, and the event is on that day', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    await loginAs(page, suite.server.url, 'secretary')
    await openRoute(page, suite.server.url, '/packages/study/event-form/index')
    const form = visiblePage(page).getByTestId('event-form')
    await form.waitFor()
    await form.locator('taro-input-core').first().locator('input').fill('主题党日·学习党章')
    const day = form.getByTestId('event-day').locator('input')
    await day.fill(HALF_TYPED)
    await button(page, '创建并出示签到二维码').click()
    const banner = visiblePage(page).getByTestId('event-error')
    await expect.poll(() => banner.innerText()).toContain('学习日期')
    await shot(page, 'date-entry-study-event-refused')

    await typeEachSpelling(day, () => banner.count(), () => banner.innerText())
    await shot(page, 'date-entry-study-event-settled')

    await day.fill(SPELLINGS[0])
    await button(page, '创建并出示签到二维码').click()
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('/packages/study/event/index?id=')
    await expect.poll(() => visiblePage(page).innerText(), { timeout: 15_000 }).toContain(SHOWN[0])
    await shot(page, 'date-entry-study-event-saved')
    expect(errors).toEqual([])
    await close()
  })

  test('录入表彰: each spelling is taken under its own field, and the honor roll shows that day', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    await loginAs(page, suite.server.url, 'staff')
    await openRoute(page, suite.server.url, '/packages/commendations/index/index')
    await visiblePage(page).getByTestId('honor-roll').waitFor()
    await button(page, '录入表彰').click()
    const form = visiblePage(page).getByTestId('commendation-form')
    await form.waitFor()
    await form.getByTestId('member-search').locator('input').fill('王红旗')
    await form.getByTestId('member-option').filter({ hasText: '王红旗' }).first().click()
    await expect.poll(() => form.getByTestId('picked-member').innerText()).toContain('王红旗')

    const field = form.getByTestId('f-awarded-on')
    const day = field.locator('input')
    await day.fill(HALF_TYPED)
    await button(page, '确认录入').click()
    const fieldError = field.getByTestId('field-error')
    await expect.poll(() => fieldError.innerText()).toContain('授予日期')
    await expect.poll(() => form.getByTestId('form-error').innerText()).toContain('还有 1 项需要修改')
    await shot(page, 'date-entry-commendation-refused')

    await typeEachSpelling(day, () => fieldError.count(), () => fieldError.innerText())
    // With the date right, nothing is left to fix: the summary above the button goes too.
    await expect.poll(() => form.getByTestId('form-error').count()).toBe(0)
    await shot(page, 'date-entry-commendation-settled')

    await day.fill(SPELLINGS[2])
    await button(page, '确认录入').click()
    const entry = visiblePage(page).getByTestId('honor-entry').filter({ hasText: '王红旗' }).first()
    await entry.waitFor({ timeout: 15_000 })
    expect(await entry.innerText()).toContain(SHOWN[1])
    await shot(page, 'date-entry-commendation-saved')
    expect(errors).toEqual([])
    await close()
  })
})
