/**
 * The member-fact rules as people meet them in the app: the registration form
 * and the staff edit name the earliest possible 转正日期, and staff record an
 * extended 预备期 on the member's page.
 */
import { expect, test } from 'vitest'
import { makeIdNumber } from '../../db/seed/identity'
import { agreeBeforeRegistering, browserSuite, describeBrowser, loginAs, newMobilePage, openRoute, shot } from './helpers'

const REGISTER = '/packages/members/register/index'
const ROSTER = '/packages/members/roster/index'

describeBrowser('member rules in the app', () => {
  const suite = browserSuite()

  test('registration: the 转正 field names the earliest date, and an earlier one is refused in Chinese', async () => {
    const { page: a } = await newMobilePage(suite.browser)
    await loginAs(a, suite.server.url, 'applicant')
    await openRoute(a, suite.server.url, REGISTER)
    await agreeBeforeRegistering(a)
    await a.getByTestId('register-form').waitFor()
    const field = (name: string) => a.getByTestId(`f-${name}`)
    await field('name').locator('input').fill('吴立春')
    await field('idNumber').locator('input').fill(makeIdNumber('1984-02-29', 'female', 62, '410523'))
    await field('gender').getByText('女', { exact: true }).click()
    await field('birthDate').locator('input').fill('1984-02-29')
    await field('phone').locator('input').fill('13912345679')
    await field('organizationId').getByText('东风村党支部', { exact: true }).click()
    await field('category').getByText('正式党员', { exact: true }).click()
    await field('joinedAt').locator('input').fill('2012-02-29')
    await field('joinedAt').locator('input').blur()
    await expect.poll(() => field('confirmedAt').innerText()).toContain('最早可于 2013-02-28 转正')
    await field('confirmedAt').locator('input').fill('2012-03-01')
    await field('confirmedAt').locator('input').blur()
    await expect.poll(() => field('confirmedAt').getByTestId('field-error').innerText()).toContain('最早可于 2013-02-28 转正')
    await shot(a, 'member-rules-register-early-confirmation')
    await field('confirmedAt').locator('input').fill('2013-02-28')
    await field('confirmedAt').locator('input').blur()
    await expect.poll(() => a.getByTestId('field-error').count()).toBe(0)
  })

  test('staff edit: an early 转正 is refused naming the earliest date; an extension of the 预备期 is recorded', async () => {
    const { page: p } = await newMobilePage(suite.browser)
    await loginAs(p, suite.server.url, 'staff')
    await openRoute(p, suite.server.url, ROSTER)
    await p.getByTestId('roster-page').waitFor()
    await p.getByTestId('roster-search').locator('input').fill('陈晓梅')
    await p.getByTestId('roster-search-button').click()
    await p.getByTestId('roster-row').filter({ hasText: '陈晓梅' }).click()
    await p.getByTestId('member-detail').waitFor()
    await p.getByTestId('edit-member').click()
    const form = p.getByTestId('edit-form')
    await form.waitFor()
    await form.getByText('正式党员', { exact: true }).click()
    // 入党 2023-05-10.
    await expect.poll(() => form.getByTestId('edit-confirmed-at').innerText()).toContain('最早可于 2024-05-10 转正')
    await form.getByTestId('edit-confirmed-at').locator('input').fill('2023-05-11')
    await p.getByTestId('save-member').click()
    await expect.poll(() => p.getByTestId('edit-error').innerText()).toContain('最早可于 2024-05-10 转正')
    await expect.poll(() => form.getByTestId('edit-confirmed-at').getByTestId('field-error').innerText()).toContain('预备期')
    await shot(p, 'member-rules-edit-early-confirmation')

    // The branch meeting extended the 预备期 by 12 months on 2024-05-10; 转正 a year later.
    await form.getByTestId('edit-extension').getByText('12个月', { exact: true }).click()
    await form.getByTestId('edit-extended-on').locator('input').fill('2024-05-10')
    await expect.poll(() => form.getByTestId('edit-confirmed-at').innerText()).toContain('最早可于 2025-05-10 转正')
    await form.getByTestId('edit-confirmed-at').locator('input').fill('2025-05-10')
    await p.getByTestId('save-member').click()
    await expect.poll(() => p.getByTestId('detail-extension').innerText(), { timeout: 15_000 }).toContain('12个月')
    await expect.poll(() => p.getByTestId('detail-standing').innerText()).toBe('1年')
    await shot(p, 'member-rules-edit-extension-saved')
  })
})
