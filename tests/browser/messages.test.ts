/**
 * 消息中心 in the H5 app: a new user's registration is approved by the branch
 * secretary; back on 我的 the applicant sees the unread badge, opens 消息,
 * reads the message (which opens their file) and the badge is gone.
 * The registration and the approval go through the API (the registration
 * screens have their own browser test); everything the applicant sees is the UI.
 */
import { expect, test } from 'vitest'
import { makeIdNumber } from '../../db/seed/identity'
import { PRIVACY_GUIDE_VERSION } from '../../shared/privacy'
import { browserSuite, clickTab, describeBrowser, loginAs, newMobilePage, openRoute, shot, storedSessionToken, visiblePage } from './helpers'

const BIRTH = '1987-05-20'
const ID_NUMBER = makeIdNumber(BIRTH, 'female', 73, '410523')

describeBrowser('message centre in the app', () => {
  const suite = browserSuite()

  test('a registration is approved → the applicant sees the badge on 我的, opens 消息, reads it, the badge goes', async () => {
    const { page: a, errors, close } = await newMobilePage(suite.browser)
    await loginAs(a, suite.server.url, 'applicant')
    // The applicant's own session, as the app stored it, and a secretary's through the demo login.
    const answered = await a.evaluate(async ({ idNumber, version, token }) => {
      const json = (res: Response) => res.json() as Promise<Record<string, unknown>>
      const post = (path: string, auth: string, body: unknown) =>
        fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}`, 'idempotency-key': crypto.randomUUID() }, body: JSON.stringify(body) }).then(json)
      const orgs = (await fetch('/api/organizations', { headers: { authorization: `Bearer ${token}` } }).then(json)) as { organizations?: { id: number; name: string }[] }
      const branch = (orgs.organizations ?? []).find((o) => o.name === '东风村党支部')
      // The consent the 登记 page asks for first (the guide, and separately the ID number).
      await post('/api/privacy/consent', token, { version, guide: true, sensitive: true })
      const reg = await post('/api/registrations', token, {
        name: '消息测试人',
        gender: 'female',
        ethnicity: '汉族',
        birthDate: '1987-05-20',
        idNumber,
        phone: '13912345679',
        organizationId: branch?.id,
        category: 'full',
        joinedAt: '2012-07-01',
        confirmedAt: '2013-07-01',
      })
      const secretary = (await fetch('/api/auth/dev', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'secretary' }) }).then(json)) as { token: string }
      const approved = await post(`/api/registrations/${String(reg.id)}/approve`, secretary.token, {})
      return { orgs: Boolean(branch), reg, approved }
    }, { idNumber: ID_NUMBER, version: PRIVACY_GUIDE_VERSION, token: await storedSessionToken(a) })
    expect(answered.orgs, JSON.stringify(answered)).toBe(true)
    expect(answered.approved, JSON.stringify(answered)).toMatchObject({ status: 'approved' })

    // Back on 我的: the page asks /api/me again and the badge shows the unread message.
    await clickTab(a, '我的')
    const badge = visiblePage(a).getByTestId('me-messages-badge')
    await expect.poll(() => badge.innerText(), { timeout: 15_000 }).toBe('1条未读')
    await shot(a, 'messages-me-badge')

    await visiblePage(a).getByTestId('me-messages').click()
    const message = visiblePage(a).getByTestId('message').filter({ hasText: '您的党员登记已通过审核' })
    await message.waitFor({ timeout: 15_000 })
    expect(await message.getAttribute('data-read')).toBe('no')
    expect(await message.innerText()).toContain('支部已核对您的信息')
    await shot(a, 'messages-list-unread')

    // Opening it marks it read and goes to the record it is about (the member's file on 我的).
    await message.click()
    await expect.poll(() => visiblePage(a).getByTestId('profile-name').innerText(), { timeout: 15_000 }).toBe('消息测试人')
    await expect.poll(() => visiblePage(a).getByTestId('me-messages-badge').count(), { timeout: 15_000 }).toBe(0)

    await openRoute(a, suite.server.url, '/packages/messages/index/index')
    const again = visiblePage(a).getByTestId('message').filter({ hasText: '您的党员登记已通过审核' })
    await again.waitFor({ timeout: 15_000 })
    expect(await again.getAttribute('data-read')).toBe('yes')
    await shot(a, 'messages-list-read')

    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([])
    await close()
  })
})
