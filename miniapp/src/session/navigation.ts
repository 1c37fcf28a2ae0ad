import Taro from '@tarojs/taro'
import { ROUTES } from '@/routes'
import { currentPageUrl, loginUrl, pendingReturn } from './return-to'

let redirecting = false

function currentRoute(): string | null {
  try {
    const pages = Taro.getCurrentPages()
    const route = pages[pages.length - 1]?.route
    return route ? `/${route.replace(/^\//, '')}` : null
  } catch {
    return null
  }
}

/**
 * Sends the user to the login page, once: several requests failing with 401
 * together must not stack several relaunches. The page they were on (a deep
 * link opened signed out, a session that ran out) comes back after login,
 * unless they chose to sign out.
 */
export function goToLogin({ comeBack = true }: { comeBack?: boolean } = {}): void {
  if (redirecting || currentRoute() === ROUTES.login) return
  redirecting = true
  void Taro.reLaunch({ url: loginUrl(comeBack ? currentPageUrl() : null) }).finally(() => {
    redirecting = false
  })
}

/**
 * After login: a fresh page stack on the page the login was opened for, else
 * 首页 (reLaunch also opens tab pages, which navigateTo cannot).
 */
export function goHome(): void {
  const back = pendingReturn()
  // A link to a page this version no longer has lands on 首页 rather than leaving the user on login.
  void Taro.reLaunch({ url: back ?? ROUTES.home }).catch(() => (back ? Taro.reLaunch({ url: ROUTES.home }) : undefined))
}
