/** Pieces the 乡镇开通 pages share: a card's keyed writes (their busy state and message), the issued code with its QR. */
import { View, Text, Image } from '@tarojs/components'
import { useState } from 'react'
import { INVITATION_ROLE_LABELS, INVITATION_VALID_DAYS, type Invitation } from '@shared/onboarding'
import { errorMessage } from '@/api'
import { Card } from '@/components/Card'
import type { InputKey } from '@/hooks/useInputKey'
import { beijingDateTime } from '@/utils/format'
import './parts.scss'

/** What a card says after a write: what was done, or why it was refused. */
export type Message = { ok: boolean; text: string } | null

export function MessageLine({ message, testId }: { message: Message; testId?: string }) {
  if (!message) return null
  return <Text className={`dj-onb__message ${message.ok ? '' : 'dj-onb__message--error'}`} data-testid={testId}>{message.text}</Text>
}

/**
 * A card's writes: the buttons are held while one runs, and a refusal (or a failed reload after it) is the card's
 * message. The key is given up only once the write answered, so a retry of the same input cannot write twice.
 */
export function useKeyedAction() {
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<Message>(null)
  async function run<T>(keys: InputKey, input: unknown, request: (idempotencyKey: string) => Promise<T>, then: (answer: T) => void | Promise<void>) {
    setBusy(true)
    setMessage(null)
    try {
      const answer = await request(keys.keyFor(input))
      keys.done()
      await then(answer)
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }
  return { busy, message, setMessage, run }
}

export interface Issued {
  invitation: Invitation
  code: string
  qrImage: string
}

/** The code as the invitee types it, its QR, who it is for and until when: shown once. */
export function IssuedCode({ issued }: { issued: Issued }) {
  const inv = issued.invitation
  return (
    <Card accent title='邀请码已生成' testId='issued-code'>
      <Text className='dj-onb__for'>
        {inv.townshipName && inv.townshipName !== inv.organizationName ? `${inv.townshipName} · ` : ''}
        {inv.organizationName} · {INVITATION_ROLE_LABELS[inv.role]}
      </Text>
      <Text className='dj-onb__code' data-testid='invitation-code' selectable>
        {issued.code}
      </Text>
      <View className='dj-onb__qr'>
        <Image src={issued.qrImage} className='dj-onb__qr-img' mode='aspectFit' />
      </View>
      <Text className='dj-onb__hint'>
        请把邀请码（或让对方扫二维码）交给本人：对方用微信打开小程序登录后，在“我的”页点“我有邀请码”输入。只能用一次，{INVITATION_VALID_DAYS}天内有效（至{beijingDateTime(inv.expiresAt)}）。邀请码只显示这一次，请现在记下或截图。
      </Text>
    </Card>
  )
}
