/** 集中学习签到: scan the secretary's QR code (or paste the code in H5). */
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { formatMinutes, parseSignInQrText, signIn } from '@shared/study'
import { api } from '@/api'
import { Card } from '@/components/Card'
import { Button } from '@/ui/nutui'
import { useActionKey, useOutcome } from './parts'

export function ScanSignIn({ onChanged }: { onChanged: () => Promise<void> }) {
  const [code, setCode] = useState('')
  const { busy, message, setMessage, run } = useOutcome(onChanged)
  const action = useActionKey()

  const send = async (text: string) => {
    const parsed = parseSignInQrText(text.trim())
    if (!parsed) {
      setMessage({ text: '这不是集中学习的签到二维码，请扫描现场屏幕上的二维码', ok: false })
      return
    }
    await run(async () => {
      const result = await api(signIn, { params: { id: parsed.eventId }, body: { token: parsed.token }, idempotencyKey: action.keyFor(parsed) })
      action.done()
      setCode('')
      return result.alreadySignedIn ? '您已签到过本次学习' : `签到成功，记入 ${formatMinutes(result.entry.minutes)}：${result.entry.topic}`
    })
  }
  const scan = async () => {
    try {
      const result = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
      await send(result.result)
    } catch {
      setMessage({ text: '没有扫到二维码，请对准现场屏幕再试一次', ok: false })
    }
  }

  return (
    <Card title='集中学习签到' testId='study-scan'>
      <Text className='dj-study__hint'>参加支部集中学习时，扫描书记出示的二维码签到，按活动时长计入学习。</Text>
      {process.env.TARO_ENV === 'weapp' ? (
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void scan()}>
          扫码签到
        </Button>
      ) : (
        <View>
          <Input className='dj-study__input' value={code} placeholder='粘贴签到码' onInput={(e) => setCode(e.detail.value)} />
          <Button type='primary' size='large' block loading={busy} disabled={busy || !code} onClick={() => void send(code)}>
            签到
          </Button>
        </View>
      )}
      {message ? <Text className={`dj-study__message ${message.ok ? '' : 'dj-study__message--error'}`}>{message.text}</Text> : null}
    </Card>
  )
}
