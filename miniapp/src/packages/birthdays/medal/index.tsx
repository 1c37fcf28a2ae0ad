import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { medalEligible } from '@shared/birthdays'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { PageShell } from '@/components/PageShell'
import { RequireOfficer } from '@/components/RoleGates'
import { SessionGate } from '@/components/SessionGate'
import { EmptyState } from '@/components/StateViews'
import { formatDateCn } from '@/utils/format'
import '../shared/birthdays.scss'

function MedalList() {
  const [year, setYear] = useState<number | undefined>(undefined)
  const state = useApi(() => api(medalEligible, { query: year ? { year } : {} }), [year])
  const shown = state.data?.year ?? year
  return (
    <View data-testid='medal-list'>
      <View className='dj-bday__hero'>
        <Text className='dj-bday__hero-title'>“光荣在党50年”纪念章</Text>
        <Text className='dj-bday__hero-sub'>党龄（自转正之日起）到当年12月31日满50年的在册党员</Text>
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
        isEmpty={(data) => data.members.length === 0}
        empty={<EmptyState title='这一年没有符合条件的党员' />}
      >
        {(data) => (
          <View>
            <Text className='dj-bday__meta' style={{ marginBottom: '16px' }}>
              共{data.total}人，其中{data.members.filter((m) => m.reachesOn.startsWith(String(data.year))).length}人于{data.year}年新满50年
            </Text>
            {data.members.map((m) => (
              <View key={m.memberId} className='dj-bday__row dj-bday__row--milestone' data-testid='medal-row'>
                <View className='dj-bday__row-head'>
                  <Text className='dj-bday__name'>{m.name}</Text>
                  <Text className='dj-bday__tag dj-bday__tag--medal'>党龄{m.partyStandingYears}年</Text>
                </View>
                <Text className='dj-bday__meta'>{m.organizationName}</Text>
                <Text className='dj-bday__meta'>
                  入党 {formatDateCn(m.joinedAt)} · 转正 {formatDateCn(m.confirmedAt)}
                </Text>
                <Text className='dj-bday__meta'>{formatDateCn(m.reachesOn)}党龄满50年</Text>
              </View>
            ))}
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
    <PageShell>
      <SessionGate>
        {(me) => (
          <RequireOfficer me={me}>
            <MedalPage me={me} />
          </RequireOfficer>
        )}
      </SessionGate>
    </PageShell>
  )
}
