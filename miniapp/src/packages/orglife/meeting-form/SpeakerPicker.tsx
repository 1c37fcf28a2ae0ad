/**
 * 讲课人 of a 党课: a leader assigned to this village (包村), a member of the branch, or someone
 * not on the roster (a 党校 teacher) typed by name. Only a roster entry counts toward a 党课 duty.
 */
import { View, Text, Input } from '@tarojs/components'
import { lectureSpeakers } from '@shared/orglife'
import { api, useApi } from '@/api'

export interface SpeakerChoice {
  memberId: number | null
  name: string
}

interface Props {
  organizationId: number | undefined
  roster: ReadonlyArray<{ memberId: number; name: string }>
  value: SpeakerChoice
  onChange: (v: SpeakerChoice) => void
}

export function SpeakerPicker({ organizationId, roster, value, onChange }: Props) {
  const leaders = useApi(() => (organizationId ? api(lectureSpeakers, { params: { id: organizationId } }) : Promise.resolve({ leaders: [] })), [organizationId])
  const chip = (memberId: number, name: string, testId: string) => (
    <View key={`${testId}-${memberId}`} data-testid={testId} className={`dj-ol__chip ${value.memberId === memberId ? 'dj-ol__chip--on' : ''}`} onClick={() => onChange({ memberId, name })}>
      {name}
    </View>
  )
  const own = roster.filter((m) => !(leaders.data?.leaders ?? []).some((l) => l.memberId === m.memberId))
  return (
    <View data-testid='speaker-picker'>
      <Text className='dj-ol__label'>讲课人</Text>
      {leaders.data && leaders.data.leaders.length > 0 ? (
        <>
          <Text className='dj-ol__hint'>包本村的领导</Text>
          <View className='dj-ol__chips'>{leaders.data.leaders.map((l) => chip(l.memberId, l.name, 'speaker-leader'))}</View>
        </>
      ) : null}
      {leaders.error ? <Text className='dj-ol__hint'>{leaders.error}</Text> : null}
      {own.length > 0 ? (
        <>
          <Text className='dj-ol__hint'>本支部党员</Text>
          <View className='dj-ol__chips'>{own.map((m) => chip(m.memberId, m.name, 'speaker-member'))}</View>
        </>
      ) : null}
      <Text className='dj-ol__hint'>不在名单上的讲课人（如党校老师），请填写姓名：</Text>
      <Input
        className='dj-ol__input'
        data-testid='speaker-name'
        maxlength={40}
        value={value.memberId == null ? value.name : ''}
        placeholder={value.memberId == null ? '讲课人姓名' : `已选：${value.name}`}
        onInput={(e) => onChange({ memberId: null, name: e.detail.value })}
      />
    </View>
  )
}
