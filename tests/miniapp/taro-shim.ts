/**
 * `@tarojs/taro` for component tests: Taro's web implementation, plus what it
 * lacks outside a Taro build. Navigation is recorded instead of performed
 * (there is no router), and storage is an in-memory map (inspectable).
 */
import { useEffect, useRef } from 'react'
import TaroH5 from '@tarojs/taro-h5'

// Named imports (`import { getEnv } from '@tarojs/taro'`, used by NutUI) get
// Taro's web versions; the default export below overrides what tests control.
export * from '@tarojs/taro-h5'

export interface NavigationCall {
  method: 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab' | 'navigateBack'
  url?: string
}

/** Every navigation the code under test asked for, in order. */
export const navigationLog: NavigationCall[] = []
export const storage = new Map<string, unknown>()

function navigation(method: NavigationCall['method']) {
  return (options: { url?: string } = {}) => {
    navigationLog.push({ method, url: options.url })
    return Promise.resolve({ errMsg: `${method}:ok` })
  }
}

const Taro = {
  ...(TaroH5 as unknown as Record<string, unknown>),
  navigateTo: navigation('navigateTo'),
  redirectTo: navigation('redirectTo'),
  reLaunch: navigation('reLaunch'),
  switchTab: navigation('switchTab'),
  navigateBack: navigation('navigateBack'),
  getCurrentPages: () => [],
  getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
  setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
  removeStorageSync: (key: string) => void storage.delete(key),
  showModal: () => Promise.resolve({ confirm: true, cancel: false }),
  showToast: () => Promise.resolve({ errMsg: 'showToast:ok' }),
  login: () => Promise.resolve({ code: 'test-code', errMsg: 'login:ok' }),
}

export default Taro

// Page lifecycle hooks come from Taro's React runtime, not from taro-h5: in a
// test the component is the page, so "shown" and "loaded" mean mounted — once,
// whatever the callback closes over, as Taro runs them.
/* eslint-disable react-hooks/exhaustive-deps */
const shownHooks = new Set<{ current: () => void }>()
export const useDidShow = (callback: () => void) => {
  const latest = useRef(callback)
  latest.current = callback
  useEffect(() => {
    shownHooks.add(latest)
    latest.current()
    return () => {
      shownHooks.delete(latest)
    }
  }, [])
}
/** The page comes back into view (a page it opened was closed, or its tab chosen again): every mounted useDidShow runs again. */
export function showPageAgain(): void {
  for (const hook of [...shownHooks]) hook.current()
}
export const useLoad = (callback: (params: Record<string, string>) => void) => useEffect(() => callback({}), [])
export const useReady = (callback: () => void) => useEffect(callback, [])
export const useDidHide = (_callback: () => void) => undefined
export const usePullDownRefresh = (_callback: () => void) => undefined
export const useReachBottom = (_callback: () => void) => undefined
export const useRouter = () => ({ params: {} as Record<string, string>, path: '' })

export function resetTaroShim(): void {
  navigationLog.length = 0
  storage.clear()
}
