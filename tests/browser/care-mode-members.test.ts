/**
 * 长辈模式 and tap sizes over the pages a member uses (issue 19.4), signed out (登录) and as a member: at 375
 * and 320 px, in normal mode and after switching 大字 on from 我的. Every visible tappable element is at least
 * 44 px (48 in 大字), text contrast at least 4.5:1, text in 大字 at least 20 px, nothing wider than 320 px.
 * Officers' pages: care-mode-officers.test.ts. Screenshots: artifacts/screenshots/care-*.png.
 */
import { expect, it } from 'vitest'
import { ROUTES } from '../../miniapp/src/routes'
import { measureRoute, openAndSettle, report, shotBoth, switchCareModeOn, WIDTHS, type WalkResult } from './care-walk'
import { browserSuite, clickTab, describeBrowser, loginAs, newMobilePage, visiblePage } from './helpers'

/** What a member reaches: the tabs, 我的's entries, their study, birthday, transfers, 入党 and 组织生活 pages. */
const MEMBER_ROUTES = [
  ROUTES.home,
  ROUTES.study,
  ROUTES.me,
  ROUTES.admin,
  ROUTES.messages,
  ROUTES.feedback,
  ROUTES.privacy,
  ROUTES.commendations,
  ROUTES.birthdaySignIn,
  ROUTES.transfers,
  '/packages/transfers/apply/index',
  ROUTES.orglifeMine,
  ROUTES.developmentMine,
  ROUTES.onboardingRedeem,
]
const SHOTS = new Map<string, string>([
  [ROUTES.home, 'home'],
  [ROUTES.study, 'study'],
  [ROUTES.me, 'me'],
])

describeBrowser('长辈模式 and tap sizes: member pages (H5)', () => {
  const suite = browserSuite()

  it('every member page, both modes, 375 and 320 px: taps ≥ 44 (48), contrast ≥ 4.5:1, 大字 text ≥ 20 px, no overflow', { timeout: 150_000 }, async () => {
    const { page, close } = await newMobilePage(suite.browser)
    const url = suite.server.url
    const result: WalkResult = { failures: [], visited: 0 }
    try {
      await openAndSettle(page, url, ROUTES.login)
      await measureRoute(page, ROUTES.login, false, result)
      await loginAs(page, url, 'member')
      for (const care of [false, true]) {
        if (care) {
          await switchCareModeOn(page, url)
          // A tab page that stayed mounted follows at once, without a reload.
          await clickTab(page, '首页')
          await expect.poll(() => visiblePage(page).locator('.dj-page').first().getAttribute('data-care')).toBe('on')
        }
        for (const route of MEMBER_ROUTES) {
          await openAndSettle(page, url, route)
          await measureRoute(page, route, care, result)
          const name = SHOTS.get(route)
          if (name) await shotBoth(page, name, care)
        }
      }
      // The masked ID number is read as one string: in 大字, at either width, it stays on one line.
      await openAndSettle(page, url, ROUTES.me)
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 812 })
        // The text's own line boxes (a Range over it), counted by their top edge.
        const lines = await visiblePage(page)
          .getByTestId('profile-id')
          .evaluate((el) => {
            const range = document.createRange()
            range.selectNodeContents(el)
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size
          })
        expect(lines, `身份证号 @${width} 大字`).toBe(1)
      }
      await page.setViewportSize({ width: 375, height: 812 })
      // Signed out again, 大字 stays (it is the phone's setting, not the account's).
      await page.evaluate(() => ['dangjian.session-token', 'dangjian.refresh-token'].forEach((k) => window.localStorage.removeItem(k)))
      await page.reload()
      await openAndSettle(page, url, ROUTES.login)
      await measureRoute(page, ROUTES.login, true, result)
    } finally {
      await close()
    }
    expect(result.visited).toBe(2 * MEMBER_ROUTES.length + 2)
    expect(result.failures, report(result.failures)).toEqual([])
  })
})
