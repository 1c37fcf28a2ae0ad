/**
 * The mini-program shell's session in the built H5 app: logging out, an access token renewed with the refresh
 * token, an invalid session back to login, and network and server failures explained in Chinese.
 */
import { expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { clickTab, describeBrowser, loginAs, shot, visiblePage } from './helpers'
import { REFRESH_KEY, shellSuite, TOKEN_KEY } from './shell-bench'

describeBrowser('mini-program shell (H5): sessions and failures', () => {
  const shell = shellSuite()
  const { freshPage } = shell

  /** NutUI buttons: click the button element (its inner label is covered by it). */
  function retryButton(page: Page) {
    return visiblePage(page).locator('.nut-button', { hasText: '重新加载' })
  }

  test('logging out returns to the login screen and forgets the session', async () => {
    const { page, errors } = await freshPage()
    await loginAs(page, shell.server.url, 'member')
    await clickTab(page, '我的')
    await visiblePage(page).locator('.nut-button', { hasText: '退出登录' }).click()
    // Taro's H5 modal: confirm with the 退出 button.
    await page.locator('.taro__modal').getByText('退出', { exact: true }).click()
    await page.getByTestId('demo-login').waitFor()
    await expect(page.evaluate((key) => window.localStorage.getItem(key), TOKEN_KEY)).resolves.toBeNull()
    expect(errors).toEqual([])
  })

  test('an invalid or expired access token is renewed with the refresh token: the member stays signed in', async () => {
    const { page } = await freshPage()
    await loginAs(page, shell.server.url, 'member')
    const before = await page.evaluate((key) => window.localStorage.getItem(key), TOKEN_KEY)
    // Corrupt the stored access token only (Taro keeps storage values as {"data": ...}).
    await page.evaluate((key) => {
      const stored = window.localStorage.getItem(key)
      if (!stored) throw new Error('no stored token')
      window.localStorage.setItem(key, stored.replace(/"data":"/, '"data":"x'))
    }, TOKEN_KEY)
    await page.reload()
    await visiblePage(page).getByTestId('greeting').waitFor()
    const after = await page.evaluate((key) => window.localStorage.getItem(key), TOKEN_KEY)
    expect(after).not.toBeNull()
    expect(after).not.toBe(before)
  })

  test('an invalid session (access and refresh token) sends the user to the login screen', async () => {
    const { page } = await freshPage()
    await loginAs(page, shell.server.url, 'member')
    await page.evaluate((keys) => {
      for (const key of keys) {
        const stored = window.localStorage.getItem(key)
        if (!stored) throw new Error(`no stored ${key}`)
        window.localStorage.setItem(key, stored.replace(/"data":"/, '"data":"x'))
      }
    }, [TOKEN_KEY, REFRESH_KEY])
    await page.reload()
    await page.getByTestId('demo-login').waitFor()
    await expect(page.evaluate((key) => window.localStorage.getItem(key), TOKEN_KEY)).resolves.toBeNull()
    await expect(page.evaluate((key) => window.localStorage.getItem(key), REFRESH_KEY)).resolves.toBeNull()
  })

  test('network failures and server errors are explained in Chinese', async () => {
    const { page } = await freshPage()
    await loginAs(page, shell.server.url, 'member')

    // No answer at all: GET /api/me is idempotent, so it is tried three times before giving up.
    let attempts = 0
    await page.route('**/api/me', (route) => {
      attempts++
      return route.abort('internetdisconnected')
    })
    await page.reload()
    await visiblePage(page).getByText('网络连接失败，请检查网络后重试').waitFor()
    expect(attempts).toBe(3)
    await shot(page, 'shell-network-error')

    // The server's own message is shown as it is, and a 500 is not retried.
    await page.unroute('**/api/me')
    attempts = 0
    await page.route('**/api/me', (route) => {
      attempts++
      return route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: '服务器内部错误，请稍后再试' } }),
      })
    })
    await retryButton(page).click()
    await visiblePage(page).getByText('服务器内部错误，请稍后再试').waitFor()
    expect(attempts).toBe(1)

    // Back online: 重新加载 recovers without logging in again.
    await page.unroute('**/api/me')
    await retryButton(page).click()
    await visiblePage(page).getByTestId('greeting').waitFor()
  })
})