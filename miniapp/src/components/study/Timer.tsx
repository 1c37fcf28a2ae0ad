/**
 * 计时学习: start and finish; minutes are counted by the server, never by the
 * phone, and only while the member is there (the page confirms presence).
 */
import { Text, Input } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { finishSession, formatMinutes, startSession, type StudyWay, STUDY_WAY_LABELS, STUDY_WAY_PLATFORM } from '@shared/study'
import { PRESENCE_GRACE_MINUTES, PRESENCE_INTERVAL_SECONDS } from '@shared/study-timer'
import { api, errorMessage } from '@/api'
import { Card } from '@/components/Card'
import { Button } from '@/ui/nutui'
import { useActionKey, WayChoices, type MyStudy } from './parts'
import { usePresence } from './usePresence'

function elapsedMinutes(startedAt: string, serverNow: string, fetchedAt: number, tick: number): number {
  const now = new Date(serverNow).getTime() + (tick - fetchedAt)
  return Math.max(0, Math.floor((now - new Date(startedAt).getTime()) / 60_000))
}

export function Timer({ data, fetchedAt, onChanged }: { data: MyStudy; fetchedAt: number; onChanged: () => Promise<void> }) {
  const [way, setWay] = useState<StudyWay>(STUDY_WAY_PLATFORM)
  const [topic, setTopic] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const [tick, setTick] = useState(Date.now())
  const action = useActionKey()
  const open = data.openSession

  useEffect(() => {
    if (!open) return
    const id = setInterval(() => setTick(Date.now()), 15_000)
    return () => clearInterval(id)
  }, [open])

  const presence = usePresence(open?.id ?? null, (answer) => {
    const credited = answer.session.creditedMinutes ?? 0
    setMessage(`超过${PRESENCE_GRACE_MINUTES}分钟未确认在学，计时已按最后一次确认结束${credited > 0 ? `，已记入 ${formatMinutes(credited)}` : ''}`)
    void onChanged()
  })

  const start = async () => {
    const body = { way, topic: topic.trim() || '自主学习党的理论' }
    setBusy(true)
    setMessage(null)
    try {
      await api(startSession, { body, idempotencyKey: action.keyFor({ start: body }) })
      action.done()
      await onChanged()
    } catch (e) {
      setMessage(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  const finish = async () => {
    if (!open) return
    setBusy(true)
    setMessage(null)
    try {
      const result = await api(finishSession, { params: { id: open.id }, body: {}, idempotencyKey: action.keyFor({ finish: open.id }) })
      action.done()
      const credited = result.session.creditedMinutes ?? 0
      setMessage(credited > 0 ? `已记入 ${formatMinutes(credited)}` : '学习不足1分钟，未计入')
      await onChanged()
    } catch (e) {
      setMessage(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  if (open) {
    // The display stops where credit stops: at the cap, or when presence lapsed.
    const creditEndsAt = new Date(presence.creditEndsAt ?? open.creditEndsAt).getTime()
    const creditable = Math.max(0, Math.floor((creditEndsAt - new Date(open.startedAt).getTime()) / 60_000))
    const elapsed = Math.min(data.sessionCapMinutes, creditable, elapsedMinutes(open.startedAt, data.serverNow, fetchedAt, tick))
    return (
      <Card title='正在计时学习' accent testId='study-timer'>
        <Text className='dj-study__timer-topic'>{STUDY_WAY_LABELS[open.way]} · {open.topic}</Text>
        <Text className='dj-study__timer-value' data-testid='timer-elapsed'>已学习 {formatMinutes(elapsed)}</Text>
        <Text className='dj-study__hint'>
          以服务器时间计算，单次最多计 {data.sessionCapMinutes} 分钟。页面开着时每 {PRESENCE_INTERVAL_SECONDS / 60} 分钟自动确认一次在学；离开超过 {PRESENCE_GRACE_MINUTES} 分钟，计时按最后一次确认结束。计时只供您本人使用，不向任何人展示。学完请点“结束学习”。
        </Text>
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void finish()} data-testid='finish-session'>
          结束学习（记入 {formatMinutes(elapsed)}）
        </Button>
        {message ? <Text className='dj-study__message' data-testid='timer-message'>{message}</Text> : null}
      </Card>
    )
  }
  return (
    <Card title='计时学习' accent testId='study-timer'>
      <Text className='dj-study__label'>学习方式</Text>
      <WayChoices value={way} onChange={setWay} />
      <Text className='dj-study__label'>学习内容</Text>
      <Input className='dj-study__input' maxlength={100} value={topic} placeholder='如：学习新修订的《纪律处分条例》' onInput={(e) => setTopic(e.detail.value)} />
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void start()} data-testid='start-session'>
        开始计时学习
      </Button>
      {message ? <Text className='dj-study__message' data-testid='timer-message'>{message}</Text> : null}
    </Card>
  )
}
