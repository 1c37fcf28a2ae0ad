/**
 * Registration in the H5 app: a fresh WeChat user registers (inline validation
 * first), the branch secretary approves it on 注册审核, and the new member then
 * sees their own file on 我的. Also screenshots the roster, a member's detail
 * and the import/export page for review.
 */
import { expect, test } from 'vitest'
import { makeIdNumber } from '../../db/seed/identity'
import { agreeBeforeRegistering, browserSuite, describeBrowser, loginAs, newMobilePage, openRoute, shot } from './helpers'

const REGISTER = '/packages/members/register/index'
const REVIEW = '/packages/members/review/index'
const ROSTER = '/packages/members/roster/index'
const IO = '/packages/members/io/index'

const NAME = '郭新民'
const BIRTH = '1986-04-18'
const ID_NUMBER = makeIdNumber(BIRTH, 'male', 61, '410523')

describeBrowser('member registration in the app', () => {
  const suite = browserSuite()

  test('register as a new user → the branch secretary approves → the new member sees their profile', async () => {
    const applicant = await newMobilePage(suite.browser)
    const a = applicant.page
    await loginAs(a, suite.server.url, 'applicant')
    await openRoute(a, suite.server.url, REGISTER)
    await agreeBeforeRegistering(a)
    const form = a.getByTestId('register-form')
    await form.waitFor()
    const field = (name: string) => a.getByTestId(`f-${name}`)

    // Submitting an empty form marks every missing field, in Chinese.
    await a.getByTestId('submit-registration').click()
    await expect.poll(() => a.getByTestId('form-error').innerText()).toContain('需要修改')
    expect(await field('name').getByTestId('field-error').innerText()).toContain('请填写姓名')

    await field('name').locator('input').fill(NAME)
    // A wrong check digit is caught as soon as the field is left.
    const wrong = ID_NUMBER.slice(0, 17) + (ID_NUMBER.endsWith('1') ? '2' : '1')
    await field('idNumber').locator('input').fill(wrong)
    await field('idNumber').locator('input').blur()
    await expect.poll(() => field('idNumber').getByTestId('field-error').innerText()).toContain('校验位')
    await field('idNumber').locator('input').fill(ID_NUMBER)
    await field('gender').getByText('男', { exact: true }).click()
    await field('birthDate').locator('input').fill('1986.4.18')
    await field('birthDate').locator('input').blur()
    await expect.poll(() => field('birthDate').locator('input').inputValue()).toBe(BIRTH)
    await field('phone').locator('input').fill('13912345678')
    await field('organizationId').getByText('东风村党支部', { exact: true }).click()
    await field('category').getByText('正式党员', { exact: true }).click()
    // 17 years old at 入党日期: refused inline.
    await field('joinedAt').locator('input').fill('2003-07-01')
    await field('joinedAt').locator('input').blur()
    await expect.poll(() => field('joinedAt').getByTestId('field-error').innerText()).toContain('18')
    await shot(a, 'members-register-errors')
    await field('joinedAt').locator('input').fill('2012-07-01')
    await field('joinedAt').locator('input').blur()
    await field('confirmedAt').locator('input').fill('2013-07-01')
    await field('confirmedAt').locator('input').blur()
    await expect.poll(() => a.getByTestId('field-error').count()).toBe(0)
    await shot(a, 'members-register-filled')
    await a.getByTestId('submit-registration').click()

    await a.getByTestId('registration-status').waitFor({ timeout: 15_000 })
    expect(await a.getByTestId('registration-status-badge').innerText()).toBe('待审核')
    await shot(a, 'members-register-pending')

    // The secretary of 东风村党支部 (the first branch's secretary is the first demo secretary).
    const secretary = await newMobilePage(suite.browser)
    const s = secretary.page
    await loginAs(s, suite.server.url, 'secretary', 0)
    await openRoute(s, suite.server.url, REVIEW)
    await s.getByTestId('review-page').waitFor()
    const card = s.getByTestId('registration-card').filter({ hasText: NAME })
    await card.waitFor({ timeout: 15_000 })
    expect(await card.innerText()).toContain(`${ID_NUMBER.slice(0, 4)}${'*'.repeat(13)}${ID_NUMBER.slice(-1)}`)
    expect(await card.innerText()).not.toContain(ID_NUMBER)
    await shot(s, 'members-review-pending')
    await card.getByTestId('approve').click()
    await s.locator('.taro__modal').getByText('通过', { exact: true }).click()
    await expect.poll(() => s.getByTestId('registration-card').filter({ hasText: NAME }).count(), { timeout: 15_000 }).toBe(0)

    // The applicant, still on the status card, asks for the result: /api/me hands back a
    // session with the member role and the page sends them on to their file on 我的.
    await a.getByTestId('refresh-status').click()
    await a.getByTestId('already-member').waitFor({ timeout: 15_000 })
    await shot(a, 'members-register-approved')
    await a.getByTestId('go-profile').click()
    await expect.poll(() => a.getByTestId('profile-name').innerText(), { timeout: 15_000 }).toBe(NAME)
    expect(await a.getByTestId('profile-branch').innerText()).toBe('东风村党支部')
    expect(await a.getByTestId('profile-standing').innerText()).toBe('12年') // 转正 2013-07-01, today 2026-06-15
    expect(await a.getByTestId('profile-id').innerText()).toBe(`${ID_NUMBER.slice(0, 4)}${'*'.repeat(13)}${ID_NUMBER.slice(-1)}`)
    await shot(a, 'members-new-member-profile')

    // The secretary's roster now lists the new member, phone masked.
    await openRoute(s, suite.server.url, ROSTER)
    await s.getByTestId('roster-page').waitFor()
    await s.getByTestId('roster-search').locator('input').fill(NAME)
    await s.getByTestId('roster-search-button').click()
    const row = s.getByTestId('roster-row').filter({ hasText: NAME })
    await row.waitFor({ timeout: 15_000 })
    expect(await row.innerText()).toContain('139****5678')
    await row.click()
    await s.getByTestId('member-detail').waitFor()
    expect(await s.getByTestId('detail-phone').innerText()).toBe('13912345678')
    await shot(s, 'members-detail-secretary')

    expect(applicant.errors.filter((e) => !e.includes('favicon'))).toEqual([])
    await applicant.close()
    await secretary.close()
  })

  test('staff: roster with filters, the audited ID reveal, and the import/export page', async () => {
    const staff = await newMobilePage(suite.browser)
    const p = staff.page
    await loginAs(p, suite.server.url, 'staff')
    await openRoute(p, suite.server.url, ROSTER)
    await p.getByTestId('roster-page').waitFor()
    await p.getByTestId('roster-row').first().waitFor()
    await shot(p, 'members-roster-staff')
    await p.getByTestId('filter-category').getByText('预备党员', { exact: true }).click()
    await expect.poll(async () => (await p.getByTestId('roster-row').allInnerTexts()).every((t) => t.includes('预备党员'))).toBe(true)
    await p.getByTestId('roster-row').first().click()
    await p.getByTestId('member-detail').waitFor()
    const masked = await p.getByTestId('detail-id').innerText()
    expect(masked).toMatch(/^\d{4}\*{13}[\dX]$/)
    await p.getByTestId('reveal-id').click()
    await p.locator('.taro__modal').getByText('查看', { exact: true }).click()
    await expect.poll(() => p.getByTestId('detail-id').innerText()).toMatch(/^\d{17}[\dX]$/)
    await shot(p, 'members-detail-staff-revealed')

    await openRoute(p, suite.server.url, IO)
    await p.getByTestId('import-card').waitFor()
    await shot(p, 'members-import-export')
    await staff.close()
  })
})
