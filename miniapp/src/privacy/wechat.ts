/**
 * WeChat's own privacy authorization (小程序用户隐私保护指引, required since 2023): before a privacy API
 * or component (phone number, ID card input and the like) runs, the user must have agreed in WeChat's flow.
 * `requireWechatPrivacy()` asks for it before a step that collects personal information;
 * `installWechatPrivacyListener()` answers WeChat's `onNeedPrivacyAuthorization` by opening our guide page,
 * whose agree button (open-type agreePrivacyAuthorization, id PRIVACY_AGREE_BUTTON_ID) settles it.
 * In H5 there is no such flow: the page's own consent dialog is the whole of it.
 */
import Taro from '@tarojs/taro'
import { ROUTES } from '@/routes'

export const PRIVACY_AGREE_BUTTON_ID = 'dj-privacy-agree'

type Resolve = (option: { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string }) => void
let pending: Resolve | null = null

export function installWechatPrivacyListener(): void {
  if (process.env.TARO_ENV !== 'weapp') return
  Taro.onNeedPrivacyAuthorization((resolve) => {
    pending = resolve as Resolve
    resolve({ event: 'exposureAuthorization' })
    void Taro.navigateTo({ url: `${ROUTES.privacy}?ask=1` })
  })
}

/** The user tapped our agree button (or left the page without agreeing): let the waiting WeChat API go on, or fail. */
export function settleWechatPrivacy(agreed: boolean): void {
  const resolve = pending
  pending = null
  resolve?.(agreed ? { event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID } : { event: 'disagree' })
}

/** Resolves once WeChat's privacy authorization stands (at once in H5, or when already agreed). */
export function requireWechatPrivacy(): Promise<void> {
  if (process.env.TARO_ENV !== 'weapp') return Promise.resolve()
  return new Promise((resolve, reject) => {
    Taro.requirePrivacyAuthorize({
      success: () => resolve(),
      fail: () => reject(new Error('需要先同意《隐私保护指引》才能继续')),
    })
  })
}
