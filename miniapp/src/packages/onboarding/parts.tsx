/** Pieces the 乡镇开通 pages share: a write keyed across retries (and its busy state and message), the issued code with its QR, dates. */
import { View, Text, Image } from '@tarojs/components'
import { useRef, useState } from 'react'
import { INVITATION_ROLE_LABELS, INVITATION_VALID_DAYS, type Invitation } from '@shared/onboarding'
import { errorMessage, newIdempotencyKey } from '@/api'
import { Card } from '@/components/Card'
import './parts.scss'

/** Shanghai `M月D日 HH:mm` of an ISO instant. */
export const when = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString()
  return `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日 ${d.slice(11, 16)}`
}

/** One write with a key kept across retries of the same input, so a retry never creates twice. */
export function useKeyedWrite() {
  const key = useRef<{ input: string; key: string } | null>(null)
  return (input: unknown) => {
    const text = JSON.stringify(input)
    if (key.current?.input !== text) key.current = { input: text, key: newIdempotencyKey() }
    return { key: key.current.key, done: () => (key.current = null) }
  }
}

export type KeyedWrite = ReturnType<ReturnType<typeof useKeyedWrite>>

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
  async function run<T>(write: KeyedWrite, request: (idempotencyKey: string) => Promise<T>, then: (answer: T) => void | Promise<void>) {
    setBusy(true)
    setMessage(null)
    try {
      const answer = await request(write.key)
      write.done()
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
        请把邀请码（或让对方扫二维码）交给本人：对方用微信打开小程序登录后，在“我的”页点“我有邀请码”输入。只能用一次，{INVITATION_VALID_DAYS}天内有效（至{when(inv.expiresAt)}）。邀请码只显示这一次，请现在记下或截图。
      </Text>
    </Card>
  )
}
