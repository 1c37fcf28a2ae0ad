import Taro from '@tarojs/taro'
import { View, Text, Textarea } from '@tarojs/components'
import { useRef, useState } from 'react'
import { myBirthday, SIGN_IN_MODE_LABELS, type MyBirthday, type SignInRecord } from '@shared/birthdays'
import { shanghaiDate } from '@shared/calendar'
import { OFFLINE_LATE_LABEL } from '@shared/queued-writes'
import { api, ApiError, newIdempotencyKey, useApi } from '@/api'
import { OfflineNote, QueuedWrites } from '@/components/offline/QueuedWrites'
import { readThrough, submitWrite, writeOutcome, type Cached } from '@/offline'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { useSave } from '@/components/form/SaveRow'
import { SignedInPage } from '@/components/SignedInPage'
import { Button } from '@/ui/nutui'
import { formatDateCn } from '@/utils/format'
import { CheckRow, Oath } from '../shared/Oath'
import '../shared/birthdays.scss'

const OATH_UNTICKED = '请先读完入党誓词，并勾选“我已重温入党誓词”'

const REFLECTION_MAX = 1000

function Hero({ data }: { data: MyBirthday }) {
  const open = data.open
  let title: string
  let sub: string
  if (open && data.isToday) {
    title = `今天是您的政治生日 · 入党${open.years}周年`
    sub = `${data.member.name}同志，祝您政治生日快乐！`
  } else if (open) {
    title = `政治生日月 · 入党${open.years}周年`
    sub = `${formatDateCn(open.anniversary)}是您的政治生日，本月内可签到`
  } else {
    title = `下一个政治生日：${formatDateCn(data.next.anniversary)}`
    sub = `入党${data.next.years}周年 · 签到将于${formatDateCn(data.upcoming.opens)}开放`
  }
  return (
    <View className='dj-bday__hero' data-testid='birthday-hero'>
      <Text className='dj-bday__hero-title'>{title}</Text>
      <Text className='dj-bday__hero-sub'>{sub}</Text>
      <Text className='dj-bday__hero-sub'>
        入党日期 {formatDateCn(data.member.joinedAt)} · 党龄 {data.partyStandingYears === null ? '预备期内' : `${data.partyStandingYears}年`}
      </Text>
    </View>
  )
}

function SignInForm({ onSigned }: { onSigned: () => void }) {
  const [confirmed, setConfirmed] = useState(false)
  const [reflection, setReflection] = useState('')
  const { error, setError, saving, run } = useSave()
  const [notice, setNotice] = useState<string | null>(null)
  // One key per sign-in attempt, kept after a sign-in waits on the phone (the queue holds one write per key);
  // the server also keeps one record per year, so a retry cannot sign twice.
  const key = useRef(newIdempotencyKey())

  async function submit() {
    setError(null)
    if (!confirmed) return setError(OATH_UNTICKED)
    if (reflection.trim().length > REFLECTION_MAX) return setError(`感言不能超过${REFLECTION_MAX}个字`)
    // Without signal the sign-in waits on the phone (待上传) and counts for the day it was made.
    const body = reflection.trim() ? { oathConfirmed: true as const, reflection: reflection.trim() } : { oathConfirmed: true as const }
    await run(
      async () => {
        const write = await submitWrite(key.current, { kind: 'birthdaySignIn', body }, '政治生日签到')
        if (write.state === 'refused') throw new ApiError('http', writeOutcome(write).text)
        return write
      },
      (write) => (write.state === 'pending' ? null : '签到成功'),
      (write) => (write.state === 'pending' ? setNotice(writeOutcome(write).text) : onSigned()),
    )
  }

  return (
    <Card title='签到' accent testId='sign-in-form'>
      <CheckRow checked={confirmed} onToggle={() => {
          // Ticking the box answers the error that asked for it.
          setConfirmed((v) => !v)
          setError((e) => (e === OATH_UNTICKED ? null : e))
        }} label='我已重温入党誓词' testId='oath-confirm' />
      <Text className='dj-bday__label'>写下感言（选填）</Text>
      <Textarea
        className='dj-bday__textarea'
        maxlength={REFLECTION_MAX}
        value={reflection}
        placeholder='入党以来的体会、新一年的打算……'
        onInput={(e) => setReflection(e.detail.value)}
        data-testid='reflection'
      />
      <Text className='dj-bday__counter'>
        {reflection.length}/{REFLECTION_MAX}
      </Text>
      {notice ? <Text className='dj-bday__meta' data-testid='sign-in-notice'>{notice}</Text> : null}
      {error ? (
        <View className='dj-bday__error' role='alert' data-testid='sign-in-error'>
          <Text>{error}</Text>
        </View>
      ) : null}
      <View className='dj-bday__submit'>
        <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={() => void submit()} data-testid='sign-in-submit'>
          {saving ? '正在签到…' : '签到'}
        </Button>
      </View>
    </Card>
  )
}

function recordLine(record: SignInRecord): string {
  const when = record.ceremony ? formatDateCn(record.ceremony.heldOn) : formatDateCn(shanghaiDate(new Date(record.signedAt)))
  return `${when} · ${SIGN_IN_MODE_LABELS[record.mode]}${record.ceremony ? `（${record.ceremony.topic}）` : ''}${record.offlineLate ? ` · ${OFFLINE_LATE_LABEL}` : ''}`
}

function SubscribeReminder({ templateId }: { templateId: string }) {
  const [done, setDone] = useState(false)
  if (process.env.TARO_ENV !== 'weapp') return null
  return (
    <View className='dj-bday__submit'>
      <Button
        type='primary'
        fill='outline'
        size='large'
        block
        disabled={done}
        onClick={() => {
          // WeChat asks the member each time; one acceptance allows one reminder.
          Taro.requestSubscribeMessage({ tmplIds: [templateId], entityIds: [] })
            .then((res) => setDone((res as Record<string, unknown>)[templateId] === 'accept'))
            .catch(() => setDone(false))
        }}
      >
        {done ? '已订阅明年的签到提醒' : '签到开放时提醒我（微信通知）'}
      </Button>
    </View>
  )
}

function SignInContent({ data, reload }: { data: Cached<MyBirthday>; reload: () => void }) {
  const open = data.open
  const thisYear = open ? data.signIns.find((s) => s.year === open.year) : undefined
  return (
    <View>
      <OfflineNote savedAt={data.offlineSavedAt} onRetry={reload} />
      <Hero data={data} />
      <Oath />
      <View style={{ height: '24px' }} />
      {open && !thisYear ? <SignInForm onSigned={reload} /> : null}
      <QueuedWrites />
      {thisYear ? (
        <Card title={`${thisYear.year}年政治生日`} accent testId='signed-in'>
          <Text className='dj-bday__done'>✓ 已签到 · 入党{thisYear.years}周年</Text>
          <Text className='dj-bday__meta'>{recordLine(thisYear)}</Text>
          {thisYear.reflection ? <Text className='dj-bday__reflection'>{thisYear.reflection}</Text> : null}
        </Card>
      ) : null}
      {!open ? (
        <Card title='签到时间' testId='sign-in-closed'>
          <Text className='dj-bday__notice'>
            政治生日签到在入党纪念日{data.window === 'quarter' ? '所在季度' : '当月'}开放。您的下一次签到将于{formatDateCn(data.upcoming.opens)}开放（入党
            {data.upcoming.years}周年）。平时也可以在这里重温入党誓词。
          </Text>
        </Card>
      ) : null}
      {data.reminderTemplateId ? <SubscribeReminder templateId={data.reminderTemplateId} /> : null}
      <Card title='历年政治生日' testId='sign-in-history'>
        {data.signIns.length === 0 ? (
          <Text>还没有签到记录。每年政治生日重温入党誓词，记录下自己的感言。</Text>
        ) : (
          data.signIns.map((record) => (
            <View key={record.id} className='dj-bday__history-item' data-testid='history-item'>
              <Text className='dj-bday__history-title'>
                {record.year}年 · 入党{record.years}周年
              </Text>
              <Text className='dj-bday__meta'>{recordLine(record)}</Text>
              {record.reflection ? <Text className='dj-bday__reflection'>{record.reflection}</Text> : null}
            </View>
          ))
        )}
      </Card>
    </View>
  )
}

function SignInPage() {
  // Offline: the last answer kept on the phone; the oath itself is in the app, so it always shows.
  const state = useApi(() => readThrough('birthday', () => api(myBirthday)), [])
  return (
    <AsyncContent state={state} loadingText='正在读取您的政治生日…'>
      {(data) => <SignInContent data={data} reload={() => void state.reload()} />}
    </AsyncContent>
  )
}

export default function Page() {
  return (
    <SignedInPage gate='member'>
      {() => <SignInPage />}
    </SignedInPage>
  )
}
