/**
 * The consent boxes: the guide, and separately the ID number (PIPL art. 29), neither ticked in advance.
 * In WeChat the agree button is also WeChat's own privacy-agreement button, so one tap settles both.
 */
import { Button as TaroButton, View, Text } from '@tarojs/components'
import { useState } from 'react'
import { agreeConsent, GUIDE_CONSENT_TEXT, PRIVACY_GUIDE_VERSION, SENSITIVE_CONSENT_TEXT, type ConsentState } from '@shared/privacy'
import { api, errorMessage } from '@/api'
import { PRIVACY_AGREE_BUTTON_ID, settleWechatPrivacy } from '@/privacy/wechat'
import { Button } from '@/ui/nutui'
import './privacy.scss'

/** One consent box: unticked until the user taps it (PIPL: consent is an act, never a default). */
export function ConsentTick({ on, text, onToggle, testId }: { on: boolean; text: string; onToggle: () => void; testId: string }) {
  return (
    <View className='dj-pc__check' onClick={onToggle} data-testid={testId} aria-checked={on} role='checkbox'>
      <View className={`dj-pc__box ${on ? 'dj-pc__box--on' : ''}`}>{on ? '✓' : ''}</View>
      <Text className='dj-pc__label'>{text}</Text>
    </View>
  )
}

/** `needSensitive`: the step ahead takes an ID number, so the second box must be ticked too. */
export function ConsentForm({ needSensitive, onAgreed }: { needSensitive: boolean; onAgreed: (state: ConsentState) => void }) {
  const [guide, setGuide] = useState(false)
  const [sensitive, setSensitive] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const ready = guide && (sensitive || !needSensitive)

  const agree = async () => {
    if (!ready) return setError(guide ? '登记需要填写身份证号，请单独勾选同意收集身份证号' : '请先勾选同意《隐私保护指引》')
    setBusy(true)
    setError(null)
    try {
      const state = await api(agreeConsent, { body: { version: PRIVACY_GUIDE_VERSION, guide: true, sensitive } })
      settleWechatPrivacy(true)
      onAgreed(state)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='dj-pc' data-testid='consent-form'>
      <ConsentTick on={guide} text={GUIDE_CONSENT_TEXT} onToggle={() => setGuide((v) => !v)} testId='consent-guide' />
      <ConsentTick on={sensitive} text={SENSITIVE_CONSENT_TEXT} onToggle={() => setSensitive((v) => !v)} testId='consent-sensitive' />
      {error ? (
        <Text className='dj-pc__error' data-testid='consent-error'>
          {error}
        </Text>
      ) : null}
      {process.env.TARO_ENV === 'weapp' && ready ? (
        <TaroButton className='dj-pc__agree' id={PRIVACY_AGREE_BUTTON_ID} openType='agreePrivacyAuthorization' onAgreePrivacyAuthorization={() => void agree()} disabled={busy}>
          {busy ? '正在提交…' : '同意并继续'}
        </TaroButton>
      ) : (
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void agree()} data-testid='consent-agree'>
          {busy ? '正在提交…' : '同意并继续'}
        </Button>
      )}
    </View>
  )
}
