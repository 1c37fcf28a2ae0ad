/**
 * 使用邀请码: a newcomer (signed in, no post yet) types the code they were given,
 * or scans its QR in WeChat, and becomes what it says (支部书记, 乡镇党委工作人员,
 * 县委组织部工作人员) of that organization. The server refuses a used, expired
 * or revoked code in a sentence that says what to do.
 */
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { ROLE_LABELS } from '@shared/common'
import { INVITATION_QR_PREFIX, redeemInvitation } from '@shared/onboarding'
import { api, errorMessage } from '@/api'
import { adoptSession } from '@/auth/session'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import '../parts.scss'

function Done({ me }: { me: MeResponse }) {
  return (
    <Card accent title='邀请码已使用' testId='redeem-done'>
      <Text className='dj-onb__for'>
        您现在是「{me.account.organization?.name ?? ''}」的{ROLE_LABELS[me.account.role]}。
      </Text>
      <View className='dj-onb__buttons'>
        <Button type='primary' size='large' block onClick={() => void Taro.switchTab({ url: ROUTES.admin })} data-testid='go-admin'>
          进入管理
        </Button>
      </View>
    </Card>
  )
}

function RedeemPage({ me }: { me: MeResponse }) {
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<MeResponse | null>(null)
  const officer = me.account.role === 'secretary' || me.account.role === 'staff' || me.account.role === 'county'
  if (done) return <Done me={done} />
  if (officer) {
    return (
      <Card title='您的账号已有管理职务' testId='redeem-officer'>
        <Text className='dj-onb__meta'>
          您已是「{me.account.organization?.name ?? ''}」的{ROLE_LABELS[me.account.role]}，不需要再使用邀请码。
        </Text>
      </Card>
    )
  }
  const send = async (text: string) => {
    if (!text.trim()) return setError('请输入邀请码')
    setBusy(true)
    setError(null)
    try {
      const login = await api(redeemInvitation, { body: { code: text } })
      setDone(await adoptSession(login))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  const scan = async () => {
    try {
      const result = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
      if (!result.result.startsWith(INVITATION_QR_PREFIX)) return setError('这不是邀请码的二维码，请扫发放人出示的邀请码二维码')
      setCode(result.result.slice(INVITATION_QR_PREFIX.length))
      await send(result.result)
    } catch {
      setError('没有扫到二维码，请再试一次，或直接输入邀请码')
    }
  }
  return (
    <View className='dj-onb'>
      <Card accent title='输入邀请码' testId='redeem-form'>
        <Text className='dj-onb__meta'>支部书记、乡镇党委和县委组织部工作人员：输入收到的10位邀请码（字母不分大小写，横线可不输）。</Text>
        <Input
          className='dj-onb__input dj-onb__input--code'
          value={code}
          maxlength={20}
          placeholder='例如 ABCDE-FGHJK'
          onInput={(e) => setCode(e.detail.value)}
          data-testid='redeem-code'
        />
        {error ? <Text className='dj-onb__message dj-onb__message--error' data-testid='redeem-error'>{error}</Text> : null}
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void send(code)} data-testid='redeem-submit'>
          确定
        </Button>
        {process.env.TARO_ENV === 'weapp' ? (
          <View className='dj-onb__buttons'>
            <Button size='large' block disabled={busy} onClick={() => void scan()}>
              扫码
            </Button>
          </View>
        ) : null}
      </Card>
    </View>
  )
}

export default function Page() {
  return <SignedInPage>{(me) => <RedeemPage me={me} />}</SignedInPage>
}
