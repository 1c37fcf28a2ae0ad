/**
 * Weak signal (issue 22, issue 19.7) in Chromium's offline emulation: a member
 * checks in without signal, closes the app, comes back online and the entry
 * appears once on the day it was made (离线补传); a collective-study sign-in
 * scanned offline in the room is credited after the event; a write kept past
 * the bound is refused with the reason and stays listed as refused; a tab or a
 * page opened offline says so (kept data marked 离线, or an error with retry).
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { startAppServer, type AppServer } from '../helpers/app-server'
import { describeBrowser, ensureH5Build, launchBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage, type TestBrowser } from './helpers'

const STUDY = '/pages/study/index'
const button = (page: Page, text: string) => visiblePage(page).locator('taro-button-core').filter({ hasText: text })

/** The member's study page, freshly loaded online (which also syncs the phone's record of the server's clock). */
async function studyOnline(page: Page, server: AppServer) {
  await openRoute(page, server.url, STUDY)
  await visiblePage(page).getByTestId('study-ring').waitFor()
}

async function reportOffline(page: Page, topic: string) {
  await visiblePage(page).getByTestId('report-topic').locator('input').fill(topic)
  await button(page, '提交填报').click()
  await expect.poll(() => visiblePage(page).getByTestId('study-form-message').innerText()).toContain('待上传')
}

describeBrowser('weak signal', () => {
  let server: AppServer
  let browser: TestBrowser
  let context: BrowserContext
  let member: Page
  beforeAll(async () => {
    ensureH5Build()
    server = await startAppServer({ now: '2026-06-15T09:00:00+08:00' })
    browser = await launchBrowser()
    const mobile = await newMobilePage(browser)
    member = mobile.page
    context = member.context()
    await loginAs(member, server.url, 'member')
  })
  // A test that fails offline must not leave the next one without signal.
  afterEach(async () => {
    await context?.setOffline(false)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  test('a check-in made offline at 23:50 survives closing the app and lands once on its own day', async () => {
    server.clock.set(new Date('2026-06-15T23:40:00+08:00'))
    await studyOnline(member, server)
    await context.setOffline(true)
    await reportOffline(member, '阅读党章（纸质版）')
    const pending = visiblePage(member).getByTestId('queued-write').filter({ hasText: '阅读党章（纸质版）' })
    expect(await pending.getAttribute('data-state')).toBe('pending')
    await shot(member, 'offline-checkin-pending')
    await member.close()

    // The next morning, with signal: the app is opened again.
    server.clock.set(new Date('2026-06-16T07:30:00+08:00'))
    await context.setOffline(false)
    member = await context.newPage()
    await studyOnline(member, server)
    const sent = visiblePage(member).getByTestId('queued-write').filter({ hasText: '阅读党章（纸质版）' })
    await expect.poll(() => sent.getAttribute('data-state'), { timeout: 15_000 }).toBe('sent')
    expect(await sent.innerText()).toContain('6月15日')
    const recent = visiblePage(member).getByTestId('study-recent')
    await expect.poll(() => recent.innerText()).toContain('阅读党章（纸质版）')
    const text = await recent.innerText()
    expect(text.split('阅读党章（纸质版）').length - 1).toBe(1)
    expect(text).toContain('06月15日')
    expect(text).toContain('离线补传')
    // Today (the 16th) has none of it.
    expect(await visiblePage(member).getByTestId('study-ring').getAttribute('data-minutes')).toBe('0')
  })

  test('a check-in kept offline past the bound is refused with the reason and stays listed as refused', async () => {
    await studyOnline(member, server)
    await context.setOffline(true)
    await reportOffline(member, '听广播学习')
    server.clock.advance(25 * 60)
    await context.setOffline(false)
    const refused = visiblePage(member).getByTestId('queued-write').filter({ hasText: '听广播学习' })
    await expect.poll(() => refused.getAttribute('data-state'), { timeout: 15_000 }).toBe('refused')
    expect(await refused.innerText()).toContain('24小时')
    await member.reload()
    await visiblePage(member).getByTestId('study-ring').waitFor()
    expect(await visiblePage(member).getByTestId('queued-write').filter({ hasText: '听广播学习' }).getAttribute('data-state')).toBe('refused')
    await shot(member, 'offline-checkin-refused')
  })
})

