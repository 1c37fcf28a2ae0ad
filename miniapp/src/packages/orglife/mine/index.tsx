/** 我的组织生活: the meetings I was expected at and how I stood, my 学时 this year, my 民主评议 grades. */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { APPRAISAL_GRADE_LABELS, ATTENDANCE_LABELS, MEETING_TYPE_LABELS, myOrglife, studyHoursOf } from '@shared/orglife'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { chineseDay, ORGLIFE_ROUTES } from '../shared/format'
import '../shared/orglife.scss'

function MinePage() {
  const state = useApi(() => api(myOrglife, { query: {} }), [])
  useReloadOnShow(state.reload)
  return (
    <AsyncContent state={state}>
      {(d) => (
        <View data-testid='my-orglife'>
          <Card accent title={`${d.year}年学时`} testId='my-study-hours'>
            <Text className={`dj-ol__figure ${d.studyHours >= d.requiredHours ? 'dj-ol__figure--ok' : ''}`}>{d.studyHours}</Text>
            <Text className='dj-ol__hint'>
              年度要求 {d.requiredHours} 学时。其中组织生活 {studyHoursOf(d.meetingStudyMinutes)} 学时，集中学习活动 {studyHoursOf(d.eventStudyMinutes)} 学时（1小时计1学时）。
            </Text>
          </Card>
          <Card title='参加的组织生活' testId='my-meetings'>
            {d.meetings.length === 0 ? (
              <Text className='dj-ol__hint'>今年还没有记录。</Text>
            ) : (
              d.meetings.map((m) => (
                <View key={m.id} className='dj-ol__row' data-testid='my-meeting' onClick={() => void Taro.navigateTo({ url: `${ORGLIFE_ROUTES.meeting}?id=${m.id}` })}>
                  <View className='dj-ol__name'>
                    <Text>{MEETING_TYPE_LABELS[m.type]} · {m.topic}</Text>
                    <Text className='dj-ol__hint'>{chineseDay(m.day)}{m.studyMinutes > 0 ? ` · ${studyHoursOf(m.studyMinutes)}学时` : ''}</Text>
                  </View>
                  <Text className={`dj-ol__status dj-ol__status--${m.myStatus === 'present' ? 'done' : m.myStatus === 'absent' ? 'overdue' : 'due_soon'}`}>
                    {m.myStatus ? ATTENDANCE_LABELS[m.myStatus] : ''}
                  </Text>
                </View>
              ))
            )}
          </Card>
          <Card title='民主评议结果' testId='my-grades'>
            {d.grades.length === 0 ? (
              <Text className='dj-ol__hint'>暂无评议结果。</Text>
            ) : (
              d.grades.map((g) => (
                <View key={g.year} className='dj-ol__row'>
                  <Text className='dj-ol__name'>{g.year}年度</Text>
                  <Text className='dj-ol__line'>{APPRAISAL_GRADE_LABELS[g.grade]}{g.followUp ? `（${g.followUp}）` : ''}</Text>
                </View>
              ))
            )}
          </Card>
        </View>
      )}
    </AsyncContent>
  )
}

export default function Page() {
  return <SignedInPage gate='member'>{() => <MinePage />}</SignedInPage>
}
