/**
 * 记录会议: type, time, place, host, topic, agenda and minutes, and attendance
 * ticked name by name (实到 / 请假 with its reason / 缺席). 应到 is the branch roster
 * on the meeting day, from the server; a 党课 names its speaker (SpeakerPicker). Photos are not asked for (现场照片 may be added on the saved record, never required). A retry after a
 * lost answer sends the same Idempotency-Key, so nothing is recorded twice.
 */
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Picker, Textarea } from '@tarojs/components'
import { useRef, useState } from 'react'
import { isIsoDate } from '@shared/calendar'
import type { MeResponse } from '@shared/auth'
import {
  ATTENDANCE_LABELS,
  attendanceStatuses,
  createMeeting,
  expectedAttendees,
  LEAVE_REASON_LABELS,
  leaveReasons,
  MEETING_TYPE_LABELS,
  meetingTypes,
  STUDY_BEARING_BY_DEFAULT,
  type AttendanceStatus,
  type LeaveReason,
  type MeetingType,
} from '@shared/orglife'
import { api, errorMessage, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { useInputKey } from '@/hooks/useInputKey'
import { Button } from '@/ui/nutui'
import { DateInput, dateProblem, dateValue } from '@/components/form/FormParts'
import { useLiveCheck } from '@/components/form/useLiveCheck'
import { ORGLIFE_ROUTES, todayCst } from '../shared/format'
import { SpeakerPicker, type SpeakerChoice } from './SpeakerPicker'
import '../shared/orglife.scss'

interface Mark {
  status: AttendanceStatus
  leaveReason: LeaveReason | null
}

function MeetingForm({ me }: { me: MeResponse }) {
  const named = useRouter().params.organizationId
  const organizationId = named ? Number(named) : me.account.organization?.id
  const [type, setType] = useState<MeetingType>('branch_committee')
  const [topic, setTopic] = useState('')
  const [place, setPlace] = useState('村党群服务中心')
  const [host, setHost] = useState(me.account.displayName)
  const [speaker, setSpeaker] = useState<SpeakerChoice>({ memberId: null, name: '' })
  const [agenda, setAgenda] = useState('')
  const [minutes, setMinutes] = useState('')
  const [dayText, setDayText] = useState(todayCst())
  const [start, setStart] = useState('09:00')
  const [end, setEnd] = useState('10:30')
  const [study, setStudy] = useState(false)
  const [marks, setMarks] = useState<Record<number, Mark>>({})
  const [busy, setBusy] = useState(false)
  const key = useInputKey()
  const day = dateValue(dayText)
  // The roster of the last day that reads as a date: half-typed text must not ask the server for "2026.1".
  const rosterDay = useRef(day)
  if (isIsoDate(day)) rosterDay.current = day
  const attendance = Object.entries(marks).map(([id, m]) => ({ memberId: Number(id), status: m.status, ...(m.status === 'excused' ? { leaveReason: m.leaveReason } : {}) }))
  const check = useLiveCheck({
    topic: !topic.trim() && '请填写会议主题',
    day: dateProblem(dayText, '会议日期'),
    time: end <= start && '结束时间要晚于开始时间',
    place: !place.trim() && '请填写地点',
    host: !host.trim() && '请填写主持人',
    speaker: type === 'party_lecture' && speaker.memberId == null && !speaker.name.trim() && '党课请选择或填写讲课人',
    reason: attendance.some((a) => a.status === 'excused' && !a.leaveReason) && '请假的党员请选择请假原因',
  }, [type, topic, place, host, speaker, agenda, minutes, dayText, start, end, study, marks])
  const roster = useApi(
    () => (organizationId ? api(expectedAttendees, { params: { id: organizationId }, query: { date: rosterDay.current } }) : Promise.resolve({ date: rosterDay.current, members: [] })),
    [organizationId, rosterDay.current],
  )

  const pickType = (t: MeetingType) => {
    setType(t)
    setStudy(STUDY_BEARING_BY_DEFAULT.includes(t))
  }
  const mark = (memberId: number, status: AttendanceStatus) =>
    setMarks((all) => ({ ...all, [memberId]: { status, leaveReason: status === 'excused' ? (all[memberId]?.leaveReason ?? null) : null } }))
  const reason = (memberId: number, leaveReason: LeaveReason) => setMarks((all) => ({ ...all, [memberId]: { status: 'excused', leaveReason } }))

  const submit = async () => {
    if (!check.ready()) return
    const body = {
      ...(named ? { organizationId: Number(named) } : {}),
      type,
      topic: topic.trim(),
      place: place.trim(),
      host: host.trim(),
      ...(type !== 'party_lecture' ? {} : speaker.memberId != null ? { speakerMemberId: speaker.memberId } : speaker.name.trim() ? { speaker: speaker.name.trim() } : {}),
      agenda: agenda.trim(),
      minutes: minutes.trim(),
      startsAt: `${day}T${start}:00+08:00`,
      endsAt: `${day}T${end}:00+08:00`,
      carriesStudy: study,
      attendance,
    }
    setBusy(true)
    try {
      const meeting = await api(createMeeting, { body, idempotencyKey: key.keyFor(body) })
      void Taro.redirectTo({ url: `${ORGLIFE_ROUTES.meeting}?id=${meeting.id}` })
    } catch (e) {
      check.fail(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View data-testid='meeting-form'>
      <Card accent title='会议类型'>
        <View className='dj-ol__chips'>
          {meetingTypes.map((t) => (
            <View key={t} data-testid='meeting-type' className={`dj-ol__chip ${type === t ? 'dj-ol__chip--on' : ''}`} onClick={() => pickType(t)}>
              {MEETING_TYPE_LABELS[t]}
            </View>
          ))}
        </View>
      </Card>
      <Card title='会议信息'>
        <Text className='dj-ol__label'>主题</Text>
        <Input className='dj-ol__input' data-testid='meeting-topic' maxlength={100} value={topic} placeholder='如：研究本月支部工作' onInput={(e) => setTopic(e.detail.value)} />
        <Text className='dj-ol__label'>日期和时间（北京时间）</Text>
        <DateInput className='dj-ol__input' value={dayText} onChange={setDayText} invalid={!!check.of('day')} testId='meeting-day' />
        <View className='dj-ol__chips'>
          <Picker mode='time' value={start} onChange={(e) => setStart(e.detail.value)}>
            <View className='dj-ol__picker'>开始 {start} ▾</View>
          </Picker>
          <Picker mode='time' value={end} onChange={(e) => setEnd(e.detail.value)}>
            <View className='dj-ol__picker'>结束 {end} ▾</View>
          </Picker>
        </View>
        <Text className='dj-ol__label'>地点</Text>
        <Input className='dj-ol__input' maxlength={60} value={place} onInput={(e) => setPlace(e.detail.value)} />
        <Text className='dj-ol__label'>主持人</Text>
        <Input className='dj-ol__input' maxlength={40} value={host} onInput={(e) => setHost(e.detail.value)} />
        {type === 'party_lecture' ? <SpeakerPicker organizationId={organizationId} roster={roster.data?.members ?? []} value={speaker} onChange={setSpeaker} /> : null}
        <View className={`dj-ol__chip ${study ? 'dj-ol__chip--on' : ''}`} data-testid='carries-study' onClick={() => setStudy(!study)}>
          {study ? '✓ ' : ''}本次会议有集中学习，按时长计入学时
        </View>
        <Text className='dj-ol__label'>议程</Text>
        <Textarea className='dj-ol__textarea' maxlength={2000} value={agenda} onInput={(e) => setAgenda(e.detail.value)} />
        <Text className='dj-ol__label'>会议记录</Text>
        <Textarea className='dj-ol__textarea' maxlength={10000} value={minutes} onInput={(e) => setMinutes(e.detail.value)} />
      </Card>
      <Card title='出席情况（不勾选即为缺席）' testId='attendance'>
        <AsyncContent state={roster} isEmpty={(r) => r.members.length === 0} empty={<Text className='dj-ol__hint'>当天支部没有在册党员。</Text>}>
          {(r) => (
            <View>
              <Text className='dj-ol__hint'>应到 {r.members.length} 人（当日在册的正式党员和预备党员）</Text>
              {r.members.map((m) => {
                const current = marks[m.memberId]
                return (
                  <View key={m.memberId} data-testid='attendee'>
                    <View className='dj-ol__row'>
                      <Text className='dj-ol__name'>{m.name}</Text>
                      <View className='dj-ol__marks'>
                        {attendanceStatuses.map((s) => (
                          <View
                            key={s}
                            data-testid={`mark-${s}`}
                            className={`dj-ol__mark ${(current?.status ?? 'absent') === s ? 'dj-ol__mark--on' : ''}`}
                            onClick={() => mark(m.memberId, s)}
                          >
                            {ATTENDANCE_LABELS[s]}
                          </View>
                        ))}
                      </View>
                    </View>
                    {current?.status === 'excused' ? (
                      <View className='dj-ol__reasons'>
                        {leaveReasons.map((lr) => (
                          <View key={lr} data-testid={`reason-${lr}`} className={`dj-ol__chip ${current.leaveReason === lr ? 'dj-ol__chip--on' : ''}`} onClick={() => reason(m.memberId, lr)}>
                            {LEAVE_REASON_LABELS[lr]}
                          </View>
                        ))}
                      </View>
                    ) : null}
                  </View>
                )
              })}
            </View>
          )}
        </AsyncContent>
      </Card>
      <Text className='dj-ol__hint' data-testid='photos-optional'>现场照片可不传；需要时，保存后可在会议记录页添加。</Text>
      {check.banner ? <Text className='dj-ol__error' data-testid='meeting-error'>{check.banner}</Text> : null}
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()}>
        保存会议记录
      </Button>
    </View>
  )
}

export default function Page() {
  return <SignedInPage gate='officer'>{(me) => <MeetingForm me={me} />}</SignedInPage>
}
