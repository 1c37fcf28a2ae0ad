import { useDidShow } from '@tarojs/taro'
import { useRef } from 'react'

/** Reloads when the page comes back into view (after a step taken on the detail page). */
export function useReloadOnShow(reload: () => Promise<void>) {
  const first = useRef(true)
  useDidShow(() => {
    if (first.current) {
      first.current = false
      return
    }
    void reload()
  })
}
