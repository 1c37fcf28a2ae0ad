import Taro from '@tarojs/taro'

/** Where 我的 sits in app.config.ts's tab bar. */
const ME_TAB_INDEX = 2

/**
 * 我的 tab's badge: the unread messages /api/me counted (WeChat's native tab
 * bar; Taro's H5 tab bar draws it too). Set wherever the count arrives, so it
 * shows on whichever tab page the member is on.
 */
export function showUnreadBadge(unread: number): void {
  const ignore = () => undefined
  try {
    if (unread > 0) Taro.setTabBarBadge({ index: ME_TAB_INDEX, text: unread > 99 ? '99+' : String(unread) }).catch(ignore)
    else Taro.removeTabBarBadge({ index: ME_TAB_INDEX }).catch(ignore)
  } catch {
    // Not on a tab page (a subpackage page has no tab bar): the next tab page sets it.
  }
}
