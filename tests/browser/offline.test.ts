/**
 * Weak signal (issue 22, issue 19.7) in Chromium's offline emulation: a member
 * checks in without signal, closes the app, comes back online and the entry
 * appears once on the day it was made (离线补传); a collective-study sign-in
 * scanned offline in the room is credited after the event; a write kept past
 * the bound is refused with the reason and stays listed as refused; a tab or a
 * page opened offline says so (kept data marked 离线, or an error with retry).
 */
import { expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { studyWays } from '../../shared/study'
import type { AppServer } from '../helpers/app-server'
import { appKeptOnDevice, clickTab, describeBrowser, loginAs, newMobilePage, offlinePhoneSuite, openRoute, shot, visiblePage } from './helpers'

const STUDY = '/pages/study/index'
const BIRTHDAY_SIGN_IN = '/packages/birthdays/sign-in/index'
const button = (page: Page, text: string) => visiblePage(page).locator('taro-button-core').filter({ hasText: text })

async function apiAs(server: AppServer, role: 'secretary' | 'member', method: string, path: string, body?: unknown) {
  const login = await fetch(`${server.url}/api/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role }) })
  const { token } = (await login.json()) as { token: string }
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `browser-${Math.random().toString(36).slice(2)}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return (await res.json()) as Record<string, unknown>
}

/** The member's study page, freshly loaded online (which also syncs the phone's record of the server's clock). */
async function studyOnline(page: Page, server: AppServer) {
  await openRoute(page, server.url, STUDY)
  // A page already on screen is not loaded again by a jump to its own route: reload it, so it reads (and syncs) now.
  await page.reload()
  // A full reload beside other suites on 2 cores (CI) can take longer than the default 30 s.
  await visiblePage(page).getByTestId('study-ring').waitFor({ timeout: 60_000 })
}

async function reportOffline(page: Page, topic: string) {
  await visiblePage(page).getByTestId('report-topic').locator('input').fill(topic)
  await button(page, '提交填报').click()
  await expect.poll(() => visiblePage(page).getByTestId('study-form-message').innerText()).toContain('待上传')
}

describeBrowser('weak signal', () => {
  const phone = offlinePhoneSuite('2026-06-15T09:00:00+08:00')

  test('offline, the 学习 tab opens on the kept data marked 离线, not on the old page', async () => {
    // 首页 has read today's study; now the signal goes.
    await visiblePage(phone.member).getByTestId('today-minutes').waitFor()
    await phone.context.setOffline(true)
    await clickTab(phone.member, '学习')
    await expect.poll(() => visiblePage(phone.member).getByTestId('offline-note').innerText()).toContain('离线 · 上次更新')
    await visiblePage(phone.member).getByTestId('study-ring').waitFor()
    await shot(phone.member, 'offline-study-tab')
    await phone.context.setOffline(false)
  })

  test('offline, the 政治生日 page (the oath included) opens again on what was kept, marked 离线', async () => {
    // Read once online; then the signal goes and the page is opened again from the phone (a full reload).
    await openRoute(phone.member, phone.server.url, BIRTHDAY_SIGN_IN)
    await phone.member.reload()
    await visiblePage(phone.member).getByTestId('oath').waitFor()
    await phone.context.setOffline(true)
    await phone.member.reload()
    const signIn = visiblePage(phone.member)
    await expect.poll(() => signIn.getByTestId('oath').innerText(), { timeout: 20_000 }).toContain('永不叛党。')
    await expect.poll(() => signIn.getByTestId('offline-note').innerText(), { timeout: 20_000 }).toContain('离线 · 上次更新')
    await shot(phone.member, 'offline-birthday-page')
    await phone.context.setOffline(false)
  })

  // The sign-in code is a long signed token: the paste field takes it whole (Taro's H5 input cuts at 140 by default).
  test('a sign-in scanned offline during the collective study is credited after the event', async () => {
    const event = await apiAs(phone.server, 'secretary', 'POST', '/api/study/events', {
      way: studyWays[2],
      topic: '集中学习：新党章', place: '村部会议室',
      startsAt: '2026-06-15T09:00:00+08:00', endsAt: '2026-06-15T10:30:00+08:00',
    })
    const eventId = event.id as number
    phone.server.clock.set(new Date('2026-06-15T09:40:00+08:00'))
    await studyOnline(phone.member, phone.server)
    const qr = await apiAs(phone.server, 'secretary', 'GET', `/api/study/events/${eventId}/qr`)
    await phone.context.setOffline(true) // the meeting room has no signal
    await visiblePage(phone.member).getByTestId('sign-in-code').locator('input').fill(qr.qrText as string)
    await button(phone.member, '签到').click()
    const item = visiblePage(phone.member).getByTestId('queued-write').filter({ hasText: '集中学习扫码签到' })
    await expect.poll(() => item.getAttribute('data-state')).toBe('pending')
    // The phone has stopped its quick retries and keeps the sign-in (待上传), as the member sees it in the room.
    await expect.poll(() => visiblePage(phone.member).getByTestId('study-scan').innerText(), { timeout: 15_000 }).toContain('待上传')
    // Back in the village hours later: the code expired long ago, the event is over.
    phone.server.clock.set(new Date('2026-06-15T14:00:00+08:00'))
    await phone.context.setOffline(false)
    await expect.poll(async () => `${await item.getAttribute('data-state')} ${await item.innerText()}`, { timeout: 15_000 }).toMatch(/^sent/)
    expect(await item.innerText()).toContain('离线补传')
    await shot(phone.member, 'offline-sign-in-credited')
  })

  test('a check-in made offline at 23:50 survives closing the app and lands once on its own day', async () => {
    phone.server.clock.set(new Date('2026-06-15T23:40:00+08:00'))
    await studyOnline(phone.member, phone.server)
    await phone.context.setOffline(true)
    await reportOffline(phone.member, '阅读党章（纸质版）')
    const pending = visiblePage(phone.member).getByTestId('queued-write').filter({ hasText: '阅读党章（纸质版）' })
    expect(await pending.getAttribute('data-state')).toBe('pending')
    await shot(phone.member, 'offline-checkin-pending')
    await phone.member.close()

    // The next morning, with signal: the app is opened again.
    phone.server.clock.set(new Date('2026-06-16T07:30:00+08:00'))
    await phone.context.setOffline(false)
    phone.member = await phone.context.newPage()
    await studyOnline(phone.member, phone.server)
    const sent = visiblePage(phone.member).getByTestId('queued-write').filter({ hasText: '阅读党章（纸质版）' })
    await expect.poll(() => sent.getAttribute('data-state'), { timeout: 15_000 }).toBe('sent')
    expect(await sent.innerText()).toContain('6月15日')
    const recent = visiblePage(phone.member).getByTestId('study-recent')
    await expect.poll(() => recent.innerText()).toContain('阅读党章（纸质版）')
    const text = await recent.innerText()
    expect(text.split('阅读党章（纸质版）').length - 1).toBe(1)
    expect(text).toContain('06月15日')
    expect(text).toContain('离线补传')
    // Today (the 16th) has none of it.
    expect(await visiblePage(phone.member).getByTestId('study-ring').getAttribute('data-minutes')).toBe('0')
  })

  test('a check-in kept offline past the bound is refused with the reason and stays listed as refused', async () => {
    await studyOnline(phone.member, phone.server)
    await phone.context.setOffline(true)
    await reportOffline(phone.member, '听广播学习')
    phone.server.clock.advance(25 * 60)
    await phone.context.setOffline(false)
    const refused = visiblePage(phone.member).getByTestId('queued-write').filter({ hasText: '听广播学习' })
    await expect.poll(() => refused.getAttribute('data-state'), { timeout: 15_000 }).toBe('refused')
    expect(await refused.innerText()).toContain('24小时')
    await phone.member.reload()
    await visiblePage(phone.member).getByTestId('study-ring').waitFor()
    expect(await visiblePage(phone.member).getByTestId('queued-write').filter({ hasText: '听广播学习' }).getAttribute('data-state')).toBe('refused')
    await shot(phone.member, 'offline-checkin-refused')
  })

  test('a page opened offline with nothing kept says it could not load, with a retry', async () => {
    const secretary = await newMobilePage(phone.browser)
    const s = secretary.page
    await loginAs(s, phone.server.url, 'secretary')
    await appKeptOnDevice(s)
    await s.context().setOffline(true)
    await s.evaluate(() => {
      window.location.hash = '#/packages/birthdays/index/index'
    })
    const retry = button(s, '重新加载')
    await retry.waitFor()
    expect(await visiblePage(s).innerText()).toContain('网络')
    await shot(s, 'offline-page-retry')
    await s.context().setOffline(false)
    await retry.click()
    await expect.poll(() => visiblePage(s).getByText('重新加载').count()).toBe(0)
    await secretary.close()
  })
})
