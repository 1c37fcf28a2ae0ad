/**
 * A collective study set up for later today: its page says, in plain neutral words, when the sign-in code opens
 * (an hour before the start), with no red "出错了"; when the time comes the code appears by itself.
 */
import { expect, test } from 'vitest'
import { studyWays } from '../../shared/study'
import { browserSuite, describeBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage } from './helpers'

const EVENT = '/packages/study/event/index'

describeBrowser('a study event later today', () => {
  const suite = browserSuite()

  test('says when its sign-in code opens, then shows the code when it does', async () => {
    const secretary = await newMobilePage(suite.browser)
    const page = secretary.page
    // The page's own timers run on a clock the test moves, so the wait for the opening takes no hours.
    await page.clock.install()
    await loginAs(page, suite.server.url, 'secretary')
    // Filed with the same demo secretary the page signed in as (the first one).
    const login = await fetch(`${suite.server.url}/api/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'secretary' }) })
    const { token } = (await login.json()) as { token: string }
    const created = await fetch(`${suite.server.url}/api/study/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'browser-later-today' },
      // The server's day is 2026-06-15, 10:00 in Beijing: this afternoon at 15:00, so its code opens at 14:00.
      body: JSON.stringify({ way: studyWays[2], topic: '集中学习：下午场', place: '村部会议室', startsAt: '2026-06-15T15:00:00+08:00', endsAt: '2026-06-15T16:30:00+08:00' }),
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: number }

    await openRoute(page, suite.server.url, `${EVENT}?id=${id}`)
    const waiting = visiblePage(page).getByTestId('event-qr-waiting')
    await waiting.waitFor()
    expect(await waiting.innerText()).toContain('签到码将于 14:00 开放')
    expect(await visiblePage(page).innerText()).not.toMatch(/出错了|不在签到时间内/)
    expect(await visiblePage(page).locator('.dj-state__mark--error').count()).toBe(0)
    await shot(page, 'study-event-later-today')

    // 14:00 on the server: the page asks again by itself (at most ten minutes later) and shows the code.
    suite.server.clock.set(new Date('2026-06-15T14:00:30+08:00'))
    await page.clock.runFor(10 * 60_000)
    await visiblePage(page).getByTestId('event-qr').locator('img').waitFor()
    await shot(page, 'study-event-opened')
    // Four hours on, the access token has expired: the client renews it after one 401 (logged as a failed resource).
    const renewal = /Failed to load resource: the server responded with a status of 401/
    expect(secretary.errors.filter((e) => !/favicon/.test(e) && !renewal.test(e))).toEqual([])
    await secretary.close()
  })
})
