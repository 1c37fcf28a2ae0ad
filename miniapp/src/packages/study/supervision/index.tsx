/**
 * 学习督导: a secretary's branch today (who is below 60 minutes, each member's
 * month), the branch's collective study with attendance, and for committee
 * staff the township summary: rates per branch, a 30-day trend, lapsed members.
 */
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { organizations as organizationsEndpoint } from '@shared/members'
import { listEvents, organizationDay, summary, STUDY_WAY_LABELS } from '@shared/study'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { STUDY_ROUTES, eventTime } from '../shared/routes'
import '../shared/study.scss'

type Section = 'day' | 'events' | 'township'

function DayList({ organizationId }: { organizationId: number }) {
  const state = useApi(() => api(organizationDay, { params: { id: organizationId }, query: {} }), [organizationId])
  useDidShow(() => void state.reload())
  return (
    <AsyncContent state={state} loadingText='正在读取今日学习情况…'>
      {(data) => {
        const below = data.members.filter((m) => !m.met)
        const met = data.members.filter((m) => m.met)
        return (
          <View data-testid='study-day'>
            <Card accent title={`${data.organization.name} · 今日学习`}>
              <View className='dj-sv__figures'>
                <View className='dj-sv__figure'>
                  <Text className='dj-sv__figure-value' data-testid='below-count'>{data.belowCount}</Text>
                  <Text className='dj-sv__figure-label'>未满60分钟</Text>
                </View>
                <View className='dj-sv__figure'>
                  <Text className='dj-sv__figure-value dj-sv__figure-value--ok'>{data.metCount}</Text>
                  <Text className='dj-sv__figure-label'>已达标</Text>
                </View>
                <View className='dj-sv__figure'>
                  <Text className='dj-sv__figure-value dj-sv__figure-value--plain'>{data.members.length}</Text>
                  <Text className='dj-sv__figure-label'>在册党员</Text>
                </View>
              </View>
            </Card>
            <Card title='未满60分钟（请提醒）' testId='below-list'>
              {below.length === 0 ? (
                <Text className='dj-sv__hint'>全部党员今日已达标。</Text>
              ) : (
                below.map((m) => (
                  <View key={m.memberId} className='dj-sv__row' data-testid='below-member' data-member-id={m.memberId}>
                    <Text className='dj-sv__name'>{m.name}</Text>
                    <Text className='dj-sv__minutes'>{m.minutes}分钟</Text>
                    <Text className='dj-sv__rate'>本月达标 {m.monthMetDays}/{data.monthDays}天</Text>
                  </View>
                ))
              )}
            </Card>
            <Card title='今日已达标' testId='met-list'>
              {met.length === 0 ? (
                <Text className='dj-sv__hint'>今天还没有党员达标。</Text>
              ) : (
                met.map((m) => (
                  <View key={m.memberId} className='dj-sv__row' data-testid='met-member' data-member-id={m.memberId}>
                    <Text className='dj-sv__name'>{m.name}</Text>
                    <Text className='dj-sv__minutes dj-sv__minutes--ok'>{m.minutes}分钟</Text>
                    <Text className='dj-sv__rate'>本月达标率 {m.monthRate}%</Text>
                  </View>
                ))
              )}
            </Card>
          </View>
        )
      }}
    </AsyncContent>
  )
}

function EventList({ organizationId }: { organizationId: number | undefined }) {
  const state = useApi(() => api(listEvents, { query: organizationId ? { organizationId } : {} }), [organizationId])
  useDidShow(() => void state.reload())
  return (
    <View>
      <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: STUDY_ROUTES.eventForm })} data-testid='new-event'>
        新建集中学习
      </Button>
      <View className='dj-sv__gap' />
      <AsyncContent
        state={state}
        isEmpty={(d) => d.events.length === 0}
        empty={<EmptyState title='还没有集中学习活动' description='点上方“新建集中学习”，到时出示二维码让党员扫码签到。' />}
      >
        {(data) =>
          data.events.map((e) => (
            <Card key={e.id} title={e.topic} testId='event-item' extra={<Text className='dj-sv__tag'>{STUDY_WAY_LABELS[e.way]}</Text>}>
              <View onClick={() => void Taro.navigateTo({ url: `${STUDY_ROUTES.event}?id=${e.id}` })}>
                <Text className='dj-sv__line'>{eventTime(e.startsAt, e.endsAt)}（{e.minutes}分钟）</Text>
                <Text className='dj-sv__line'>{e.place} · {e.organizationName}</Text>
                <Text className='dj-sv__line dj-sv__line--strong'>已签到 {e.attendeeCount} 人 ›</Text>
              </View>
            </Card>
          ))
        }
      </AsyncContent>
    </View>
  )
}

function TrendChart({ trend }: { trend: { day: string; rate: number; metMembers: number }[] }) {
  return (
    <View className='dj-sv__chart' data-testid='trend-chart'>
      <View className='dj-sv__chart-bars'>
        {trend.map((t) => (
          <View key={t.day} className='dj-sv__chart-col'>
            <View className='dj-sv__chart-bar' style={{ height: `${Math.max(2, t.rate)}%` }} />
          </View>
        ))}
      </View>
      <View className='dj-sv__chart-axis'>
        <Text>{trend[0]?.day.slice(5)}</Text>
        <Text>每日达标率（%）</Text>
        <Text>{trend[trend.length - 1]?.day.slice(5)}</Text>
      </View>
    </View>
  )
}

function Township() {
  const state = useApi(() => api(summary, { query: {} }), [])
  return (
    <AsyncContent state={state} loadingText='正在汇总全镇学习情况…'>
      {(data) => (
        <View data-testid='study-summary'>
          <Card accent title='各支部达标率' extra={<Text className='dj-sv__tag'>{data.from.slice(5)} 至 {data.to.slice(5)}</Text>}>
            {data.branches.map((b) => (
              <View key={b.organizationId} className='dj-sv__branch' data-testid='branch-rate'>
                <View className='dj-sv__branch-head'>
                  <Text className='dj-sv__name'>{b.name}</Text>
                  <Text className='dj-sv__rate-strong'>{b.rate}%</Text>
                </View>
                <View className='dj-sv__bar'>
                  <View className='dj-sv__bar-fill' style={{ width: `${b.rate}%` }} />
                </View>
                <Text className='dj-sv__hint'>{b.memberCount}名党员，累计学习 {Math.round(b.totalMinutes / 60)} 小时</Text>
              </View>
            ))}
          </Card>
          <Card title='近30天每日达标率'>
            <TrendChart trend={data.trend} />
          </Card>
          <Card title={`7天以上未学习（${data.inactiveTotal}人）`} testId='inactive-list'>
            {data.inactive.length === 0 ? (
              <Text className='dj-sv__hint'>没有连续7天未学习的党员。</Text>
            ) : (
              data.inactive.map((m) => (
                <View key={m.memberId} className='dj-sv__row'>
                  <Text className='dj-sv__name'>{m.name}</Text>
                  <Text className='dj-sv__rate'>{m.organizationName}</Text>
                  <Text className='dj-sv__minutes'>{m.daysSince === null ? '从未学习' : `${m.daysSince}天未学`}</Text>
                </View>
              ))
            )}
          </Card>
        </View>
      )}
    </AsyncContent>
  )
}

function Supervision({ me }: { me: MeResponse }) {
  const isStaff = me.account.role === 'staff'
  const [section, setSection] = useState<Section>('day')
  const orgs = useApi(() => (isStaff ? api(organizationsEndpoint) : Promise.resolve({ organizations: [] })), [isStaff])
  const branches = (orgs.data?.organizations ?? []).filter((o) => o.kind === 'branch')
  const [branchIndex, setBranchIndex] = useState(0)
  const ownBranch = me.account.role === 'secretary' ? (me.account.organization?.id ?? undefined) : undefined
  const organizationId = isStaff ? branches[branchIndex]?.id : ownBranch
  const tabs: [Section, string][] = [['day', '今日情况'], ['events', '集中学习'], ...(isStaff ? ([['township', '全镇汇总']] as [Section, string][]) : [])]

  return (
    <View>
      <View className='dj-sv__tabs'>
        {tabs.map(([key, label]) => (
          <View key={key} className={`dj-sv__tab ${section === key ? 'dj-sv__tab--on' : ''}`} onClick={() => setSection(key)} data-testid={`tab-${key}`}>
            {label}
          </View>
        ))}
      </View>
      {isStaff && section !== 'township' && branches.length > 0 ? (
        <Picker mode='selector' range={branches.map((b) => b.name)} value={branchIndex} onChange={(e) => setBranchIndex(Number(e.detail.value))}>
          <View className='dj-sv__picker'>支部：{branches[branchIndex]?.name} ▾</View>
        </Picker>
      ) : null}
      {section === 'day' ? organizationId ? <DayList organizationId={organizationId} /> : <EmptyState title='请选择支部' /> : null}
      {section === 'events' ? <EventList organizationId={organizationId} /> : null}
      {section === 'township' ? <Township /> : null}
    </View>
  )
}

export default function Page() {
  return (
    <SignedInPage gate='officer'>
      {(me) => <Supervision me={me} />}
    </SignedInPage>
  )
}
