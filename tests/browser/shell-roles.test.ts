/**
 * The mini-program shell in the built H5 app against the real API and the seeded demo township: login, the four
 * tabs, the management home and every subpackage page, for each kind of user. Screenshots of every page go to
 * artifacts/screenshots/shell-*.png. Sessions and failures are in shell-session.test.ts.
 */
import { expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { clickTab, describeBrowser, loginAs, openRoute, shot, visiblePage } from './helpers'
import { expectPageRendered, MASKED_ID, MASKED_PHONE, OFFICER_ONLY, SECRETARY_ENTRIES, shellSuite, STAFF_ENTRIES } from './shell-bench'

describeBrowser('mini-program shell (H5): each kind of user', () => {
  const shell = shellSuite()
  const { freshPage } = shell

  async function text(page: Page, testId: string): Promise<string> {
    return (await visiblePage(page).getByTestId(testId).innerText()).trim()
  }

  test('the demo login screen lists accounts by role', async () => {
    const { page, errors } = await freshPage()
    await openRoute(page, shell.server.url, '/pages/login/index')
    const screen = page.getByTestId('demo-login')
    await screen.waitFor()
    for (const group of ['党委工作人员', '支部书记', '党员']) {
      await expect(screen.getByText(group, { exact: true }).isVisible()).resolves.toBe(true)
    }
    await expect(screen.locator('[data-role="member"] [data-account-id]').count()).resolves.toBeGreaterThan(0)
    await expect(screen.getByText('新用户（未登记）').isVisible()).resolves.toBe(true)
    await shot(page, 'shell-login')
    expect(errors).toEqual([])
  })

  test('a member sees home, study and their own file, but not management', async () => {
    const { page, errors } = await freshPage()
    const name = await loginAs(page, shell.server.url, 'member')

    const home = visiblePage(page)
    await expect(text(page, 'greeting')).resolves.toContain(name)
    await expect(home.getByTestId('today-study').isVisible()).resolves.toBe(true)
    // Today's minutes toward the hour, from /api/study/me.
    await expect.poll(() => text(page, 'today-study')).toMatch(/\d+\s*\/ 60 分钟/)
    await expect(home.getByTestId('political-birthday').isVisible()).resolves.toBe(true)
    await shot(page, 'shell-member-home')

    // The 学习 tab belongs to the study feature: the shell only checks that it opens cleanly.
    await clickTab(page, '学习')
    await expectPageRendered(page, '/pages/study/index')
    await shot(page, 'shell-member-study')

    await clickTab(page, '我的')
    await visiblePage(page).getByTestId('profile-name').waitFor()
    await expect(text(page, 'profile-name')).resolves.toBe(name)
    await expect(text(page, 'profile-branch')).resolves.toMatch(/党支部$/)
    await expect(text(page, 'profile-category')).resolves.toMatch(/^(正式党员|预备党员)$/)
    await expect(text(page, 'profile-joined')).resolves.toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/)
    await expect(text(page, 'profile-standing')).resolves.toMatch(/^(\d+年|预备期内，转正后开始计算)$/)
    await expect(text(page, 'profile-id')).resolves.toMatch(MASKED_ID)
    await expect(text(page, 'profile-phone')).resolves.toMatch(MASKED_PHONE)
    await shot(page, 'shell-member-me')

    await clickTab(page, '管理')
    await visiblePage(page).getByText(OFFICER_ONLY).waitFor()
    await expect(visiblePage(page).getByTestId('admin-entry').count()).resolves.toBe(0)
    await shot(page, 'shell-member-admin')

    // A member who reaches a management page by link gets the same answer.
    await openRoute(page, shell.server.url, '/packages/members/roster/index')
    await visiblePage(page).getByText(OFFICER_ONLY).waitFor()
    await shot(page, 'shell-member-roster-denied')
    expect(errors).toEqual([])
  })

  test('a branch secretary opens every management entry from 管理', async () => {
    const { page, errors } = await freshPage()
    const name = await loginAs(page, shell.server.url, 'secretary')
    await expect(text(page, 'greeting')).resolves.toContain(name)
    await expect(visiblePage(page).getByTestId('officer-shortcut').isVisible()).resolves.toBe(true)
    await shot(page, 'shell-secretary-home')

    await clickTab(page, '管理')
    const tiles = visiblePage(page).getByTestId('admin-entry')
    await tiles.first().waitFor()
    await expect(tiles.allInnerTexts()).resolves.toEqual(
      SECRETARY_ENTRIES.map(({ title }) => expect.stringContaining(title) as unknown as string),
    )
    await shot(page, 'shell-secretary-admin')

    for (const { title, slug, route } of SECRETARY_ENTRIES) {
      await visiblePage(page).getByTestId('admin-entry').filter({ hasText: title }).click()
      await expectPageRendered(page, route)
      await shot(page, `shell-secretary-${slug}`)
      // Back to 管理 with a fresh load: the H5 router's history after a hash
      // jump between a subpackage page and a tab page is not the mini-program's.
      await openRoute(page, shell.server.url, '/pages/admin/index')
      await page.reload()
      await visiblePage(page).getByTestId('admin-home').waitFor()
    }

    await clickTab(page, '我的')
    await visiblePage(page).getByTestId('profile-name').waitFor()
    await expect(text(page, 'profile-name')).resolves.toBe(name)
    await shot(page, 'shell-secretary-me')
    expect(errors).toEqual([])
  })

  test('committee staff see every tab and every subpackage page', async () => {
    const { page, errors } = await freshPage()
    const name = await loginAs(page, shell.server.url, 'staff')
    await expect(text(page, 'greeting')).resolves.toContain(name)
    await shot(page, 'shell-staff-home')

    await clickTab(page, '学习')
    await expectPageRendered(page, '/pages/study/index')
    await shot(page, 'shell-staff-study')

    await clickTab(page, '管理')
    await visiblePage(page).getByTestId('admin-entry').first().waitFor()
    await expect(visiblePage(page).getByTestId('admin-entry').count()).resolves.toBe(STAFF_ENTRIES.length)
    await shot(page, 'shell-staff-admin')

    await clickTab(page, '我的')
    await visiblePage(page).getByTestId('profile-name').waitFor()
    await expect(text(page, 'profile-name')).resolves.toBe(name)
    await shot(page, 'shell-staff-me')

    for (const { route, slug } of STAFF_ENTRIES) {
      await openRoute(page, shell.server.url, route)
      await expectPageRendered(page, route)
      await shot(page, `shell-staff-${slug}`)
    }
    expect(errors).toEqual([])
  })

  test('a new, unregistered user is asked to register', async () => {
    const { page, errors } = await freshPage()
    await loginAs(page, shell.server.url, 'applicant')
    const card = visiblePage(page).getByTestId('unregistered-card')
    await card.waitFor()
    // The card first says it is looking the registration up ("正在查询…"), then what it found.
    await expect.poll(() => card.innerText(), { timeout: 15_000 }).toContain('您尚未登记为党员')
    await shot(page, 'shell-applicant-home')

    await clickTab(page, '学习')
    await visiblePage(page).getByTestId('unregistered-card').waitFor()

    await clickTab(page, '管理')
    await visiblePage(page).getByText(OFFICER_ONLY).waitFor()

    await clickTab(page, '首页')
    await visiblePage(page).locator('.nut-button', { hasText: '去登记' }).click()
    await expectPageRendered(page, '/packages/members/register/index')
    await shot(page, 'shell-applicant-register')
    expect(errors).toEqual([])
  })
})
