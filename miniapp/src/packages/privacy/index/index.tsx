/**
 * 隐私保护指引: the guide for anyone (reachable from 登录 before signing in, and from 我的); for a signed-in
 * account, whether it agreed to this version, the boxes to agree, and 撤回同意 with what it means.
 * Opened by WeChat's onNeedPrivacyAuthorization too (`?ask=1`): leaving without agreeing declines.
 */
import Taro, { useUnload } from '@tarojs/taro'
import { Button as TaroButton, View, Text } from '@tarojs/components'
import { myConsent, withdrawConsent, WITHDRAW_EXPLANATION } from '@shared/privacy'
import { api, errorMessage, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { PageShell } from '@/components/PageShell'
import { ConsentForm } from '@/components/privacy/ConsentForm'
import { PrivacyGuide } from '@/components/privacy/PrivacyGuide'
import { PRIVACY_AGREE_BUTTON_ID, settleWechatPrivacy } from '@/privacy/wechat'
import { tokenStore } from '@/session/token'
import { Button } from '@/ui/nutui'
import { beijingDate } from '@/utils/format'

const day = (iso: string) => beijingDate(iso)

function MyConsent() {
  const state = useApi(() => api(myConsent), [])
  const withdraw = async () => {
    const answer = await Taro.showModal({ title: '撤回同意', content: WITHDRAW_EXPLANATION, confirmText: '确认撤回', cancelText: '不撤回' })
    if (!answer.confirm) return
    try {
      await api(withdrawConsent, { body: {} })
      void Taro.showToast({ title: '已撤回', icon: 'success' })
      await state.reload()
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    }
  }
  return (
    <AsyncContent state={state} loadingText='正在查询同意情况…'>
      {(s) =>
        s.agreed.includes('guide') ? (
          <Card title='我的同意' testId='consent-status'>
            <Text className='dj-pc__note' data-testid='consent-agreed'>
              您已于{s.agreedAt ? day(s.agreedAt) : ''}同意本指引（第{s.version}版）
              {s.agreed.includes('sensitive') ? '，并单独同意收集身份证号。' : '；尚未同意收集身份证号（登记时会再询问）。'}
            </Text>
            <Text className='dj-pc__note'>{WITHDRAW_EXPLANATION}</Text>
            <Button size='large' block onClick={() => void withdraw()} data-testid='consent-withdraw'>
              撤回同意
            </Button>
          </Card>
        ) : (
          <Card title={s.outdated ? '指引已更新，请重新阅读并同意' : '同意本指引'} accent testId='consent-status'>
            <ConsentForm needSensitive={false} onAgreed={() => void state.reload()} />
          </Card>
        )
      }
    </AsyncContent>
  )
}

export default function PrivacyPage() {
  // Opened by WeChat's privacy flow and left without agreeing: the waiting WeChat API fails, as it should.
  useUnload(() => settleWechatPrivacy(false))
  const signedIn = tokenStore.get() != null
  return (
    <PageShell>
      <View style={{ padding: '24px', display: 'flex', flexDirection: 'column', gap: '24px' }}>
        <Card>
          <PrivacyGuide />
        </Card>
        {signedIn ? (
          <MyConsent />
        ) : (
          <Card>
            <Text className='dj-pc__note'>登录后可以在本页同意或撤回同意。</Text>
            {process.env.TARO_ENV === 'weapp' ? (
              // Before signing in, WeChat may still ask (onNeedPrivacyAuthorization): agreeing here answers it.
              <TaroButton className='dj-pc__agree' id={PRIVACY_AGREE_BUTTON_ID} openType='agreePrivacyAuthorization' onAgreePrivacyAuthorization={() => (settleWechatPrivacy(true), void Taro.navigateBack())}>
                同意并继续
              </TaroButton>
            ) : null}
          </Card>
        )}
      </View>
    </PageShell>
  )
}
