/** 填报学习: study away from the phone, at most 60 minutes a day. */
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { checkIn, type StudyWay, STUDY_WAY_PLATFORM } from '@shared/study'
import { api } from '@/api'
import { Card } from '@/components/Card'
import { Button } from '@/ui/nutui'
import { useActionKey, useOutcome, WayChoices, type MyStudy } from './parts'

const REPORT_MINUTES = [15, 30, 45, 60] as const

export function SelfReport({ data, onChanged }: { data: MyStudy; onChanged: () => Promise<void> }) {
  const [way, setWay] = useState<StudyWay>(STUDY_WAY_PLATFORM)
  const [topic, setTopic] = useState('')
  const [minutes, setMinutes] = useState<number>(30)
  const { busy, message, setMessage, run } = useOutcome(onChanged)
  const action = useActionKey()
  const remaining = data.selfReportRemaining

  const submit = async () => {
    if (!topic.trim()) {
      setMessage({ text: '请填写学习内容，如“阅读报告原文”', ok: false })
      return
    }
    const body = { way, topic: topic.trim(), minutes }
    await run(async () => {
      const entry = await api(checkIn, { body, idempotencyKey: action.keyFor(body) })
      action.done()
      setTopic('')
      return entry.minutes < minutes ? `已记入 ${entry.minutes} 分钟（每天自报最多60分钟）` : `已记入 ${entry.minutes} 分钟`
    })
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
