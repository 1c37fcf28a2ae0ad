/**
 * First-use consent in the H5 app: a new user opens 登记 and meets the privacy guide before the form; the
 * boxes start unticked and the guide alone is not enough (the ID number has its own box); after agreeing the
 * form opens and the registration goes through. On 我的 → 隐私保护指引 the user sees what they agreed to and
 * withdraws, told plainly what that means; 登记 then asks again. The login page links to the guide.
 */
import { expect, test } from 'vitest'
import { makeIdNumber } from '../../db/seed/identity'
import { browserSuite, clearSession, describeBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage } from './helpers'

const REGISTER = '/packages/members/register/index'
const BIRTH = '1987-02-11'
const ID_NUMBER = makeIdNumber(BIRTH, 'female', 63, '410523')

describeBrowser('privacy guide and first-use consent', () => {
  const suite = browserSuite()

  test('a new user must agree before 登记, sees the guide, agrees, registers; then withdraws on 我的', async () => {
    const m = await newMobilePage(suite.browser)
    const a = m.page
    await loginAs(a, suite.server.url, 'applicant')
    await openRoute(a, suite.server.url, REGISTER)
    const view = visiblePage(a)
    await view.getByTestId('register-consent').waitFor({ timeout: 15_000 })
    expect(await view.getByTestId('register-form').count()).toBe(0)
    const guide = await view.getByTestId('privacy-guide').innerText()
    for (const words of ['隐私保护指引', '身份证号', '支部书记', '乡镇党委', '保存', '下载我的数据', '撤回', '投诉建议']) expect(guide).toContain(words)
    await shot(a, 'privacy-register-gate')

    const form = view.getByTestId('consent-form')
    // Nothing is ticked for the user.
    expect(await form.getByTestId('consent-guide').getAttribute('aria-checked')).toBe('false')
    expect(await form.getByTestId('consent-sensitive').getAttribute('aria-checked')).toBe('false')
    await form.getByTestId('consent-agree').click()
    await expect.poll(() => form.getByTestId('consent-error').innerText()).toContain('隐私保护指引')
    await form.getByTestId('consent-guide').click()
    await form.getByTestId('consent-agree').click()
    await expect.poll(() => form.getByTestId('consent-error').innerText()).toContain('身份证号')
    expect(await view.getByTestId('register-form').count()).toBe(0)
    await form.getByTestId('consent-sensitive').click()
    await form.getByTestId('consent-agree').click()

    await view.getByTestId('register-form').waitFor({ timeout: 15_000 })
    const field = (name: string) => view.getByTestId(`f-${name}`)
    await field('name').locator('input').fill('柳春梅')
    await field('idNumber').locator('input').fill(ID_NUMBER)
    await field('gender').getByText('女', { exact: true }).click()
    await field('birthDate').locator('input').fill(BIRTH)
    await field('birthDate').locator('input').blur()
    await field('ethnicity').locator('input').fill('汉族')
    await field('phone').locator('input').fill('13912340063')
    await field('organizationId').getByText('东风村党支部', { exact: true }).click()
    await field('category').getByText('正式党员', { exact: true }).click()
    await field('joinedAt').locator('input').fill('2012-07-01')
    await field('joinedAt').locator('input').blur()
    await field('confirmedAt').locator('input').fill('2013-07-01')
    await field('confirmedAt').locator('input').blur()
    await view.getByTestId('submit-registration').click()
    await view.getByTestId('registration-status').waitFor({ timeout: 15_000 })
    expect(await view.getByTestId('registration-status-badge').innerText()).toBe('待审核')
    await shot(a, 'privacy-registered')

    // 我的 → 隐私保护指引: what was agreed, and 撤回同意 with its meaning said plainly.
    await openRoute(a, suite.server.url, '/pages/me/index')
    await visiblePage(a).locator('.nut-cell', { hasText: '隐私保护指引' }).click()
    const page = visiblePage(a)
    await expect.poll(() => page.getByTestId('consent-agreed').innerText(), { timeout: 15_000 }).toContain('单独同意收集身份证号')
    await shot(a, 'privacy-page-agreed')
    await page.getByTestId('consent-withdraw').click()
    const modal = a.locator('.taro__modal')
    await expect.poll(() => modal.innerText()).toContain('不会因撤回而删除')
    await modal.getByText('确认撤回', { exact: true }).click()
    await visiblePage(a).getByTestId('consent-form').waitFor({ timeout: 15_000 })
    await shot(a, 'privacy-page-withdrawn')

    // Signed out, the login page links to the guide, readable without an account.
    await clearSession(a)
    await openRoute(a, suite.server.url, '/pages/login/index')
    await visiblePage(a).getByTestId('login-privacy').click()
    await expect.poll(() => visiblePage(a).getByTestId('privacy-guide').innerText(), { timeout: 15_000 }).toContain('身份证号')
    expect(await visiblePage(a).getByTestId('consent-form').count()).toBe(0)

    expect(m.errors.filter((e) => !e.includes('favicon'))).toEqual([])
    await m.close()
  })
})
