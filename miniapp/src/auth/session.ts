/**
 * Signing in and out, and the hook pages use to get the signed-in account.
 */
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { devLogin, devLoginRoles, me as meEndpoint, wechatLogin, type LoginResponse, type MeResponse, type Session } from '@shared/auth'
import type { Role } from '@shared/common'
import { allowed } from '@shared/http'
import { api } from '@/api'
import { ApiError, errorMessage } from '@/api/errors'
import { goHome, goToLogin } from '@/session/navigation'
import { showUnreadBadge } from '@/session/badge'
import { getMe, setMe, useMeSnapshot } from '@/session/store'
import { tokenStore } from '@/session/token'
import { forgetAccount, readThrough, rememberAccount, writeQueue } from '@/offline'

/** Whether a role sees the 管理 tab's entries: the server's rule for `access: 'officer'` routes. */
export function isOfficer(role: Role): boolean {
  return allowed('officer', role)
}

let inFlight: Promise<MeResponse> | null = null

function keepSession(session: Session): void {
  tokenStore.set(session.token)
  tokenStore.setRefresh(session.refreshToken)
}

/**
 * GET /api/me, shared by concurrent callers. When the server hands back a
 * fresh session (the role or branch changed since the token was issued), the
 * stored token is replaced so later requests carry the new role.
 */
export function refreshMe(): Promise<MeResponse> {
  // Offline, the account as last seen (the pages then show their kept reads, marked 离线).
  inFlight ??= readThrough('me', async () => {
    const fresh = await api(meEndpoint)
    rememberAccount(fresh.account.id)
    return fresh
  })
    .then((result) => {
      if (result.session && result.offlineSavedAt === null) keepSession(result.session)
      if (result.offlineSavedAt === null) void writeQueue.flush()
      setMe(result)
      showUnreadBadge(result.unreadMessages)
      return result
    })
    .finally(() => {
      inFlight = null
    })
  return inFlight
}

async function completeLogin(login: LoginResponse): Promise<MeResponse> {
  keepSession(login)
  setMe(null)
  const result = await refreshMe()
  goHome()
  return result
}

/** In WeChat: a fresh wx.login code (single use, valid 5 minutes) for a session token. */
export async function loginWithWechat(): Promise<MeResponse> {
  let code: string
  try {
    code = (await Taro.login()).code
  } catch {
    throw new ApiError('network', '微信登录失败，请稍后重试')
  }
  const login = await api(wechatLogin, { body: { code } })
  return completeLogin(login)
}

/** H5 demo login (non-production servers only). */
export async function loginAsDemo(role: DevLoginRole, accountId?: number): Promise<MeResponse> {
  const login = await api(devLogin, { body: accountId === undefined ? { role } : { role, accountId } })
  return completeLogin(login)
}
export type DevLoginRole = (typeof devLoginRoles)[number]

/**
 * A session the server handed back for a changed account (使用邀请码: a new role
 * and organization; the old token's are stale), kept like a login's, and the
 * account read again. Stays on the page: it shows what happened.
 */
export async function adoptSession(login: LoginResponse): Promise<MeResponse> {
  keepSession(login)
  // Not setMe(null) as after a login: the page stays mounted and shows the new post.
  return refreshMe()
}

export function logout(): void {
  forgetAccount()
  tokenStore.clear()
  setMe(null)
  // Signing out is not an interruption: the next login starts at 首页.
  goToLogin({ comeBack: false })
}

export interface SessionState {
  me: MeResponse | null
  loading: boolean
  error: string | null
  reload: () => void
}

/**
 * The signed-in account for a page. Sends the user to the login page when
 * there is no token; loads /api/me once and shares it with every page.
 */
export function useSession(): SessionState {
  const me = useMeSnapshot()
  const [error, setError] = useState<string | null>(null)

  const load = () => {
    if (!tokenStore.get() && !tokenStore.getRefresh()) {
      goToLogin()
      return
    }
    setError(null)
    refreshMe().catch((e: unknown) => {
      // A 401 has already cleared the token and left for the login page.
      if (!(e instanceof ApiError && e.status === 401)) setError(errorMessage(e))
    })
  }

  useEffect(() => {
    // Once per mount; reloading is explicit. An expired access token is renewed by the API client.
    if (getMe() === null) load()
  }, [])

  // An applicant waiting for the branch's approval comes back to a tab page to
  // see whether it came through: ask again, so the new role shows at once.
  useDidShow(() => {
    if (getMe()?.account.role === 'applicant') load()
  })

  // With no account and no error the page is either loading or on its way to the login page.
  return { me, loading: me === null && error === null, error: me ? null : error, reload: load }
}
