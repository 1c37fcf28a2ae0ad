/**
 * 县内跨镇转接 end to end in the H5 app, through both committees: a member of 红旗镇 picks a branch of 柳林乡
 * (grouped by township), their secretary agrees, 红旗镇's staff approve (the letter, ten days in the county),
 * 柳林乡's receiving secretary finds it in 待我办理, 柳林乡's staff 确认接收, and the member sees 已完成.
 */
import { expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { browserSuite, describeBrowser, loginAs, newMobilePage, openRoute, shot, takeTransferStep, visiblePage } from './helpers'

const TRANSFERS = '/packages/transfers/index/index'
const DESTINATION = '北坡村党支部'

describeBrowser('县内跨镇转接 in the app', () => {
  const suite = browserSuite()

  async function inboxRow(page: Page, memberName: string) {
    await openRoute(page, suite.server.url, TRANSFERS)
    const inbox = visiblePage(page).getByTestId('transfer-inbox')
    await inbox.waitFor()
    const row = inbox.getByTestId('transfer-row').filter({ hasText: memberName })
    await row.waitFor({ timeout: 15_000 })
    return row
  }

  test('红旗镇 files and issues the letter, 柳林乡 receives the member', async () => {
    const member = await newMobilePage(suite.browser)
    const m = member.page
    const memberName = await loginAs(m, suite.server.url, 'member')
    await openRoute(m, suite.server.url, TRANSFERS)
    await visiblePage(m).getByTestId('apply-cross-township').click()
    const form = visiblePage(m).getByTestId('transfer-apply')
    await form.waitFor()
    // The other township's branches, under its name; none of 红旗镇's own.
    const group = form.locator('[data-testid^="apply-township-"]', { hasText: '柳林乡党委' })
    await group.waitFor()
    expect(await form.getByTestId('apply-county-branch').first().innerText()).not.toContain('红旗')
    await group.getByText(DESTINATION).click()
    await form.getByTestId('apply-reason').getByText('居住地变更').click()
    await form.getByTestId('contact-phone').locator('input').fill('13812345678')
    await shot(m, 'cross-township-apply')
    await form.getByTestId('submit-transfer').click()
    const detail = visiblePage(m).getByTestId('transfer-detail')
    await detail.waitFor({ timeout: 15_000 })
    await expect.poll(() => detail.getByTestId('transfer-state').first().innerText()).toBe('待支部审核')
    const branchName = (await detail.locator('.dj-form-kv', { hasText: '转出支部' }).locator('.dj-form-kv__value').innerText()).trim()

    // 红旗镇: the branch secretary agrees, the committee approves (the letter: 壹拾天 within the county).
    const sA = (await newMobilePage(suite.browser)).page
    await loginAs(sA, suite.server.url, 'secretary', branchName)
    await takeTransferStep(await inboxRow(sA, memberName), 'review')
    const stA = (await newMobilePage(suite.browser)).page
    await loginAs(stA, suite.server.url, 'staff', '红旗镇党委')
    const approveRow = await inboxRow(stA, memberName)
    await approveRow.getByTestId('step-approve').click()
    await expect.poll(() => approveRow.getByTestId('step-confirm').innerText()).toContain('壹拾天')
    await approveRow.getByTestId('step-confirm-button').click()
    // The letter is out: nothing of it waits for 红旗镇 any more (the 回执 is 柳林乡's to record).
    await expect.poll(() => visiblePage(stA).getByTestId('transfer-row').filter({ hasText: memberName }).count(), { timeout: 15_000 }).toBe(0)

    // 柳林乡: the receiving branch's secretary sees it waiting with 确认接收; the township's staff receive it.
    const sB = (await newMobilePage(suite.browser)).page
    await loginAs(sB, suite.server.url, 'secretary', DESTINATION)
    const waiting = await inboxRow(sB, memberName)
    expect(await waiting.getByTestId('step-receive').innerText()).toContain('确认接收')
    await shot(sB, 'cross-township-receiving-secretary')
    const stB = (await newMobilePage(suite.browser)).page
    await loginAs(stB, suite.server.url, 'staff', '柳林乡党委')
    const receiveRow = await inboxRow(stB, memberName)
    await receiveRow.getByTestId('step-receive').click()
    await expect.poll(() => receiveRow.getByTestId('step-confirm').innerText()).toContain('转入本支部名册')
    await receiveRow.getByTestId('step-confirm-button').click()
    await expect.poll(() => visiblePage(stB).getByTestId('transfer-row').filter({ hasText: memberName }).count(), { timeout: 15_000 }).toBe(0)
    await shot(stB, 'cross-township-received')

    // The member follows it to the end.
    await openRoute(m, suite.server.url, TRANSFERS)
    await visiblePage(m).getByTestId('transfer-mine').getByTestId('transfer-row').filter({ hasText: '已完成' }).first().click()
    const done = visiblePage(m).getByTestId('transfer-detail')
    await done.waitFor()
    await expect.poll(() => done.getByTestId('transfer-state').first().innerText()).toBe('已完成')
    const timeline = await done.getByTestId('timeline').innerText()
    for (const text of ['支部审核通过', '党委审批通过', '确认接收并登记回执']) expect(timeline).toContain(text)
    expect(await done.innerText()).toContain(DESTINATION)
  })
})
