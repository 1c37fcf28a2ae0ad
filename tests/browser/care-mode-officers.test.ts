/**
 * 长辈模式 and tap sizes over every page the app registers (app.config.ts), as township staff so the officers'
 * pages have records: at 375 and 320 px, normal and 大字 (switched on from 我的), with the same limits as the
 * member walk (care-mode-members.test.ts). The detail pages open the first record of township A.
 */
import { expect, it } from 'vitest'
import { ROUTES } from '../../miniapp/src/routes'
import { detailQueries, measureRoute, openAndSettle, registeredRoutes, report, shotBoth, switchCareModeOn, type WalkResult } from './care-walk'
import { browserSuite, describeBrowser, loginAs, newMobilePage } from './helpers'

const SHOTS = new Map<string, string>([
  [ROUTES.admin, 'admin'],
  [ROUTES.memberRoster, 'roster'],
  [ROUTES.dashboard, 'dashboard'],
  [ROUTES.birthdays, 'birthdays'],
])

describeBrowser('长辈模式 and tap sizes: every page as township staff (H5)', () => {
  const suite = browserSuite()

  it('every registered page, both modes, 375 and 320 px: taps ≥ 44 (48), contrast ≥ 4.5:1, 大字 text ≥ 20 px, no overflow', { timeout: 170_000 }, async () => {
    const routes = registeredRoutes().filter((r) => r !== ROUTES.login)
    // The enumeration is app.config.ts itself: every route constant is among the pages walked.
    expect(routes).toEqual(expect.arrayContaining(Object.values(ROUTES).filter((r) => r !== ROUTES.login)))
    const queries = await detailQueries(suite.server.db)
    const { page, close } = await newMobilePage(suite.browser)
    const url = suite.server.url
    const result: WalkResult = { failures: [], visited: 0 }
    try {
      await loginAs(page, url, 'staff')
      for (const care of [false, true]) {
        if (care) await switchCareModeOn(page, url)
        for (const route of routes) {
          await openAndSettle(page, url, route, queries[route])
          await measureRoute(page, route, care, result)
          const name = SHOTS.get(route)
          if (name) await shotBoth(page, name, care)
        }
      }
    } finally {
      await close()
    }
    expect(result.visited).toBe(2 * routes.length)
    expect(result.failures, report(result.failures)).toEqual([])
  })
})
