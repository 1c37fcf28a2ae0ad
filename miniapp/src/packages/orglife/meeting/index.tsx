/** One meeting's record: what, when, who came (officers see every name; members their own mark and the counts), and for officers its optional 现场照片. */
import { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { ATTENDANCE_LABELS, getMeeting, LEAVE_REASON_LABELS, MEETING_TYPE_LABELS, studyHoursOf } from '@shared/orglife'
import type { MeResponse } from '@shared/auth'
import { allowed } from '@shared/http'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { chineseTimeRange } from '@shared/calendar'
import { MeetingPhotos } from './MeetingPhotos'
import '../shared/orglife.scss'

function MeetingPage({ me }: { me: MeResponse }) {
  const id = Number(useRouter().params.id)
  const state = useApi(() => api(getMeeting, { params: { id } }), [id])
  const role = me.account.role
  return (
    <AsyncContent state={state}>
      {(m) => (
        <View data-testid='meeting-record'>
          <Card accent title={m.topic} extra={<Text className='dj-ol__status dj-ol__status--due'>{MEETING_TYPE_LABELS[m.type]}</Text>}>
            <Text className='dj-ol__line'>{chineseTimeRange(m.startsAt, m.endsAt)}</Text>
            <Text className='dj-ol__line'>{m.place} · {m.organizationName}</Text>
            <Text className='dj-ol__line'>主持人：{m.host}{m.speaker ? ` · 讲课人：${m.speaker}` : ''}</Text>
            {m.studyMinutes > 0 ? <Text className='dj-ol__line'>计入学时：每人 {studyHoursOf(m.studyMinutes)} 学时</Text> : null}
            <Text className='dj-ol__line' data-testid='meeting-counts'>
              应到 {m.expectedCount} 人 · 实到 {m.presentCount} 人 · 请假 {m.excusedCount} 人 · 缺席 {m.absentCount} 人
            </Text>
            {m.myStatus ? <Text className='dj-ol__line' data-testid='my-status'>我：{ATTENDANCE_LABELS[m.myStatus]}</Text> : null}
          </Card>
          {m.agenda ? (
            <Card title='议程'>
              <Text className='dj-ol__line'>{m.agenda}</Text>
            </Card>
          ) : null}
          {m.minutes ? (
            <Card title='会议记录'>
              <Text className='dj-ol__line'>{m.minutes}</Text>
            </Card>
          ) : null}
          {m.attendees ? (
            <Card title='出席名单' testId='meeting-attendees'>
              {m.attendees.map((a) => (
                <View key={a.memberId} className='dj-ol__row'>
                  <Text className='dj-ol__name'>{a.name}</Text>
                  <Text className={`dj-ol__status dj-ol__status--${a.status === 'present' ? 'done' : a.status === 'absent' ? 'overdue' : 'due_soon'}`}>
                    {ATTENDANCE_LABELS[a.status]}
                    {a.leaveReason ? `（${LEAVE_REASON_LABELS[a.leaveReason]}）` : ''}
                  </Text>
                </View>
              ))}
            </Card>
          ) : null}
          {allowed('officer', role) ? <MeetingPhotos meetingId={m.id} canEdit={allowed('officer', role, 'POST')} /> : null}
        </View>
      )}
    </AsyncContent>
  )
}

export default function Page() {
  return <SignedInPage gate='member'>{(me) => <MeetingPage me={me} />}</SignedInPage>
}
