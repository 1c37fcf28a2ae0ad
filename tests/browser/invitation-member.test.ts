/**
 * A secretary invited by code is linked to their own roster entry (issue 17.2): township staff choose the branch,
 * find the person in its roster and issue the code; the newcomer who enters it lands as that branch's secretary
 * with their own 首页 (today's study, the political birthday), not an officer without a member file.
 */
import { expect, it } from 'vitest'
import { sealIdNumber } from '../../db/pii'
import { members, organizations } from '../../db/schema/index'
import { makeIdNumber, makePhone } from '../../db/seed/identity'
import { DEMO_COMMITTEE } from '../../db/seed/core'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, describeBrowser, enterInvitationCode, loginAs, newMobilePage, openRedeemForm, openRoute, shot, visiblePage } from './helpers'
import { and, asc, eq } from 'drizzle-orm'

const NAME = '林秀梅'

describeBrowser('inviting a secretary who is on the roster (H5)', () => {
  const suite = browserSuite({ now: TEST_NOW })

  it('staff pick the person from the branch roster; the code links the newcomer to that member', async () => {
    const { server, browser } = suite
    // The roster row as an import leaves it: a member who has never opened the app.
    const [twp] = await server.db.select().from(organizations).where(eq(organizations.name, DEMO_COMMITTEE))
    const [branch] = await server.db.select().from(organizations).where(and(eq(organizations.parentId, twp!.id), eq(organizations.kind, 'branch'))).orderBy(asc(organizations.sortOrder), asc(organizations.id))
    const keys = { encryptionKey: server.config.idEncryptionKey, hashKey: server.config.idHashKey }
    await server.db.insert(members).values({
      name: NAME, gender: 'female', ethnicity: '汉族', birthDate: '1978-03-08', ...sealIdNumber(makeIdNumber('1978-03-08', 'female', 811), keys),
      phone: makePhone(811), organizationId: branch!.id, category: 'full', joinedAt: '2003-07-01', confirmedAt: '2004-07-01',
    })
    const staff = await newMobilePage(browser)
    const newcomer = await newMobilePage(browser)
    try {
      await loginAs(staff.page, server.url, 'staff')
      await openRoute(staff.page, server.url, '/packages/onboarding/invitations/index')
      const invite = visiblePage(staff.page).getByTestId('invite-form')
      await invite.waitFor({ timeout: 30_000 })
      await invite.getByTestId('invite-branch').getByText(branch!.name).click()
      await invite.getByTestId('member-search').locator('input').fill(NAME.slice(0, 2))
      await invite.getByTestId('member-option').filter({ hasText: NAME }).click()
      await expect.poll(() => invite.getByTestId('picked-member').innerText()).toContain(NAME)
      await invite.locator('.nut-button', { hasText: '生成书记邀请码' }).click()
      const codeText = invite.getByTestId('invitation-code')
      await codeText.waitFor()
      const code = (await codeText.innerText()).trim()
      await expect.poll(() => visiblePage(staff.page).getByTestId('invitation-list').innerText()).toContain(NAME)
      await shot(staff.page, 'invite-secretary-on-roster')

      const redeem = await openRedeemForm(newcomer.page, server.url)
      await enterInvitationCode(redeem, code)
      await visiblePage(newcomer.page).getByTestId('redeem-done').waitFor()
      // 首页 greets the member by the roster's name, with their own study and political birthday.
      await openRoute(newcomer.page, server.url, '/pages/home/index')
      await newcomer.page.reload()
      const home = visiblePage(newcomer.page)
      await expect.poll(() => home.getByTestId('greeting').innerText(), { timeout: 30_000 }).toContain(NAME)
      await home.getByTestId('today-minutes').waitFor()
      await shot(newcomer.page, 'invited-secretary-home')
      expect([...staff.errors, ...newcomer.errors].filter((e) => !e.includes('Failed to load resource'))).toEqual([])
    } finally {
      await staff.close()
      await newcomer.close()
    }
  })
})
