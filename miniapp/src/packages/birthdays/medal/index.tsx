import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { medalEligible } from '@shared/medals'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { formatDateCn } from '@/utils/format'
import { AwardForm } from './AwardForm'
import '../shared/birthdays.scss'

function MedalList() {
  const [year, setYear] = useState<number | undefined>(undefined)
  const [recording, setRecording] = useState<number | null>(null)
  const state = useApi(() => api(medalEligible, { query: year ? { year } : {} }), [year])
  const shown = state.data?.year ?? year
  return (
    <View data-testid='medal-list'>
      <View className='dj-bday__hero'>
        <Text className='dj-bday__hero-title'>“光荣在党50年”纪念章</Text>
        <Text className='dj-bday__hero-sub'>党龄（自转正之日起）到当年7月1日满50年、尚未颁发的在册党员；七一前后颁发，每人一生一次</Text>
        <View className='dj-bday__months'>
          <Text className='dj-bday__month-btn' onClick={() => shown && setYear(shown - 1)}>
            ‹ 上一年
          </Text>
          <Text className='dj-bday__month'>{shown ? `${shown}年` : ''}</Text>
          <Text className='dj-bday__month-btn' onClick={() => shown && setYear(shown + 1)}>
            下一年 ›
          </Text>
        </View>
      </View>
      <AsyncContent
        state={state}
        isEmpty={(data) => data.members.length === 0 && data.awarded.length === 0}
        empty={<EmptyState title='这一年没有待颁发的党员' />}
      >
        {(data) => (
          <View>
            <Text className='dj-bday__meta' style={{ marginBottom: '16px' }} data-testid='medal-summary'>
              待颁发{data.total}人，其中{data.newlyEligible}人为{data.year}年新满50年；已颁发{data.awarded.length}人
            </Text>
            {data.members.map((m) => (
              <View key={m.memberId} className='dj-bday__row dj-bday__row--milestone' data-testid='medal-row' data-member-id={m.memberId}>
                <View className='dj-bday__row-head'>
                  <Text className='dj-bday__name'>{m.name}</Text>
                  <Text className='dj-bday__tag dj-bday__tag--medal'>党龄{m.partyStandingYears}年</Text>
                  {m.newlyEligible ? (
                    <Text className='dj-bday__tag dj-bday__tag--milestone' data-testid='medal-new'>
                      {data.year}年新满50年
                    </Text>
                  ) : null}
                </View>
                <Text className='dj-bday__meta'>{m.organizationName}</Text>
                <Text className='dj-bday__meta'>
                  入党 {formatDateCn(m.joinedAt)} · 转正 {formatDateCn(m.confirmedAt)}
                </Text>
                <Text className='dj-bday__meta'>{formatDateCn(m.reachesOn)}党龄满50年 · 待颁发</Text>
                {recording === m.memberId ? (
                  <AwardForm
                    memberId={m.memberId}
                    name={m.name}
                    onCancel={() => setRecording(null)}
                    onDone={() => {
                      setRecording(null)
                      void state.reload()
                    }}
                  />
                ) : (
                  <Text className='dj-bday__link' onClick={() => setRecording(m.memberId)} data-testid='medal-record'>
                    登记颁发 ›
                  </Text>
                )}
              </View>
            ))}
            {data.awarded.length > 0 ? (
              <View data-testid='medal-awarded'>
                <Text className='dj-bday__section-title'>{data.year}年已颁发</Text>
                {data.awarded.map((a) => (
                  <View key={a.id} className='dj-bday__row' data-testid='medal-awarded-row'>
                    <View className='dj-bday__row-head'>
                      <Text className='dj-bday__name'>{a.name}</Text>
                      <Text className='dj-bday__tag dj-bday__tag--signed'>已颁发</Text>
                    </View>
                    <Text className='dj-bday__meta'>
                      {a.organizationName} · {formatDateCn(a.awardedOn)} · {a.presentedBy}颁发
                    </Text>
                  </View>
                ))}
              </View>
            ) : null}
          </View>
        )}
      </AsyncContent>
    </View>
  )
}

function MedalPage({ me }: { me: MeResponse }) {
  if (me.account.role !== 'staff') {
    return (
      <Card title='光荣在党50年'>
        <Text className='dj-bday__notice'>全镇“光荣在党50年”名单由党委工作人员查看和上报。</Text>
      </Card>
    )
  }
  return <MedalList />
}

export default function Page() {
  return (
    <SignedInPage gate='officer'>
      {(me) => <MedalPage me={me} />}
    </SignedInPage>
  )
}
