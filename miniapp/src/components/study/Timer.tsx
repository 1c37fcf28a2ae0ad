/**
 * 计时学习: start and finish; minutes are counted by the server, never by the
 * phone, and only while the member is there (the page confirms presence).
 */
import { Text } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { formatMinutes, STUDY_WAY_PLAIN_LABELS } from '@shared/study'
import { PRESENCE_GRACE_MINUTES, PRESENCE_INTERVAL_SECONDS } from '@shared/study-timer'
import { errorMessage } from '@/api'
import { submitWrite, writeOutcome } from '@/offline'
import { Card } from '@/components/Card'
import { Button } from '@/ui/nutui'
import { useInputKey } from '@/hooks/useInputKey'
import type { MyStudy } from './parts'
import { usePresence } from './usePresence'

function elapsedMinutes(startedAt: string, serverNow: string, fetchedAt: number, tick: number): number {
  const now = new Date(serverNow).getTime() + (tick - fetchedAt)
  return Math.max(0, Math.floor((now - new Date(startedAt).getTime()) / 60_000))
}

/** The running timer (starting one is on StudyForm). Finishing without signal is queued and closes at the tap. */
/**
 * `onClosed` hands the closing message (what was credited) to the page: once the session is closed this card
 * is gone, and the member must still read what happened.
 */
export function Timer({ data, fetchedAt, onChanged, onClosed }: { data: MyStudy; fetchedAt: number; onChanged: () => Promise<void>; onClosed: (message: string) => void }) {
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const [tick, setTick] = useState(Date.now())
  const action = useInputKey()
  const open = data.openSession

  useEffect(() => {
    if (!open) return
    const id = setInterval(() => setTick(Date.now()), 15_000)
    return () => clearInterval(id)
  }, [open])

  const presence = usePresence(open?.id ?? null, (answer) => {
    const credited = answer.session.creditedMinutes ?? 0
    onClosed(`超过${PRESENCE_GRACE_MINUTES}分钟未确认在学，计时已按最后一次确认结束${credited > 0 ? `，已记入 ${formatMinutes(credited)}` : ''}`)
    void onChanged()
  })

  const finish = async () => {
    if (!open) return
    setBusy(true)
    setMessage(null)
    try {
      const write = await submitWrite(action.keyFor({ finish: open.id }), { kind: 'timerFinish', params: { id: open.id }, body: {} }, `结束计时：${open.topic}`)
      action.done()
      onClosed(writeOutcome(write).text)
      await onChanged()
    } catch (e) {
      setMessage(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  if (!open) return null
  // The display stops where credit stops: at the cap, or when presence lapsed.
  const creditEndsAt = new Date(presence.creditEndsAt ?? open.creditEndsAt).getTime()
  const creditable = Math.max(0, Math.floor((creditEndsAt - new Date(open.startedAt).getTime()) / 60_000))
  const elapsed = Math.min(data.sessionCapMinutes, creditable, elapsedMinutes(open.startedAt, data.serverNow, fetchedAt, tick))
  return (
    <Card title='正在计时学习' accent testId='study-timer'>
      <Text className='dj-study__timer-topic'>{STUDY_WAY_PLAIN_LABELS[open.way]} · {open.topic}</Text>
      <Text className='dj-study__timer-value' data-testid='timer-elapsed'>已学习 {formatMinutes(elapsed)}</Text>
      <Text className='dj-study__hint'>
        按服务器时间计，单次最多 {data.sessionCapMinutes} 分钟；页面开着时每 {PRESENCE_INTERVAL_SECONDS / 60} 分钟自动确认在学，离开超过 {PRESENCE_GRACE_MINUTES} 分钟就按最后一次确认结束。只有您本人能看到。
      </Text>
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void finish()} data-testid='finish-session'>
        结束学习（记入 {formatMinutes(elapsed)}）
      </Button>
      {message ? <Text className='dj-study__message' data-testid='timer-message'>{message}</Text> : null}
    </Card>
  )
}
