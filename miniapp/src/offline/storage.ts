/**
 * Persistent key–value storage for the offline pieces: Taro's storage (wx
 * storage in weapp, localStorage in H5), behind a small interface so tests
 * can hand in a plain map.
 */
import Taro from '@tarojs/taro'

export interface KeyValueStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
  remove(key: string): void
}

export const taroStore: KeyValueStore = {
  get(key) {
    try {
      const value: unknown = Taro.getStorageSync(key)
      return value === '' ? undefined : value
    } catch {
      return undefined
    }
  },
  set(key, value) {
    try {
      Taro.setStorageSync(key, value)
    } catch {
      // Storage full or unavailable: the write still goes out now if the network allows.
    }
  },
  remove(key) {
    try {
      Taro.removeStorageSync(key)
    } catch {
      // Nothing to remove.
    }
  },
}

/** The account the stored queue and cached reads belong to (set when /api/me answers, so it is known offline too). */
const ACCOUNT_KEY = 'dangjian.offline.account'

export function currentAccountId(store: KeyValueStore = taroStore): number | null {
  const value = store.get(ACCOUNT_KEY)
  return typeof value === 'number' ? value : null
}

export function rememberAccount(accountId: number, store: KeyValueStore = taroStore): void {
  store.set(ACCOUNT_KEY, accountId)
}

/** Logging out: the account's queue and reads stay stored for its next login, but nothing is shown or sent meanwhile. */
export function forgetAccount(store: KeyValueStore = taroStore): void {
  store.remove(ACCOUNT_KEY)
}
