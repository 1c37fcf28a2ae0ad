/**
 * 乡镇开通 end to end (issue 17.2): county staff create a township with its
 * branches and invite its staff; a newcomer signs in, enters the code next to
 * 去登记, and lands in 管理 as that township's staff, who can invite a secretary.
 */
import { expect, it } from 'vitest'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, describeBrowser, enterInvitationCode, loginAs, newMobilePage, openRedeemForm, openRoute, shot, visiblePage } from './helpers'

const TOWNSHIP = '青石镇党委'

describeBrowser('onboarding a township (H5)', () => {
  const suite = browserSuite({ now: TEST_NOW })

  it('county staff create a township and invite its staff; the invited newcomer sees that township’s 管理', async () => {
    const { server, browser } = suite
    const county = await newMobilePage(browser)
    const newcomer = await newMobilePage(browser)
    const refused: string[] = []
    for (const p of [county.page, newcomer.page]) {
      p.on('response', (r) => {
        if (r.status() >= 400) refused.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`)
      })
    }
    try {
      await loginAs(county.page, server.url, 'county')
      await openRoute(county.page, server.url, '/packages/onboarding/townships/index')
      const form = visiblePage(county.page).getByTestId('new-township')
      await form.getByTestId('township-name').locator('input').fill(TOWNSHIP)
      await form.locator('.nut-button', { hasText: '新建' }).click()
      await expect.poll(() => form.getByTestId('new-township-message').innerText()).toContain('已新建')
      const card = visiblePage(county.page).getByTestId('township-card').filter({ hasText: TOWNSHIP })
      await card.waitFor()
      await card.getByTestId('branch-names').locator('textarea').fill('石桥村党支部\n青山社区党支部')
      await card.locator('.nut-button', { hasText: '添加支部' }).click()
      await expect.poll(() => card.getByTestId('township-message').innerText()).toContain('已添加2个支部')
      await expect.poll(() => card.getByTestId('township-branches').innerText()).toContain('青山社区党支部')
      await card.locator('.nut-button', { hasText: '邀请工作人员' }).click()
      const codeText = card.getByTestId('invitation-code')
      await codeText.waitFor()
      const code = (await codeText.innerText()).trim()
      expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/)
      await shot(county.page, 'onboarding-county-invites-staff')

      // On 首页, next to 去登记 (我的 shows the same card).
      const redeem = await openRedeemForm(newcomer.page, server.url)
      // A wrong code first: a plain sentence, and nothing changes.
      await enterInvitationCode(redeem, 'ABCDE-FGHJK')
      await expect.poll(() => redeem.getByTestId('redeem-error').innerText()).toContain('邀请码不正确')
      await enterInvitationCode(redeem, code.toLowerCase())
      const done = visiblePage(newcomer.page).getByTestId('redeem-done')
      await done.waitFor()
      await expect(done.innerText()).resolves.toContain(`「${TOWNSHIP}」的党委工作人员`)
      await shot(newcomer.page, 'onboarding-code-redeemed')
      await done.locator('.nut-button', { hasText: '进入管理' }).click()
      const admin = visiblePage(newcomer.page).getByTestId('admin-home')
      await admin.waitFor()
      await expect(admin.locator('.dj-admin__scope').innerText()).resolves.toBe(TOWNSHIP)
      const tiles = await admin.getByTestId('admin-entry').allInnerTexts()
      expect(tiles.some((t) => t.includes('邀请码'))).toBe(true)
      await shot(newcomer.page, 'onboarding-new-staff-admin')

      // The new staff member invites a secretary for one of the township's branches.
      await admin.getByTestId('admin-entry').filter({ hasText: '邀请码' }).click()
      const invite = visiblePage(newcomer.page).getByTestId('invite-form')
      await invite.getByTestId('invite-branch').getByText('石桥村党支部').click()
      await invite.locator('.nut-button', { hasText: '生成书记邀请码' }).click()
      await invite.getByTestId('invitation-code').waitFor()
      const states = visiblePage(newcomer.page).getByTestId('invitation-list').getByTestId('invitation-state')
      await expect.poll(() => states.allInnerTexts()).toEqual(['未使用', '已使用'])
      await shot(newcomer.page, 'onboarding-staff-invites-secretary')
      // Script errors fail the test; refused requests are listed (the wrong code's 422 is this test's own).
      expect([...county.errors, ...newcomer.errors].filter((e) => !e.includes('Failed to load resource'))).toEqual([])
      console.log(`refused requests:\n${refused.join('\n')}`)
      expect(refused).toContain('422 POST /api/invitations/redeem')
    } finally {
      await county.close()
      await newcomer.close()
    }
  })
})
