/**
 * 投诉建议 in the app: a member opens it from 我的, sends a 建议; township staff
 * see it and reply; the member reads the reply and the state 已答复. A complaint
 * about the township committee itself is handled by the county instead: the
 * township's staff never see it, county staff reply.
 */
import type { Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { clickTab, describeBrowser, browserSuite, loginAs, newMobilePage, openRoute, shot, visiblePage } from './helpers'

const FEEDBACK = '/packages/feedback/index/index'
const button = (page: Page, text: string) => visiblePage(page).locator('taro-button-core').filter({ hasText: text })

describeBrowser('投诉建议', () => {
  const suite = browserSuite()

  test('a member sends a 建议, staff reply, the member reads the reply', async () => {
    const member = await newMobilePage(suite.browser)
    const m = member.page
    await loginAs(m, suite.server.url, 'member')
    await clickTab(m, '我的')
    await visiblePage(m).getByTestId('me-feedback').click()
    await visiblePage(m).getByTestId('feedback-form').waitFor()
    await visiblePage(m).getByTestId('kind-suggestion').click()
    await visiblePage(m).getByTestId('feedback-text').locator('textarea').fill('建议学习页的字再大一点，老党员看得清')
    await button(m, '提交').click()
    await expect.poll(() => visiblePage(m).getByTestId('feedback-message').innerText()).toContain('已提交')
    const item = visiblePage(m).getByTestId('feedback-item').filter({ hasText: '老党员看得清' })
    await expect.poll(() => item.getByTestId('feedback-state').innerText()).toBe('待处理')
    await shot(m, 'feedback-member-sent')

    const staff = await newMobilePage(suite.browser)
    const s = staff.page
    await loginAs(s, suite.server.url, 'staff')
    await openRoute(s, suite.server.url, FEEDBACK)
    const theirs = visiblePage(s).getByTestId('feedback-item').filter({ hasText: '老党员看得清' })
    await theirs.waitFor()
    await theirs.getByTestId('reply-text').locator('textarea').fill('已请技术人员调大字号，谢谢您的建议')
    await theirs.getByTestId('send-reply').click()
    await expect.poll(() => theirs.getByTestId('feedback-state').innerText()).toBe('已答复')
    await shot(s, 'feedback-staff-replied')

    await openRoute(m, suite.server.url, FEEDBACK)
    const mine = visiblePage(m).getByTestId('feedback-item').filter({ hasText: '老党员看得清' })
    await expect.poll(() => mine.getByTestId('feedback-reply').innerText()).toContain('调大字号')
    expect(await mine.getByTestId('feedback-state').innerText()).toBe('已答复')
    await shot(m, 'feedback-member-reply')
    for (const p of [member, staff]) expect(p.errors.filter((e) => !/favicon/.test(e))).toEqual([])
    await member.close()
    await staff.close()
  })

  test('a complaint about the township committee: the form says the county handles it, township staff never see it, county staff reply', async () => {
    const member = await newMobilePage(suite.browser)
    const m = member.page
    await loginAs(m, suite.server.url, 'member')
    await openRoute(m, suite.server.url, FEEDBACK)
    await visiblePage(m).getByTestId('feedback-form').waitFor()
    await visiblePage(m).getByTestId('kind-complaint').click()
    await visiblePage(m).getByTestId('topic-township').click()
    await expect.poll(() => visiblePage(m).getByTestId('feedback-handler').innerText()).toContain('由县委组织部办理')
    await visiblePage(m).getByTestId('feedback-text').locator('textarea').fill('镇里盖章要跑三趟，希望一次办好')
    await button(m, '提交').click()
    await expect.poll(() => visiblePage(m).getByTestId('feedback-message').innerText()).toContain('县委组织部会尽快答复')
    await shot(m, 'feedback-member-township-complaint')

    const staff = await newMobilePage(suite.browser)
    await loginAs(staff.page, suite.server.url, 'staff')
    await openRoute(staff.page, suite.server.url, FEEDBACK)
    await visiblePage(staff.page).getByTestId('feedback-form').waitFor()
    await visiblePage(staff.page).getByText('本镇收到的投诉建议').waitFor()
    await staff.page.waitForLoadState('networkidle')
    expect(await visiblePage(staff.page).getByText('盖章要跑三趟').count()).toBe(0)

    const county = await newMobilePage(suite.browser)
    const c = county.page
    await loginAs(c, suite.server.url, 'county')
    await openRoute(c, suite.server.url, FEEDBACK)
    const theirs = visiblePage(c).getByTestId('feedback-item').filter({ hasText: '盖章要跑三趟' })
    await theirs.waitFor()
    await theirs.getByTestId('reply-text').locator('textarea').fill('已督促镇党委设一站式窗口')
    await theirs.getByTestId('send-reply').click()
    await expect.poll(() => theirs.getByTestId('feedback-state').innerText()).toBe('已答复')
    await shot(c, 'feedback-county-replied')

    await openRoute(m, suite.server.url, FEEDBACK)
    const mine = visiblePage(m).getByTestId('feedback-item').filter({ hasText: '盖章要跑三趟' })
    await expect.poll(() => mine.getByTestId('feedback-reply').innerText()).toContain('县委组织部答复')
    for (const p of [member, staff, county]) expect(p.errors.filter((e) => !/favicon/.test(e))).toEqual([])
    await member.close()
    await staff.close()
    await county.close()
  })
})
