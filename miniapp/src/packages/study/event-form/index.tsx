/** 新建集中学习: way, topic, place, the day and the start and end times (Beijing time). */
import Taro from '@tarojs/taro'
import { View, Text, Input, Picker } from '@tarojs/components'
import { useState } from 'react'
import { createEvent, studyWays, type StudyWay, STUDY_WAY_BRANCH, STUDY_WAY_LABELS } from '@shared/study'
import { api, errorMessage } from '@/api'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { useInputKey } from '@/hooks/useInputKey'
import { Button } from '@/ui/nutui'
import { DateInput, dateProblem, dateValue } from '@/components/form/FormParts'
import { useLiveCheck } from '@/components/form/useLiveCheck'
import { STUDY_ROUTES } from '../shared/routes'
import '../shared/study.scss'
import '../shared/study-form.scss'
import { shanghaiDate } from '@shared/calendar'

const todayCst = () => shanghaiDate(new Date())

function EventForm() {
  const [way, setWay] = useState<StudyWay>(STUDY_WAY_BRANCH)
  const [topic, setTopic] = useState('')
  const [place, setPlace] = useState('村党群服务中心会议室')
  const [dayText, setDayText] = useState(todayCst())
  const [start, setStart] = useState('09:00')
  const [end, setEnd] = useState('10:30')
  const [busy, setBusy] = useState(false)
  const key = useInputKey()
  const day = dateValue(dayText)
  const check = useLiveCheck({
    topic: !topic.trim() && '请填写学习主题',
    place: !place.trim() && '请填写学习地点',
    day: dateProblem(dayText, '学习日期'),
    time: end <= start && '结束时间要晚于开始时间',
  }, [way, topic, place, dayText, start, end])

  const submit = async () => {
    if (!check.ready()) return
    const body = { way, topic: topic.trim(), place: place.trim(), startsAt: `${day}T${start}:00+08:00`, endsAt: `${day}T${end}:00+08:00` }
    setBusy(true)
    try {
      const event = await api(createEvent, { body, idempotencyKey: key.keyFor(body) })
      void Taro.redirectTo({ url: `${STUDY_ROUTES.event}?id=${event.id}` })
    } catch (e) {
      check.fail(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card accent title='新建集中学习' testId='event-form'>
      <Text className='dj-sv__label'>学习方式</Text>
      <View className='dj-sv__chips'>
        {studyWays.map((w) => (
          <View key={w} className={`dj-sv__chip ${way === w ? 'dj-sv__chip--on' : ''}`} onClick={() => setWay(w)}>
            {STUDY_WAY_LABELS[w]}
          </View>
        ))}
      </View>
      <Text className='dj-sv__label'>学习主题</Text>
      <Input className='dj-sv__input' maxlength={100} value={topic} placeholder='如：主题党日·学习党章' onInput={(e) => setTopic(e.detail.value)} />
      <Text className='dj-sv__label'>地点</Text>
      <Input className='dj-sv__input' maxlength={60} value={place} onInput={(e) => setPlace(e.detail.value)} />
      <Text className='dj-sv__label'>日期和时间（北京时间）</Text>
      <DateInput className='dj-sv__input' value={dayText} onChange={setDayText} invalid={!!check.of('day')} testId='event-day' />
      <View className='dj-sv__times'>
        <Picker mode='time' value={start} onChange={(e) => setStart(e.detail.value)}>
          <View className='dj-sv__picker'>开始 {start} ▾</View>
        </Picker>
        <Picker mode='time' value={end} onChange={(e) => setEnd(e.detail.value)}>
          <View className='dj-sv__picker'>结束 {end} ▾</View>
        </Picker>
      </View>
      {check.banner ? <Text className='dj-sv__message dj-sv__message--error' data-testid='event-error'>{check.banner}</Text> : null}
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()}>
        创建并出示签到二维码
      </Button>
    </Card>
  )
}

export default function Page() {
  return (
    <SignedInPage gate='officer'>
      {() => <EventForm />}
    </SignedInPage>
  )
}
