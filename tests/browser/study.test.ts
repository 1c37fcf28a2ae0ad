/**
 * A member studies for an hour with the in-app timer (the server's clock is
 * moved forward an hour, as only tests and demos may, while the page's own
 * clock runs the presence confirmations every 3 minutes), the progress ring fills,
 * and the branch secretary sees only the branch's week as totals (one more hour,
 * one more member who studied), the care list, and no names with minutes.
 */
import type { Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { PRESENCE_INTERVAL_SECONDS } from '../../shared/study-timer'
import { browserSuite, clickTab, describeBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage } from './helpers'

const SUPERVISION = '/packages/study/supervision/index'
/** NutUI buttons: click the button element itself. */
const button = (page: Page, text: string) => visiblePage(page).locator('taro-button-core').filter({ hasText: text })

describeBrowser('daily study in the app', () => {
  const suite = browserSuite()

  test('a member times an hour of study: the ring fills; the secretary sees the totals move, the care list, and no names ranked by minutes', async () => {
    const member = await newMobilePage(suite.browser)
    const m = member.page
    // The page's timers run on a clock the test moves, so an hour of presence confirmations takes no hour.
    await m.clock.install()
    // The first demo member and the first secretary belong to the same branch (东风村).
    const memberName = await loginAs(m, suite.server.url, 'member')
    await clickTab(m, '学习')
    const ring = visiblePage(m).getByTestId('study-ring')
    await ring.waitFor()
    expect(await ring.getAttribute('data-minutes')).toBe('0')
    await visiblePage(m).getByTestId('study-calendar').waitFor()
    await shot(m, 'study-member-before')

    const secretary = await newMobilePage(suite.browser)
    const s = secretary.page
    await loginAs(s, suite.server.url, 'secretary')
    await openRoute(s, suite.server.url, SUPERVISION)
    const week = visiblePage(s).getByTestId('study-week')
    await week.waitFor()
    const studiedBefore = Number(await visiblePage(s).getByTestId('studied-members').innerText())
    await visiblePage(s).getByTestId('care-list').waitFor()
    // Aggregates only: the member's name appears nowhere on the secretary's page, and nothing words a ranking.
    expect(await week.innerText()).not.toContain(memberName)
    expect(await week.innerText()).not.toMatch(/排名|未满60|请提醒|分钟）/)
    await shot(s, 'study-secretary-before')

    // Start the timer, an hour passes on the server, finish.
    const firstPresence = m.waitForResponse((r) => r.url().includes('/presence'))
    await button(m, '开始计时学习').click()
    await visiblePage(m).getByText('正在计时学习').waitFor()
    await firstPresence
    await shot(m, 'study-member-timing')
    // Every 3 minutes the open page confirms the member is there; credit follows the confirmations.
    for (let minute = 0; minute < 60; minute += 3) {
      suite.server.clock.advance(3)
      // After 15 minutes the access token has expired: the client renews it and repeats, so wait for the answered one.
      const confirmed = m.waitForResponse((r) => r.url().includes('/presence') && r.ok())
      await m.clock.runFor(PRESENCE_INTERVAL_SECONDS * 1000)
      expect((await (await confirmed).json()).session.status).toBe('open')
    }
    await expect.poll(() => visiblePage(m).getByTestId('timer-elapsed').innerText()).toContain('1小时')
    await button(m, '结束学习').click()
    await expect.poll(() => visiblePage(m).getByTestId('timer-message').innerText()).toContain('已记入 1小时')
    await expect.poll(() => ring.getAttribute('data-minutes')).toBe('60')
    expect(await ring.getAttribute('data-met')).toBe('yes')
    expect(await ring.innerText()).toContain('60')
    await expect.poll(() => visiblePage(m).getByTestId('study-recent').innerText()).toContain('计时学习')
    await shot(m, 'study-member-after')

    // The secretary reloads: one more member recorded study this week, still no names.
    await openRoute(s, suite.server.url, SUPERVISION)
    await expect.poll(async () => Number(await visiblePage(s).getByTestId('studied-members').innerText())).toBe(studiedBefore + 1)
    expect(await visiblePage(s).getByTestId('study-week').innerText()).not.toContain(memberName)
    await shot(s, 'study-secretary-after')

    // The branch's collective study: the event in progress shows its sign-in QR code.
    await visiblePage(s).getByTestId('tab-events').click()
    await visiblePage(s).getByTestId('event-item').first().waitFor()
    await shot(s, 'study-secretary-events')
    await visiblePage(s).getByTestId('event-item').first().locator('.dj-sv__line--strong').click()
    await visiblePage(s).getByTestId('event-qr').locator('img').waitFor()
    await shot(s, 'study-event-qr')

    // Staff: the township summary with the 30-day trend.
    const staff = await newMobilePage(suite.browser)
    await loginAs(staff.page, suite.server.url, 'staff')
    await openRoute(staff.page, suite.server.url, SUPERVISION)
    await visiblePage(staff.page).getByTestId('tab-township').click()
    await visiblePage(staff.page).getByTestId('trend-chart').waitFor()
    expect(await visiblePage(staff.page).getByTestId('branch-total').count()).toBe(5)
    expect(await visiblePage(staff.page).getByTestId('study-summary').innerText()).not.toMatch(/%|排名|达标率/)
    await shot(staff.page, 'study-staff-summary')

    // The server's clock moved an hour in 3-minute steps, past the member's 15-minute access token four times: each
    // time the client renewed it after one 401 (which Chromium logs as a failed resource) and carried on, so at most
    // one 401 per token lifetime (plus the one the page may meet on load); no other error is allowed.
    const renewal = /Failed to load resource: the server responded with a status of 401/
    expect(member.errors.filter((e) => renewal.test(e)).length).toBeLessThanOrEqual(60 / 15 + 1)
    for (const p of [member, secretary, staff]) expect(p.errors.filter((e) => !/favicon/.test(e) && !renewal.test(e))).toEqual([])
    await member.close()
    await secretary.close()
    await staff.close()
  })
})
