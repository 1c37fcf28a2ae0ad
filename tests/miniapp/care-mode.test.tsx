/**
 * 长辈模式 (issue 19.4): the stored 大字 choice and WeChat's font-size setting decide the care class on every page
 * shell; the switch on 我的 keeps the choice in storage and every mounted page follows at once.
 */
import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, expect, test } from 'vitest'
import Taro from '@tarojs/taro'
import { Text } from '@tarojs/components'
import { CARE_CLASS, CARE_MODE_KEY, careModeOn } from '@/care'
import { CareSwitch } from '@/care/CareSwitch'
import { PageShell } from '@/components/PageShell'
import { resetTaroShim, showPageAgain, storage } from './taro-shim'

const taro = Taro as unknown as { getAppBaseInfo?: () => unknown }
const h5AppBaseInfo = taro.getAppBaseInfo

afterEach(() => {
  resetTaroShim()
  taro.getAppBaseInfo = h5AppBaseInfo
  document.documentElement.classList.remove(CARE_CLASS)
})

function wechatFont(info: { fontSizeSetting?: number; fontSizeScaleFactor?: number } | undefined) {
  taro.getAppBaseInfo = () => info
}

function shellOf(text: string): HTMLElement {
  const el = screen.getByText(text).closest('.dj-page')
  if (!(el instanceof HTMLElement)) throw new Error(`no page shell around ${text}`)
  return el
}

test.each([
  { case: 'nothing stored, WeChat standard size (17 px)', stored: undefined, info: { fontSizeSetting: 17, fontSizeScaleFactor: 1 }, on: false },
  { case: 'nothing stored, WeChat 关怀模式 (22 px)', stored: undefined, info: { fontSizeSetting: 22 }, on: true },
  { case: 'nothing stored, WeChat scale 1.3 without a px size', stored: undefined, info: { fontSizeScaleFactor: 1.3 }, on: true },
  { case: 'nothing stored, no getAppBaseInfo (old base library)', stored: undefined, info: undefined, on: false },
  { case: '大字 chosen, WeChat standard', stored: 'on', info: { fontSizeSetting: 17 }, on: true },
  { case: '大字 turned off, WeChat large', stored: 'off', info: { fontSizeSetting: 24 }, on: false },
  { case: 'a stored value that is not a choice reads as not chosen', stored: 'yes', info: { fontSizeSetting: 24 }, on: true },
])('$case → care class $on', ({ stored, info, on }) => {
  if (stored !== undefined) storage.set(CARE_MODE_KEY, stored)
  if (info === undefined) taro.getAppBaseInfo = undefined
  else wechatFont(info)
  expect(careModeOn()).toBe(on)
  render(<PageShell><Text>页面内容</Text></PageShell>)
  expect(shellOf('页面内容').classList.contains(CARE_CLASS)).toBe(on)
  expect(shellOf('页面内容').getAttribute('data-care')).toBe(on ? 'on' : 'off')
  // H5: the tab bar outside the pages follows through the document root.
  expect(document.documentElement.classList.contains(CARE_CLASS)).toBe(on)
})

test('the 大字 switch stores the choice, and every mounted page shell follows at once', async () => {
  wechatFont({ fontSizeSetting: 17 })
  render(
    <>
      <PageShell><Text>首页内容</Text></PageShell>
      <PageShell><CareSwitch /></PageShell>
    </>,
  )
  const toggle = screen.getByTestId('care-switch')
  expect(toggle.getAttribute('aria-checked')).toBe('false')
  expect(screen.getByText(/现在跟随微信的字体大小/)).toBeTruthy()
  expect(screen.queryByTestId('care-follow-wechat')).toBeNull()

  await act(async () => void fireEvent.click(toggle))
  expect(storage.get(CARE_MODE_KEY)).toBe('on')
  expect(toggle.getAttribute('aria-checked')).toBe('true')
  expect(shellOf('首页内容').classList.contains(CARE_CLASS)).toBe(true)

  await act(async () => void fireEvent.click(toggle))
  expect(storage.get(CARE_MODE_KEY)).toBe('off')
  expect(shellOf('首页内容').classList.contains(CARE_CLASS)).toBe(false)

  // Back to following WeChat: the stored choice goes, and WeChat's large setting applies again.
  wechatFont({ fontSizeSetting: 22 })
  await act(async () => void fireEvent.click(screen.getByTestId('care-follow-wechat')))
  expect(storage.has(CARE_MODE_KEY)).toBe(false)
  expect(shellOf('首页内容').classList.contains(CARE_CLASS)).toBe(true)
})

test('a page shown again re-reads WeChat\'s font size (changed in WeChat meanwhile)', async () => {
  wechatFont({ fontSizeSetting: 17 })
  render(<PageShell><Text>学习内容</Text></PageShell>)
  expect(shellOf('学习内容').classList.contains(CARE_CLASS)).toBe(false)
  wechatFont({ fontSizeSetting: 23 })
  await act(async () => showPageAgain())
  expect(shellOf('学习内容').classList.contains(CARE_CLASS)).toBe(true)
})
