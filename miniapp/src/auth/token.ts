import Taro from '@tarojs/taro'
import type { TokenStore } from '@/api/client'

const TOKEN_KEY = 'dangjian.session-token'

/** The session token in the platform's persistent storage (wx storage / localStorage). */
export const tokenStore: TokenStore = {
  get() {
    try {
      const value: unknown = Taro.getStorageSync(TOKEN_KEY)
      return typeof value === 'string' && value !== '' ? value : null
    } catch {
      return null
    }
  },
  set(token) {
    Taro.setStorageSync(TOKEN_KEY, token)
  },
  clear() {
    try {
      Taro.removeStorageSync(TOKEN_KEY)
    } catch {
      // Storage unavailable: nothing to clear.
    }
  },
}
