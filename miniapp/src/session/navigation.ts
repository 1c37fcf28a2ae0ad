import Taro from '@tarojs/taro'
import { ROUTES } from '@/routes'

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
 * together must not stack several relaunches.
 */
export function goToLogin(): void {
  if (redirecting || currentRoute() === ROUTES.login) return
  redirecting = true
  void Taro.reLaunch({ url: ROUTES.login }).finally(() => {
    redirecting = false
  })
}

/** After login: a fresh page stack starting at 首页 (tab pages cannot be navigated to otherwise). */
export function goHome(): void {
  void Taro.reLaunch({ url: ROUTES.home })
}
