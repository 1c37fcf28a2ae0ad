/**
 * Issue 22.3: 首页 opened cold without signal (a full reload, as when the member opens the app in the field) shows
 * what the phone kept — the greeting, today's study and the political birthday — each marked 离线 · 上次更新, within
 * seconds, not a spinner or an error.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { startAppServer, type AppServer } from '../helpers/app-server'
import { appKeptOnDevice, describeBrowser, launchBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage, type TestBrowser } from './helpers'

describeBrowser('首页 without signal', () => {
  let server: AppServer
  let browser: TestBrowser
  let context: BrowserContext
  let member: Page
  beforeAll(async () => {
    server = await startAppServer({ now: '2026-06-15T09:00:00+08:00' })
    browser = await launchBrowser()
    const mobile = await newMobilePage(browser)
    member = mobile.page
    context = member.context()
    await loginAs(member, server.url, 'member')
    await appKeptOnDevice(member)
  })
  afterEach(async () => {
    await context?.setOffline(false)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  test('首页 opened cold offline shows the kept greeting, study and birthday, marked 离线', async () => {
    await openRoute(member, server.url, '/pages/home/index')
    await member.reload()
    await visiblePage(member).getByTestId('today-minutes').waitFor()
    const greetingOnline = await visiblePage(member).getByTestId('greeting').innerText()
    await context.setOffline(true)
    await member.reload()
    const home = visiblePage(member)
    // Both cards say where their figures come from; the greeting names the member from the kept account.
    await expect.poll(() => home.getByTestId('offline-note').count(), { timeout: 30_000 }).toBe(2)
    for (const note of await home.getByTestId('offline-note').all()) expect(await note.innerText()).toContain('离线 · 上次更新')
    expect((await home.getByTestId('greeting').innerText()).split('，')[1]).toBe(greetingOnline.split('，')[1])
    await home.getByTestId('today-minutes').waitFor()
    await shot(member, 'offline-home-cold')
  })
})
