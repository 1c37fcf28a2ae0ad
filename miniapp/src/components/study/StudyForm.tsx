/**
 * 记录学习: one form for both ways of counting. Say how and what, then either
 * start the timer (minutes counted by the server while the page is open) or,
 * already done away from the phone, report the minutes (at most 60 a day).
 * A report made without signal is queued on the phone and sent later.
 */
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { formatMinutes, startSession, STUDY_WAY_PLAIN_LABELS, STUDY_WAY_PLAIN_ORDER, type StudyWay } from '@shared/study'
import { api, ApiError, errorMessage } from '@/api'
import { Card } from '@/components/Card'
import { submitWrite, writeOutcome } from '@/offline'
import { Button } from '@/ui/nutui'
import { useInputKey } from '@/hooks/useInputKey'
import { useOutcome, WayChoices, type MyStudy } from './parts'

const REPORT_MINUTES = [15, 30, 45, 60] as const

export function StudyForm({ data, onChanged }: { data: MyStudy; onChanged: () => Promise<void> }) {
  const [way, setWay] = useState<StudyWay>(STUDY_WAY_PLAIN_ORDER[0] as StudyWay)
  const [topic, setTopic] = useState('')
  const [minutes, setMinutes] = useState<number>(30)
  const { busy, message, setMessage, run } = useOutcome(onChanged)
  const startKey = useInputKey()
  const reportKey = useInputKey()
  const remaining = data.selfReportRemaining

  const start = async () => {
    const body = { way, topic: topic.trim() || '自主学习党的理论' }
    await run(async () => {
      try {
        await api(startSession, { body, idempotencyKey: startKey.keyFor({ start: body }) })
      } catch (e) {
        // The timer runs on the server's clock: without signal it cannot start, but a report can wait.
        throw new ApiError('http', `${errorMessage(e)}。没有网络时，学完后可以在下面填报时长。`)
      }
      startKey.done()
      return '开始计时'
    })
  }

  const report = async () => {
    if (!topic.trim()) {
      setMessage({ text: '请填写学了什么，如“阅读报告原文”', ok: false })
      return
    }
    const body = { way, topic: topic.trim(), minutes }
    await run(async () => {
      const write = await submitWrite(
        reportKey.keyFor(body),
        { kind: 'studyCheckIn', body },
        `填报 ${formatMinutes(minutes)}：${body.topic}（${STUDY_WAY_PLAIN_LABELS[way]}）`,
      )
      const outcome = writeOutcome(write)
      if (!outcome.ok) throw new ApiError('http', outcome.text)
      reportKey.done()
      setTopic('')
      return outcome.text
    })
  }

  return (
    <Card title='记录学习' accent testId='study-timer'>
      <Text className='dj-study__label'>怎么学的</Text>
      <WayChoices value={way} onChange={setWay} />
      <Text className='dj-study__label'>学了什么</Text>
      <Input className='dj-study__input' maxlength={100} value={topic} placeholder='如：阅读报告原文' onInput={(e) => setTopic(e.detail.value)} data-testid='report-topic' />
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void start()} data-testid='start-session'>
        开始计时学习
      </Button>
      <View className='dj-study__or' data-testid='study-report'>
        <Text className='dj-study__label'>已经学完了？选时长填报（今天还可填 {remaining} 分钟）</Text>
        <View className='dj-study__chips'>
          {REPORT_MINUTES.map((m) => (
            <View key={m} className={`dj-study__chip dj-study__chip--wide ${minutes === m ? 'dj-study__chip--on' : ''}`} onClick={() => setMinutes(m)}>
              {m}分钟
            </View>
          ))}
        </View>
        <Button type='default' size='large' block loading={busy} disabled={busy || remaining <= 0} onClick={() => void report()} data-testid='submit-report'>
          {remaining <= 0 ? '今天已填满60分钟' : '提交填报'}
        </Button>
      </View>
      {message ? (
        <Text className={`dj-study__message ${message.ok ? '' : 'dj-study__message--error'}`} data-testid='study-form-message'>
          {message.text}
        </Text>
      ) : null}
    </Card>
  )
}
