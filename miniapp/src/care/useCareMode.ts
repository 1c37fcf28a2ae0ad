import { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { careModeOn, CARE_CLASS, onCareModeChange } from './care-mode'

/**
 * Whether care mode is on, kept current: a change on 我的 reaches every mounted page at once (tab pages and the
 * page stack stay mounted), and a page shown again re-reads WeChat's font size, which may have changed meanwhile.
 */
export function useCareMode(): boolean {
  const [on, setOn] = useState(careModeOn)
  useEffect(() => onCareModeChange(() => setOn(careModeOn())), [])
  useDidShow(() => setOn(careModeOn()))
  // H5: the tab bar sits outside every page; the same class on the document root sizes it too.
  useEffect(() => {
    if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') document.documentElement.classList.toggle(CARE_CLASS, on)
  }, [on])
  return on
}
