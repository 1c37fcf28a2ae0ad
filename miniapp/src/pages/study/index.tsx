/**
 * 学习: the member's daily hour. Today's ring toward 60 minutes, a start/finish
 * timer (minutes are counted by the server, never by the phone), a self-report
 * form for study away from the phone, scan-to-sign-in for collective study,
 * the month calendar and recent entries.
 */
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { addMonths } from '@shared/calendar'
import {
  calendarLevel,
  checkIn,
  finishSession,
  formatMinutes,
  myStudy,
  parseSignInQrText,
  signIn,
  startSession,
  STUDY_SOURCE_LABELS,
  studyWays,
  type StudyWay,
} from '@shared/study'
import { api, errorMessage, newIdempotencyKey, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { PageShell } from '@/components/PageShell'
import { RequireMember } from '@/components/RoleGates'
import { SessionGate } from '@/components/SessionGate'
import { Button } from '@/ui/nutui'
import './index.scss'

type MyStudy = Awaited<ReturnType<typeof loadMyStudy>>
const loadMyStudy = (month?: string) => api(myStudy, { query: month ? { month } : {} })

/**
 * One Idempotency-Key per user action: a retry of the same form (network
 * dropped, tapped again) reuses it, so the server records it once.
 */
function useActionKey() {
  const last = useRef<{ body: string; key: string } | null>(null)
  return {
    keyFor(body: unknown): string {
      const text = JSON.stringify(body)
      if (last.current?.body !== text) last.current = { body: text, key: newIdempotencyKey() }
      return last.current.key
    },
    done() {
      last.current = null
    },
  }
}

function ProgressRing({ minutes, target }: { minutes: number; target: number }) {
  const ratio = Math.min(1, minutes / target)
  const met = minutes >= target
  return (
    <View className='dj-study__ring-wrap' data-testid='study-ring' data-minutes={minutes} data-met={met ? 'yes' : 'no'}>
      <View
        className='dj-study__ring'
        style={{ background: `conic-gradient(${met ? '#d9a441' : '#c8161d'} ${ratio * 360}deg, #f3dede 0deg)` }}
      >
        <View className='dj-study__ring-inner'>
          <Text className='dj-study__ring-value'>{minutes}</Text>
          <Text className='dj-study__ring-unit'>/ {target} 分钟</Text>
        </View>
      </View>
      <Text className={`dj-study__ring-caption ${met ? 'dj-study__ring-caption--met' : ''}`}>
        {met ? '今日学习已达标，继续保持！' : `今天还差 ${target - minutes} 分钟达标`}
      </Text>
    </View>
  )
}

function WayChoices({ value, onChange }: { value: StudyWay; onChange: (w: StudyWay) => void }) {
  return (
    <View className='dj-study__chips'>
      {studyWays.map((way) => (
        <View key={way} className={`dj-study__chip ${value === way ? 'dj-study__chip--on' : ''}`} onClick={() => onChange(way)}>
          {way}
        </View>
      ))}
    </View>
  )
}

function elapsedMinutes(startedAt: string, serverNow: string, fetchedAt: number, tick: number): number {
  const now = new Date(serverNow).getTime() + (tick - fetchedAt)
  return Math.max(0, Math.floor((now - new Date(startedAt).getTime()) / 60_000))
}

function Timer({ data, fetchedAt, onChanged }: { data: MyStudy; fetchedAt: number; onChanged: () => Promise<void> }) {
  const [way, setWay] = useState<StudyWay>('平台自主学')
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
    const elapsed = Math.min(data.sessionCapMinutes, elapsedMinutes(open.startedAt, data.serverNow, fetchedAt, tick))
    return (
      <Card title='正在计时学习' accent testId='study-timer'>
        <Text className='dj-study__timer-topic'>{open.way} · {open.topic}</Text>
        <Text className='dj-study__timer-value' data-testid='timer-elapsed'>已学习 {formatMinutes(elapsed)}</Text>
        <Text className='dj-study__hint'>以服务器时间计算，单次最多计 {data.sessionCapMinutes} 分钟。学完请点“结束学习”。</Text>
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void finish()} data-testid='finish-session'>
          结束学习
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

const REPORT_MINUTES = [15, 30, 45, 60] as const

function SelfReport({ data, onChanged }: { data: MyStudy; onChanged: () => Promise<void> }) {
  const [way, setWay] = useState<StudyWay>('平台自主学')
  const [topic, setTopic] = useState('')
  const [minutes, setMinutes] = useState<number>(30)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null)
  const action = useActionKey()
  const remaining = data.selfReportRemaining

  const submit = async () => {
    if (!topic.trim()) {
      setMessage({ text: '请填写学习内容，如“阅读报告原文”', ok: false })
      return
    }
    const body = { way, topic: topic.trim(), minutes }
    setBusy(true)
    setMessage(null)
    try {
      const entry = await api(checkIn, { body, idempotencyKey: action.keyFor(body) })
      action.done()
      setTopic('')
      setMessage({
        text: entry.minutes < minutes ? `已记入 ${entry.minutes} 分钟（每天自报最多60分钟）` : `已记入 ${entry.minutes} 分钟`,
        ok: true,
      })
      await onChanged()
    } catch (e) {
      setMessage({ text: errorMessage(e), ok: false })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card title='填报学习' testId='study-report' extra={<Text className='dj-study__extra'>今天还可填报 {remaining} 分钟</Text>}>
      <Text className='dj-study__hint'>不在手机上学习（读报、听广播、看纸质材料）时在这里填报，每天最多60分钟。</Text>
      <Text className='dj-study__label'>学习方式</Text>
      <WayChoices value={way} onChange={setWay} />
      <Text className='dj-study__label'>学习内容</Text>
      <Input className='dj-study__input' maxlength={100} value={topic} placeholder='如：阅读报告原文（纸质版）' onInput={(e) => setTopic(e.detail.value)} data-testid='report-topic' />
      <Text className='dj-study__label'>学习时长</Text>
      <View className='dj-study__chips'>
        {REPORT_MINUTES.map((m) => (
          <View key={m} className={`dj-study__chip dj-study__chip--wide ${minutes === m ? 'dj-study__chip--on' : ''}`} onClick={() => setMinutes(m)}>
            {m}分钟
          </View>
        ))}
      </View>
      <Button type='default' size='large' block loading={busy} disabled={busy || remaining <= 0} onClick={() => void submit()} data-testid='submit-report'>
        {remaining <= 0 ? '今天已填满60分钟' : '提交填报'}
      </Button>
      {message ? <Text className={`dj-study__message ${message.ok ? '' : 'dj-study__message--error'}`}>{message.text}</Text> : null}
    </Card>
  )
}

function ScanSignIn({ onChanged }: { onChanged: () => Promise<void> }) {
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null)
  const action = useActionKey()

  const send = async (text: string) => {
    const parsed = parseSignInQrText(text.trim())
    if (!parsed) {
      setMessage({ text: '这不是集中学习的签到二维码，请扫描现场屏幕上的二维码', ok: false })
      return
    }
    setBusy(true)
    setMessage(null)
    try {
      const result = await api(signIn, { params: { id: parsed.eventId }, body: { token: parsed.token }, idempotencyKey: action.keyFor(parsed) })
      action.done()
      setCode('')
      setMessage({
        text: result.alreadySignedIn ? '您已签到过本次学习' : `签到成功，记入 ${formatMinutes(result.entry.minutes)}：${result.entry.topic}`,
        ok: true,
      })
      await onChanged()
    } catch (e) {
      setMessage({ text: errorMessage(e), ok: false })
    } finally {
      setBusy(false)
    }
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

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日']

function MonthCalendar({ month, days, today, onMonth }: { month: string; days: { day: string; minutes: number }[]; today: string; onMonth: (m: string) => void }) {
  const byDay = new Map(days.map((d) => [d.day, d.minutes]))
  const [year, mon] = month.split('-').map(Number) as [number, number]
  const first = new Date(Date.UTC(year, mon - 1, 1))
  const offset = (first.getUTCDay() + 6) % 7 // Monday first
  const count = new Date(Date.UTC(year, mon, 0)).getUTCDate()
  const cells: (string | null)[] = [...Array<null>(offset).fill(null)]
  for (let d = 1; d <= count; d++) cells.push(`${month}-${String(d).padStart(2, '0')}`)
  const metDays = days.filter((d) => d.minutes >= 60).length
  return (
    <Card
      title={`${year}年${mon}月`}
      testId='study-calendar'
      extra={
        <View className='dj-study__month-nav'>
          <Text className='dj-study__month-btn' onClick={() => onMonth(addMonths(`${month}-01`, -1).slice(0, 7))}>‹ 上月</Text>
          {month < today.slice(0, 7) ? (
            <Text className='dj-study__month-btn' onClick={() => onMonth(addMonths(`${month}-01`, 1).slice(0, 7))}>下月 ›</Text>
          ) : null}
        </View>
      }
    >
      <View className='dj-study__cal'>
        {WEEKDAYS.map((w) => (
          <Text key={w} className='dj-study__cal-head'>{w}</Text>
        ))}
        {cells.map((day, i) =>
          day ? (
            <View key={day} className={`dj-study__cal-day dj-study__cal-day--${calendarLevel(byDay.get(day) ?? 0)} ${day === today ? 'dj-study__cal-day--today' : ''}`}>
              <Text>{Number(day.slice(8))}</Text>
            </View>
          ) : (
            <View key={`blank-${i}`} className='dj-study__cal-day dj-study__cal-day--blank' />
          ),
        )}
      </View>
      <View className='dj-study__legend'>
        <Text>本月达标 {metDays} 天</Text>
        <View className='dj-study__legend-keys'>
          <View className='dj-study__cal-key dj-study__cal-day--1' /><Text>不足30分</Text>
          <View className='dj-study__cal-key dj-study__cal-day--2' /><Text>30分以上</Text>
          <View className='dj-study__cal-key dj-study__cal-day--3' /><Text>达标</Text>
        </View>
      </View>
    </Card>
  )
}

function StudyHome() {
  const [month, setMonth] = useState<string | undefined>(undefined)
  const fetchedAt = useRef(Date.now())
  const state = useApi(async () => {
    const data = await loadMyStudy(month)
    fetchedAt.current = Date.now()
    return data
  }, [month])
  useDidShow(() => {
    void state.reload()
  })
  return (
    <AsyncContent state={state} loadingText='正在读取学习记录…'>
      {(data) => (
        <View data-testid='study-home'>
          <Card accent testId='study-today'>
            <ProgressRing minutes={data.todayMinutes} target={data.targetMinutes} />
            <View className='dj-study__stats'>
              <View className='dj-study__stat'>
                <Text className='dj-study__stat-value' data-testid='study-streak'>{data.streakDays}</Text>
                <Text className='dj-study__stat-label'>连续达标（天）</Text>
              </View>
              <View className='dj-study__stat'>
                <Text className='dj-study__stat-value'>{(data.yearMinutes / 60).toFixed(1)}</Text>
                <Text className='dj-study__stat-label'>今年学时（小时）</Text>
              </View>
            </View>
          </Card>
          <Timer data={data} fetchedAt={fetchedAt.current} onChanged={state.reload} />
          <SelfReport data={data} onChanged={state.reload} />
          <ScanSignIn onChanged={state.reload} />
          <MonthCalendar month={data.month} days={data.calendar} today={data.today} onMonth={setMonth} />
          <Card title='最近学习记录' testId='study-recent'>
            {data.recent.length === 0 ? (
              <Text className='dj-study__hint'>还没有学习记录。今天就开始学习吧！</Text>
            ) : (
              data.recent.map((entry) => (
                <View key={entry.id} className='dj-study__entry'>
                  <View className='dj-study__entry-main'>
                    <Text className='dj-study__entry-topic'>{entry.topic}</Text>
                    <Text className='dj-study__entry-meta'>
                      {entry.day.slice(5).replace('-', '月')}日 · {entry.way} · {STUDY_SOURCE_LABELS[entry.source]}
                    </Text>
                  </View>
                  <Text className='dj-study__entry-minutes'>{entry.minutes}分钟</Text>
                </View>
              ))
            )}
          </Card>
        </View>
      )}
    </AsyncContent>
  )
}

export default function StudyPage() {
  return (
    <PageShell>
      <SessionGate>
        {(me: MeResponse) => (
          <RequireMember me={me}>
            <StudyHome />
          </RequireMember>
        )}
      </SessionGate>
    </PageShell>
  )
}
