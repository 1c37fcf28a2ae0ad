/**
 * 学习: the member's daily hour. Today's ring toward 60 minutes, one form to
 * record study (start the server-counted timer, or report minutes already
 * studied), scan-to-sign-in for collective study, the writes waiting for the
 * network, the month calendar and recent entries. Offline it shows what the
 * phone kept, marked 离线.
 */
import { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useRef, useState } from 'react'
import { OFFLINE_LATE_LABEL } from '@shared/queued-writes'
import { STUDY_SOURCE_LABELS, STUDY_WAY_PLAIN_LABELS } from '@shared/study'
import { useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { MonthCalendar } from '@/components/study/MonthCalendar'
import { loadMyStudy } from '@/components/study/parts'
import { OfflineNote, QueuedWrites } from '@/components/offline/QueuedWrites'
import { ScanSignIn } from '@/components/study/ScanSignIn'
import { StudyForm } from '@/components/study/StudyForm'
import { Timer } from '@/components/study/Timer'
import './index.scss'

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

function StudyHome() {
  const [month, setMonth] = useState<string | undefined>(undefined)
  const fetchedAt = useRef(Date.now())
  // What closing the timer credited: shown once the session is closed and the timer card has gone.
  const [timerNote, setTimerNote] = useState<string | null>(null)
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
          <OfflineNote savedAt={data.offlineSavedAt} onRetry={() => void state.reload()} />
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
          {data.openSession ? (
            <Timer data={data} fetchedAt={fetchedAt.current} onChanged={state.reload} onClosed={setTimerNote} />
          ) : (
            <>
              {timerNote ? (
                <Text className='dj-study__message' data-testid='timer-message'>
                  {timerNote}
                </Text>
              ) : null}
              <StudyForm data={data} onChanged={state.reload} />
            </>
          )}
          <QueuedWrites />
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
                      {entry.day.slice(5).replace('-', '月')}日 · {STUDY_WAY_PLAIN_LABELS[entry.way]} · {STUDY_SOURCE_LABELS[entry.source]}
                      {entry.offlineLate ? ` · ${OFFLINE_LATE_LABEL}` : ''}
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
    <SignedInPage gate='member'>
      {() => <StudyHome />}
    </SignedInPage>
  )
}
