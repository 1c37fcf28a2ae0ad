import Taro from '@tarojs/taro'

/**
 * The access token (at most 15 minutes) and the refresh token (weeks) that
 * renews it; `clear` forgets both.
 */
export interface TokenStore {
  get(): string | null
  set(token: string): void
  getRefresh(): string | null
  setRefresh(token: string): void
  clear(): void
}

const TOKEN_KEY = 'dangjian.session-token'
const REFRESH_KEY = 'dangjian.refresh-token'

function read(key: string): string | null {
  try {
    const value: unknown = Taro.getStorageSync(key)
    return typeof value === 'string' && value !== '' ? value : null
  } catch {
    return null
  }
}

/**
 * The access token and the refresh token in the platform's persistent storage
 * (wx storage / localStorage): a member who comes back after weeks is renewed
 * without logging in again.
 */
export const tokenStore: TokenStore = {
  get: () => read(TOKEN_KEY),
  set(token) {
    Taro.setStorageSync(TOKEN_KEY, token)
  },
  getRefresh: () => read(REFRESH_KEY),
  setRefresh(token) {
    Taro.setStorageSync(REFRESH_KEY, token)
  },
  clear() {
    for (const key of [TOKEN_KEY, REFRESH_KEY]) {
      try {
        Taro.removeStorageSync(key)
      } catch {
        // Storage unavailable: nothing to clear.
      }
    }
  },
}
