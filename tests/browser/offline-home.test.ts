/**
 * Issue 22.3: 首页 opened cold without signal (a full reload, as when the member opens the app in the field) shows
 * what the phone kept — the greeting, today's study and the political birthday — each marked 离线 · 上次更新, within
 * seconds, not a spinner or an error.
 */
import { expect, test } from 'vitest'
import { describeBrowser, offlinePhoneSuite, openRoute, shot, visiblePage } from './helpers'

describeBrowser('首页 without signal', () => {
  const phone = offlinePhoneSuite('2026-06-15T09:00:00+08:00')

  test('首页 opened cold offline shows the kept greeting, study and birthday, marked 离线', async () => {
    await openRoute(phone.member, phone.server.url, '/pages/home/index')
    await phone.member.reload()
    await visiblePage(phone.member).getByTestId('today-minutes').waitFor()
    const greetingOnline = await visiblePage(phone.member).getByTestId('greeting').innerText()
    await phone.context.setOffline(true)
    await phone.member.reload()
    const home = visiblePage(phone.member)
    // Both cards say where their figures come from; the greeting names the member from the kept account.
    await expect.poll(() => home.getByTestId('offline-note').count(), { timeout: 30_000 }).toBe(2)
    for (const note of await home.getByTestId('offline-note').all()) expect(await note.innerText()).toContain('离线 · 上次更新')
    expect((await home.getByTestId('greeting').innerText()).split('，')[1]).toBe(greetingOnline.split('，')[1])
    await home.getByTestId('today-minutes').waitFor()
    await shot(phone.member, 'offline-home-cold')
  })
})
