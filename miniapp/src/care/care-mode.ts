/**
 * 长辈模式 (care mode, issue 19.4): larger text and taps for older members. It is on when the member chose 大字
 * on 我的, or, until they choose, when WeChat's own font size is set large (微信 → 设置 → 关怀模式 / 字体大小).
 * The choice is kept on the phone; every mounted page shell follows a change at once (useCareMode).
 */
import Taro from '@tarojs/taro'

export const CARE_MODE_KEY = 'dangjian.care-mode'
/** The class on each page's root (PageShell) that switches the font-size and tap-height variables (care.scss). */
export const CARE_CLASS = 'dj-care'
export const CARE_MODE_EVENT = 'dj-care-mode'

/** 'on' / 'off': the member's own choice on 我的; 'system': never chosen, follow WeChat's font size. */
export type CareChoice = 'on' | 'off' | 'system'

/**
 * WeChat's standard font size is 16–17 px (scale 1); its 关怀模式 and the larger 字体大小 steps report 20 px and
 * more (scale ≥ 1.2). Anything from there on reads as "this person wants large text".
 */
export const LARGE_FONT_SETTING_PX = 20
export const LARGE_FONT_SCALE = 1.2

interface AppBaseInfo {
  fontSizeSetting?: number
  fontSizeScaleFactor?: number
}

/** Whether WeChat's font-size setting asks for large text. H5 and old base libraries have no getAppBaseInfo: no. */
export function systemWantsLargeText(): boolean {
  let info: AppBaseInfo | undefined
  try {
    info = (Taro as unknown as { getAppBaseInfo?: () => AppBaseInfo }).getAppBaseInfo?.()
  } catch {
    return false
  }
  if (!info) return false
  return (info.fontSizeSetting ?? 0) >= LARGE_FONT_SETTING_PX || (info.fontSizeScaleFactor ?? 0) >= LARGE_FONT_SCALE
}

export function storedCareChoice(): CareChoice {
  try {
    const value: unknown = Taro.getStorageSync(CARE_MODE_KEY)
    return value === 'on' || value === 'off' ? value : 'system'
  } catch {
    return 'system'
  }
}

/** The member's choice wins; without one, WeChat's setting decides. */
export function careModeOn(choice: CareChoice = storedCareChoice()): boolean {
  return choice === 'system' ? systemWantsLargeText() : choice === 'on'
}

/** Keeps the choice and tells every page shell on screen or in the page stack. */
export function setCareChoice(choice: CareChoice): void {
  if (choice === 'system') Taro.removeStorageSync(CARE_MODE_KEY)
  else Taro.setStorageSync(CARE_MODE_KEY, choice)
  listeners.forEach((listener) => listener())
}

const listeners = new Set<() => void>()

export function onCareModeChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}
