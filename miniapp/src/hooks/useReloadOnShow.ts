import { useDidShow } from '@tarojs/taro'
import { useRef } from 'react'

/**
 * Reloads when the page comes back into view: a tab page stays mounted, and a list
 * page is shown again after a step taken on the page it opened. The first show is
 * skipped (the data was just loaded on mount).
 */
export function useReloadOnShow(reload: () => unknown) {
  const first = useRef(true)
  useDidShow(() => {
    if (first.current) {
      first.current = false
      return
    }
    void reload()
  })
}
