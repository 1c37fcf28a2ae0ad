/**
 * Forms forgive: after a failed submit each red error goes as soon as its field
 * is right (no blur needed), the "还有 N 项需要修改" count follows, dates are
 * accepted as people write them, the whole input box takes the tap, and 首页
 * then says the registration waits for the named branch.
 */
import { expect, test } from 'vitest'
import { makeIdNumber } from '../../db/seed/identity'
import { GENDER_LABELS, genders } from '../../shared/common'
import { describeBrowser, browserSuite, loginAs, newMobilePage, openRoute, shot, visiblePage, type DemoRole } from './helpers'

const REGISTER = '/packages/members/register/index'

/** Forms whose boxes have their own padding and heights: single-line inputs and tall textareas of several modules. */
const FORMS: { role: DemoRole; route: string }[] = [
  { role: 'member', route: '/packages/feedback/index/index' },
  { role: 'member', route: '/packages/transfers/apply/index' },
  { role: 'secretary', route: '/packages/orglife/meeting-form/index' },
  { role: 'staff', route: '/packages/commendations/targets/index' },
]

describeBrowser('forms that forgive', () => {
  const suite = browserSuite()

  test('errors clear as fields become right, dates in any common form, then 首页 says it waits for the branch', async () => {
    const { page: a, errors: pageErrors, close } = await newMobilePage(suite.browser)
    await loginAs(a, suite.server.url, 'applicant')
    await openRoute(a, suite.server.url, REGISTER)
    // 登记 asks for the privacy consent first (the guide, and separately the ID number): agree, as a new user does.
    const consent = a.getByTestId('consent-form')
    await consent.waitFor({ timeout: 15_000 })
    await consent.getByTestId('consent-guide').click()
    await consent.getByTestId('consent-sensitive').click()
    await consent.getByTestId('consent-agree').click()
    await a.getByTestId('register-form').waitFor({ timeout: 15_000 })
    const field = (name: string) => a.getByTestId(`f-${name}`)
    const count = async () => (await a.getByTestId('form-error').innerText()).match(/还有 (\d+) 项/)?.[1]

    await a.getByTestId('submit-registration').click()
    await expect.poll(count).toBeDefined()
    const before = Number(await count())
    expect(before).toBeGreaterThanOrEqual(8)

    // The whole box takes the tap: a tap near its bottom edge focuses the field.
    // (Pressing 提交登记 scrolled the page to the bottom: back up to the name, as a person would.)
    const nameBox = field('name').locator('taro-input-core')
    await nameBox.scrollIntoViewIfNeeded()
    const box = (await nameBox.boundingBox())!
    expect(box.height).toBeGreaterThanOrEqual(44)
    await a.mouse.click(box.x + box.width / 2, box.y + box.height - 4)
    await expect.poll(() => a.evaluate(() => document.activeElement?.tagName)).toBe('INPUT')

    // Typing a right value removes its error at once, and the count drops by one each time.
    await a.keyboard.type('郭新民')
    await expect.poll(() => field('name').getByTestId('field-error').count()).toBe(0)
    await expect.poll(count).toBe(String(before - 1))
    await field('phone').locator('input').fill('1391234')
    await expect.poll(() => field('phone').getByTestId('field-error').count()).toBe(1)
    await field('phone').locator('input').fill('13912345678')
    await expect.poll(() => field('phone').getByTestId('field-error').count()).toBe(0)

    const birth = '1986-04-18'
    await field('idNumber').locator('input').fill(makeIdNumber(birth, genders[0], 62, '410523'))
    await field('gender').getByText(GENDER_LABELS[genders[0]], { exact: true }).click()
    // Dates as people write them: each accepted, and settled to 年-月-日 on leaving the field.
    await field('birthDate').locator('input').fill('1986年4月18日')
    await expect.poll(() => field('birthDate').getByTestId('field-error').count()).toBe(0)
    await field('birthDate').locator('input').blur()
    await expect.poll(() => field('birthDate').locator('input').inputValue()).toBe(birth)
    await field('organizationId').getByText('东风村党支部', { exact: true }).click()
    await field('category').getByText('正式党员', { exact: true }).click()
    for (const [typed, iso] of [['2012.07.01', '2012-07-01'], ['2012/7/1', '2012-07-01'], ['20120701', '2012-07-01']] as const) {
      await field('joinedAt').locator('input').fill(typed)
      await field('joinedAt').locator('input').blur()
      await expect.poll(() => field('joinedAt').locator('input').inputValue()).toBe(iso)
      await expect.poll(() => field('joinedAt').getByTestId('field-error').count()).toBe(0)
    }
    await field('confirmedAt').locator('input').fill('20130701')
    await expect.poll(() => a.getByTestId('field-error').count()).toBe(0)
    await expect.poll(() => a.getByTestId('form-error').count()).toBe(0)
    // No message names a field by its code.
    expect(await a.getByTestId('register-form').innerText()).not.toMatch(/[a-z][A-Za-z]+：|YYYY/)
    await shot(a, 'forms-register-forgiven')

    await a.getByTestId('submit-registration').click()
    await a.getByTestId('registration-status').waitFor({ timeout: 15_000 })
    // Back to 首页 (the registration page is a subpackage page, without the tab bar): the mounted 首页 reloads on show.
    await a.goBack()
    const waiting = visiblePage(a).getByTestId('registration-waiting')
    await waiting.waitFor()
    expect(await waiting.innerText()).toContain('东风村党支部')
    expect(await visiblePage(a).innerText()).not.toContain('您尚未登记为党员')
    await shot(a, 'forms-home-waiting')
    expect(pageErrors).toEqual([])
    await close()
  })

  test('every input and textarea takes a tap anywhere in its box, its padding included', async () => {
    for (const { role, route } of FORMS) {
      const { page, errors, close } = await newMobilePage(suite.browser)
      await loginAs(page, suite.server.url, role)
      await openRoute(page, suite.server.url, route)
      const boxes = visiblePage(page).locator('taro-input-core, taro-textarea-core')
      await boxes.first().waitFor()
      const n = await boxes.count()
      expect(n, route).toBeGreaterThan(0)
      for (let i = 0; i < n; i++) {
        const box = boxes.nth(i)
        await box.scrollIntoViewIfNeeded()
        const b = (await box.boundingBox())!
        expect(b.height, `${route} #${i}`).toBeGreaterThanOrEqual(44)
        // Near the bottom edge and near the left edge: where the box's padding is.
        for (const [x, y] of [[b.x + b.width / 2, b.y + b.height - 4], [b.x + 4, b.y + b.height / 2]] as const) {
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
          await page.mouse.click(x, y)
          await expect.poll(() => box.evaluate((el) => el.contains(document.activeElement) && /^(INPUT|TEXTAREA)$/.test(document.activeElement?.tagName ?? '')), { message: `${route} #${i} at ${Math.round(x - b.x)},${Math.round(y - b.y)}` }).toBe(true)
        }
      }
      expect(errors, route).toEqual([])
      await close()
    }
  })
})
