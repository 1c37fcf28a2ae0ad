/** 集中学习签到: scan the secretary's QR code (or paste the code in H5). */
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { parseSignInQrText } from '@shared/study'
import { ApiError } from '@/api'
import { submitWrite, writeOutcome } from '@/offline'
import { Card } from '@/components/Card'
import { Button } from '@/ui/nutui'
import { useInputKey } from '@/hooks/useInputKey'
import { useOutcome } from './parts'

export function ScanSignIn({ onChanged }: { onChanged: () => Promise<void> }) {
  const [code, setCode] = useState('')
  const { busy, message, setMessage, run } = useOutcome(onChanged)
  const action = useInputKey()

  const send = async (text: string) => {
    const parsed = parseSignInQrText(text.trim())
    if (!parsed) {
      setMessage({ text: '这不是集中学习的签到二维码，请扫描现场屏幕上的二维码', ok: false })
      return
    }
    await run(async () => {
      // Scanned in a room without signal: the code is kept with the time of the scan and sent later.
      const write = await submitWrite(
        action.keyFor(parsed),
        { kind: 'eventSignIn', params: { id: parsed.eventId }, body: { token: parsed.token } },
        '集中学习扫码签到',
      )
      const outcome = writeOutcome(write)
      if (!outcome.ok) throw new ApiError('http', outcome.text)
      action.done()
      setCode('')
      return outcome.text
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
      <Text className='dj-study__hint'>参加集中学习时扫书记出示的二维码，按活动时长计入。会场没有信号也可以扫，有网络后自动上传。</Text>
      {process.env.TARO_ENV === 'weapp' ? (
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void scan()}>
          扫码签到
        </Button>
      ) : (
        <View>
          <Input className='dj-study__input' value={code} data-testid='sign-in-code' maxlength={2000} nativeProps={{ maxlength: 2000 }} placeholder='粘贴签到码' onInput={(e) => setCode(e.detail.value)} />
          <Button type='primary' size='large' block loading={busy} disabled={busy || !code} onClick={() => void send(code)}>
            签到
          </Button>
        </View>
      )}
      {message ? <Text className={`dj-study__message ${message.ok ? '' : 'dj-study__message--error'}`}>{message.text}</Text> : null}
    </Card>
  )
}
