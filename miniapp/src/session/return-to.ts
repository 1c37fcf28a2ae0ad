/**
 * Where to go back to after signing in: the page someone opened (a shared
 * link, a subscribe message, a page whose session ran out) with its query.
 * Only a page of this app counts: a page path of its own (/pages/… or
 * /packages/…/index, as app.config.ts registers them) and a plain query, so
 * a crafted `?back=https://…`, `//evil` or `javascript:` sends no one elsewhere.
 */
import Taro from '@tarojs/taro'
import { ROUTES } from '@/routes'

/** A page of the app: /pages/<name>/index or /packages/<domain>/<page>/index, lower-case words only. */
const APP_PAGE = /^\/(?:pages\/[a-z0-9-]+|packages\/[a-z0-9-]+\/[a-z0-9-]+)\/index$/
/** Query text as the app writes it: names, numbers and percent-escapes; nothing that could start another URL. */
const SAFE_QUERY = /^[A-Za-z0-9_\-.~%=&]*$/

/** `/packages/members/detail/index?id=3` when it names a page of the app (other than login), else null. */
export function safeReturnUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 500) return null
  // The login page's own query arrives still escaped (H5 and weapp both hand it over as written).
  let url = raw
  if (/^%2F/i.test(url)) {
    try {
      url = decodeURIComponent(url)
    } catch {
      return null
    }
  }
  const [path = '', query, extra] = url.split('?')
  if (extra !== undefined || !APP_PAGE.test(path) || path === ROUTES.login) return null
  if (query !== undefined && !SAFE_QUERY.test(query)) return null
  const kept = (query ?? '')
    .split('&')
    // Taro's H5 router adds its own page stamp to the path: not part of the link.
    .filter((pair) => pair !== '' && !pair.startsWith('stamp='))
    .join('&')
  return kept ? `${path}?${kept}` : path
}

/** The page on screen with its query, as a URL of the app; null when there is none to return to. */
export function currentPageUrl(): string | null {
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') {
    // Hash router: #/packages/members/detail/index?id=3
    return safeReturnUrl(window.location.hash.replace(/^#/, ''))
  }
  try {
    const pages = Taro.getCurrentPages()
    const page = pages[pages.length - 1] as { route?: string; options?: Record<string, string | undefined> } | undefined
    if (!page?.route) return null
    const query = Object.entries(page.options ?? {})
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .map(([k, v]) => `${k}=${v}`)
      .join('&')
    return safeReturnUrl(`/${page.route.replace(/^\//, '')}${query ? `?${query}` : ''}`)
  } catch {
    return null
  }
}

/** The login page's URL, carrying the page to come back to. */
export function loginUrl(back: string | null): string {
  return back ? `${ROUTES.login}?back=${encodeURIComponent(back)}` : ROUTES.login
}

/** On the login page: the page it was opened for, if it names one of the app's. */
export function pendingReturn(): string | null {
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') {
    const query = window.location.hash.split('?')[1] ?? ''
    return safeReturnUrl(new URLSearchParams(query).get('back'))
  }
  return safeReturnUrl(Taro.getCurrentInstance().router?.params?.back)
}
