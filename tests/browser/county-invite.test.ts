/**
 * County staff add a colleague in the app (issue 17.2): 邀请码 → 生成县委组织部邀请码; the newcomer enters the
 * code and lands as county staff, with the county's tiles under 管理.
 */
import { expect, it } from 'vitest'
import { ROLE_LABELS } from '../../shared/common'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, describeBrowser, enterInvitationCode, loginAs, newMobilePage, openRedeemForm, openRoute, shot, visiblePage } from './helpers'

describeBrowser('inviting more county staff (H5)', () => {
  const suite = browserSuite({ now: TEST_NOW })

  it('county staff issue a 县委组织部 code; the newcomer who enters it sees the county’s 管理', async () => {
    const { server, browser } = suite
    const county = await newMobilePage(browser)
    const newcomer = await newMobilePage(browser)
    try {
      await loginAs(county.page, server.url, 'county')
      await openRoute(county.page, server.url, '/packages/onboarding/invitations/index')
      const form = visiblePage(county.page).getByTestId('invite-county-form')
      await form.waitFor({ timeout: 30_000 })
      await form.getByTestId('invite-county-staff').click()
      const codeText = form.getByTestId('invitation-code')
      await codeText.waitFor()
      const code = (await codeText.innerText()).trim()
      expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/)
      await expect.poll(() => visiblePage(county.page).getByTestId('invitation-list').innerText()).toContain('县委组织部工作人员')
      await shot(county.page, 'county-invite-issued')

      const redeem = await openRedeemForm(newcomer.page, server.url)
      await enterInvitationCode(redeem, code)
      const done = visiblePage(newcomer.page).getByTestId('redeem-done')
      await done.waitFor()
      await expect(done.innerText()).resolves.toContain(`的${ROLE_LABELS.county}`)
      await done.locator('.nut-button', { hasText: '进入管理' }).click()
      const admin = visiblePage(newcomer.page).getByTestId('admin-home')
      await admin.waitFor()
      const tiles = await admin.getByTestId('admin-entry').allInnerTexts()
      expect(tiles.some((t) => t.includes('乡镇管理'))).toBe(true)
      await shot(newcomer.page, 'county-invite-redeemed')
      expect([...county.errors, ...newcomer.errors].filter((e) => !/favicon/.test(e))).toEqual([])
    } finally {
      await county.close()
      await newcomer.close()
    }
  })
})
