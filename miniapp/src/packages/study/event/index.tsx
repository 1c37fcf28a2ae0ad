/**
 * One collective study event for the officer: the sign-in QR code (a signed
 * token that lives three minutes; the page fetches a new one every minute),
 * who has signed in, and ticking members who came without a phone.
 */
import { useDidHide, useDidShow, useRouter } from '@tarojs/taro'
import { View, Text, Image } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import type { ResponseOf } from '@shared/http'
import { eventQr, listEvents, organizationWeek, STUDY_SOURCE_LABELS, tickAttendees, type StudyEvent, STUDY_WAY_LABELS } from '@shared/study'
import { api, errorMessage, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { ErrorState, LoadingState } from '@/components/StateViews'
import { useOutcome } from '@/components/study/parts'
import { useInputKey } from '@/hooks/useInputKey'
import { Button } from '@/ui/nutui'
import { chineseDateTime, chineseTimeRange } from '@shared/calendar'
import '../shared/study.scss'

type Qr = ResponseOf<typeof eventQr>

/** The longest wait before asking again while the code is not open yet (the phone may have slept meanwhile). */
const MAX_WAIT_MS = 10 * 60_000

/** `08:00` when the code opens on the day the server is in, else `6月16日 08:00` (Beijing time both). */
function openingTime(opensAt: string, serverNow: string): string {
  const full = chineseDateTime(opensAt)
  return chineseDateTime(serverNow).split(' ')[0] === full.split(' ')[0] ? full.split(' ')[1]! : full
}

function QrPanel({ eventId }: { eventId: number }) {
  const [qr, setQr] = useState<Qr | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [visible, setVisible] = useState(true)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useDidShow(() => setVisible(true))
  useDidHide(() => setVisible(false))

  useEffect(() => {
    if (!visible) return
    let cancelled = false
    const refresh = async () => {
      try {
        const res = await api(eventQr, { params: { id: eventId } })
        if (cancelled) return
        setQr(res)
        setError(null)
        // Open: a fresh code every minute. Not open yet: ask again when it opens, by the server's clock.
        const wait =
          res.status === 'open'
            ? res.refreshSeconds * 1000
            : res.status === 'not_open'
              ? Math.min(MAX_WAIT_MS, Math.max(1000, new Date(res.opensAt).getTime() - new Date(res.serverNow).getTime()))
              : null
        if (wait !== null) timer.current = setTimeout(() => void refresh(), wait)
      } catch (e) {
        if (cancelled) return
        setError(errorMessage(e))
      }
    }
    void refresh()
    return () => {
      cancelled = true
      if (timer.current) clearTimeout(timer.current)
    }
  }, [eventId, visible])

  if (error) return <ErrorState message={error} onRetry={() => setVisible((v) => !v)} retryText='重新获取二维码' />
  if (!qr) return <LoadingState text='正在生成签到二维码…' />
  if (qr.status === 'not_open') {
    return (
      <View className='dj-sv__qr' data-testid='event-qr-waiting'>
        <Text className='dj-sv__line dj-sv__line--plain'>签到码将于 {openingTime(qr.opensAt, qr.serverNow)} 开放</Text>
        <Text className='dj-sv__hint'>到时这里自动显示二维码，不用刷新。</Text>
      </View>
    )
  }
  if (qr.status === 'closed') {
    return (
      <View className='dj-sv__qr' data-testid='event-qr-closed'>
        <Text className='dj-sv__line dj-sv__line--plain'>扫码签到已于 {chineseDateTime(qr.closedAt)} 结束</Text>
        <Text className='dj-sv__hint'>没签上的党员，可以在下面由书记勾选登记。</Text>
      </View>
    )
  }
  return (
    <View className='dj-sv__qr' data-testid='event-qr'>
      <Image className='dj-sv__qr-image' src={qr.qrImage} mode='aspectFit' />
      <Text className='dj-sv__hint'>请党员打开“学习”页，点“扫码签到”。二维码每分钟自动更新，截图转发无效。</Text>
    </View>
  )
}

function Attendance({ event, organizationId, onChanged }: { event: StudyEvent; organizationId: number; onChanged: () => Promise<void> }) {
  const roster = useApi(() => api(organizationWeek, { params: { id: organizationId }, query: {} }), [organizationId])
  const [picked, setPicked] = useState<Set<number>>(new Set())
  const { busy, message, run } = useOutcome(onChanged)
  const key = useInputKey()
  const attended = new Set((event.attendees ?? []).map((a) => a.memberId))
  const started = new Date(event.startsAt).getTime() <= Date.now()

  const submit = async () => {
    const memberIds = [...picked].sort((a, b) => a - b)
    const idempotencyKey = key.keyFor(memberIds)
    await run(async () => {
      const res = await api(tickAttendees, { params: { id: event.id }, body: { memberIds }, idempotencyKey })
      key.done()
      setPicked(new Set())
      return `已登记 ${res.credited.length} 人，每人记入 ${res.minutes} 分钟`
    })
  }

  return (
    <Card title='书记登记参加人员' testId='tick-attendees'>
      <Text className='dj-sv__hint'>没有智能手机的党员，由书记勾选登记，同样按活动时长计入学习。</Text>
      <AsyncContent state={roster}>
        {(data) => (
          <View>
            {data.roster.map((m) => {
              const done = attended.has(m.memberId)
              const on = picked.has(m.memberId)
              return (
                <View
                  key={m.memberId}
                  className={`dj-sv__tick ${on ? 'dj-sv__tick--on' : ''} ${done ? 'dj-sv__tick--done' : ''}`}
                  onClick={() => {
                    if (done) return
                    const next = new Set(picked)
                    if (on) next.delete(m.memberId)
                    else next.add(m.memberId)
                    setPicked(next)
                  }}
                >
                  <Text className='dj-sv__tick-box'>{done || on ? '✓' : ''}</Text>
                  <Text className='dj-sv__name'>{m.name}</Text>
                  <Text className='dj-sv__rate'>{done ? '已签到' : ''}</Text>
                </View>
              )
            })}
            <Button type='primary' size='large' block loading={busy} disabled={busy || picked.size === 0 || !started} onClick={() => void submit()}>
              {started ? `确认登记（${picked.size}人）` : '活动开始后才能登记'}
            </Button>
          </View>
        )}
      </AsyncContent>
      {message ? <Text className={`dj-sv__message ${message.ok ? '' : 'dj-sv__message--error'}`}>{message.text}</Text> : null}
    </Card>
  )
}

function EventPage({ me }: { me: MeResponse }) {
  const id = Number(useRouter().params.id)
  const state = useApi(async () => {
    const { events } = await api(listEvents, { query: {} })
    return events.find((e) => e.id === id) ?? null
  }, [id])
  return (
    <AsyncContent state={state} isEmpty={(e) => e === null}>
      {(event) => {
        if (!event) return null
        const tickOrg = me.account.role === 'secretary' ? me.account.organization?.id : event.organizationId
        return (
          <View>
            <Card accent title={event.topic} extra={<Text className='dj-sv__tag'>{STUDY_WAY_LABELS[event.way]}</Text>}>
              <Text className='dj-sv__line'>{chineseTimeRange(event.startsAt, event.endsAt)}（{event.minutes}分钟）</Text>
              <Text className='dj-sv__line'>{event.place} · {event.organizationName}</Text>
              <QrPanel eventId={event.id} />
            </Card>
            <Card title={`已签到 ${event.attendeeCount} 人`} testId='event-attendees'>
              {(event.attendees ?? []).length === 0 ? (
                <Text className='dj-sv__hint'>还没有人签到。</Text>
              ) : (
                (event.attendees ?? []).map((a) => (
                  <View key={a.memberId} className='dj-sv__row'>
                    <Text className='dj-sv__name'>{a.name}</Text>
                    <Text className='dj-sv__rate'>{STUDY_SOURCE_LABELS[a.source]}</Text>
                  </View>
                ))
              )}
            </Card>
            {tickOrg ? <Attendance event={event} organizationId={tickOrg} onChanged={state.reload} /> : null}
          </View>
        )
      }}
    </AsyncContent>
  )
}

export default function Page() {
  return (
    <SignedInPage gate='officer'>
      {(me) => <EventPage me={me} />}
    </SignedInPage>
  )
}
