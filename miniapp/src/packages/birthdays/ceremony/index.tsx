import Taro from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import { useRef, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { ceremony, monthList } from '@shared/birthdays'
import { isIsoDate, shanghaiDate } from '@shared/calendar'
import { health } from '@shared/system'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { DateInput, dateProblem, dateValue } from '@/components/form/FormParts'
import { useSave } from '@/components/form/SaveRow'
import { useLiveCheck } from '@/components/form/useLiveCheck'
import { formatDateCn } from '@/utils/format'
import { CheckRow, Oath } from '../shared/Oath'
import '../shared/birthdays.scss'

const DEFAULT_TOPIC = '主题党日·集体过政治生日'

function CeremonyForm({ today }: { today: string }) {
  const [heldOnText, setHeldOnText] = useState(today)
  const [topic, setTopic] = useState(DEFAULT_TOPIC)
  const [place, setPlace] = useState('')
  const [note, setNote] = useState('')
  const [ticked, setTicked] = useState<number[]>([])
  const [oathConfirmed, setOathConfirmed] = useState(false)
  const typed = dateValue(heldOnText)
  // The list is the month's of the last day that read as a date, so half-typed text keeps it on screen.
  const lastDay = useRef(today)
  if (isIsoDate(typed)) lastDay.current = typed
  const heldOn = lastDay.current
  const month = heldOn.slice(0, 7)
  const check = useLiveCheck({
    heldOn: dateProblem(heldOnText, '活动日期') ?? (typed > today && '活动日期不能晚于今天'),
    topic: !topic.trim() && '请填写活动主题',
    attendees: ticked.length === 0 && '请至少勾选一名参加的党员',
    oath: !oathConfirmed && '请确认已带领大家集体重温入党誓词',
  }, [heldOnText, topic, place, note, ticked, oathConfirmed])
  // One key per ceremony (useSave's): a retry after a lost answer replays the first answer instead of recording twice.
  const saver = useSave({ fail: check.fail })
  const saving = saver.saving
  // Another month is another list: the ticks were for the old one.
  const typeHeldOn = (text: string) => {
    const next = dateValue(text)
    if (isIsoDate(next) && next.slice(0, 7) !== month) setTicked([])
    setHeldOnText(text)
  }
  const list = useApi(() => api(monthList, { query: { month } }), [month])

  const toggle = (id: number) => setTicked((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]))
  const unsigned = (list.data?.members ?? []).filter((m) => !m.signedIn).map((m) => m.memberId)

  async function submit() {
    if (!check.ready()) return
    await saver.run(
      (idempotencyKey) =>
        api(ceremony, {
          idempotencyKey,
          body: {
            heldOn,
            topic: topic.trim(),
            ...(place.trim() ? { place: place.trim() } : {}),
            ...(note.trim() ? { note: note.trim() } : {}),
            attendeeMemberIds: ticked,
            oathConfirmed: true,
          },
        }),
      (result) => `已为${result.signedIn.length}人签到`,
      () => setTimeout(() => void Taro.navigateBack(), 800),
    )
  }

  return (
    <View data-testid='ceremony-form'>
      <Card title='活动信息' accent>
        <Text className='dj-bday__label'>活动日期</Text>
        <DateInput className='dj-bday__input' value={heldOnText} onChange={typeHeldOn} invalid={!!check.of('heldOn')} testId='held-on' />
        <Text className='dj-bday__label'>活动主题</Text>
        <Input className='dj-bday__input' maxlength={60} value={topic} onInput={(e) => setTopic(e.detail.value)} data-testid='topic' />
        <Text className='dj-bday__label'>地点（选填）</Text>
        <Input className='dj-bday__input' maxlength={60} value={place} placeholder='如：村党群服务中心' onInput={(e) => setPlace(e.detail.value)} />
      </Card>
      <Card
        title={`参加的党员（${formatDateCn(`${month}-01`).replace(/1日$/, '')}政治生日）`}
        extra={
          unsigned.length > 0 ? (
            <Text className='dj-bday__meta' style={{ color: '#c8161d' }} onClick={() => setTicked(unsigned)}>
              全选未签到
            </Text>
          ) : undefined
        }
        testId='ceremony-attendees'
      >
        <AsyncContent
          state={list}
          isEmpty={(data) => data.members.length === 0}
          empty={<EmptyState title='这个月本支部没有党员过政治生日' description='请检查活动日期是否正确。' />}
        >
          {(data) => (
            <View>
              {data.members.map((m) => (
                <CheckRow
                  key={m.memberId}
                  checked={m.signedIn || ticked.includes(m.memberId)}
                  disabled={m.signedIn}
                  onToggle={() => toggle(m.memberId)}
                  label={m.name}
                  meta={`${Number(m.anniversary.slice(5, 7))}月${Number(m.anniversary.slice(8, 10))}日 · 入党${m.years}周年${m.signedIn ? ' · 已签到' : ''}`}
                  testId='attendee'
                />
              ))}
            </View>
          )}
        </AsyncContent>
      </Card>
      <Card title='集体重温入党誓词'>
        <Oath />
        <CheckRow checked={oathConfirmed} onToggle={() => setOathConfirmed((v) => !v)} label='已带领大家集体重温入党誓词' testId='ceremony-oath-confirm' />
        <Text className='dj-bday__label'>备注（选填）</Text>
        <Textarea className='dj-bday__textarea' maxlength={1000} value={note} placeholder='如：老党员讲入党故事、为党员送上政治生日贺卡' onInput={(e) => setNote(e.detail.value)} />
      </Card>
      {check.banner ? (
        <View className='dj-bday__error' role='alert' data-testid='ceremony-error'>
          <Text>{check.banner}</Text>
        </View>
      ) : null}
      <View className='dj-bday__submit'>
        <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={() => void submit()}>
          {saving ? '正在保存…' : `确认签到（${ticked.length}人）`}
        </Button>
      </View>
    </View>
  )
}

function CeremonyPage({ me }: { me: MeResponse }) {
  // "Today" is the server's (Asia/Shanghai): a phone with a wrong clock must not pick the day.
  const now = useApi(() => api(health), [])
  if (me.account.role !== 'secretary') {
    return (
      <Card title='集体过政治生日'>
        <Text className='dj-bday__notice'>集体过政治生日由各支部书记在主题党日后记录。党委工作人员可在“政治生日”名单中查看各支部签到情况。</Text>
      </Card>
    )
  }
  return <AsyncContent state={now}>{(h) => <CeremonyForm today={shanghaiDate(new Date(h.now))} />}</AsyncContent>
}

export default function Page() {
  return (
    <SignedInPage gate='officer'>
      {(me) => <CeremonyPage me={me} />}
    </SignedInPage>
  )
}
