/**
 * 学习组织: a branch's week as aggregates (members who recorded study, minutes)
 * and the care list (members who may need help taking part), the branch's
 * collective study with attendance, and for committee staff the township
 * totals per branch in fixed order. Personal study belongs to the member: no
 * per-member minutes, no reminder list, no ranking (国办函〔2026〕12号).
 */
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text, Picker } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { organizations as organizationsEndpoint } from '@shared/members'
import { CARE_REASON_LABELS, listEvents, organizationWeek, summary, STUDY_WAY_LABELS } from '@shared/study'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { chineseTimeRange } from '@shared/calendar'
import { STUDY_ROUTES } from '../shared/routes'
import '../shared/study.scss'

type Section = 'day' | 'events' | 'township'

function BranchWeek({ organizationId }: { organizationId: number }) {
  const state = useApi(() => api(organizationWeek, { params: { id: organizationId }, query: {} }), [organizationId])
  useDidShow(() => void state.reload())
  return (
    <AsyncContent state={state} loadingText='正在读取本周学习概况…'>
      {(data) => (
        <View data-testid='study-week'>
          <Card accent title={`${data.organization.name} · 本周学习`} extra={<Text className='dj-sv__tag'>{data.weekStart.slice(5)} 起</Text>}>
            <View className='dj-sv__figures'>
              <View className='dj-sv__figure'>
                <Text className='dj-sv__figure-value dj-sv__figure-value--ok' data-testid='studied-members'>{data.studiedMembers}</Text>
                <Text className='dj-sv__figure-label'>本周记录学习（人）</Text>
              </View>
              <View className='dj-sv__figure'>
                <Text className='dj-sv__figure-value dj-sv__figure-value--plain'>{Math.round(data.totalMinutes / 60)}</Text>
                <Text className='dj-sv__figure-label'>合计（小时）</Text>
              </View>
              <View className='dj-sv__figure'>
                <Text className='dj-sv__figure-value dj-sv__figure-value--plain'>{data.memberCount}</Text>
                <Text className='dj-sv__figure-label'>在册党员</Text>
              </View>
            </View>
            <Text className='dj-sv__hint'>本周集中学习 {data.events} 次，参加 {data.attendances} 人次。个人学习由党员自己安排，这里只显示合计，不列个人时长。</Text>
          </Card>
          <Card title={`需要帮一把的党员（${data.care.length}人）`} testId='care-list'>
            {data.care.length === 0 ? (
              <Text className='dj-sv__hint'>暂时没有需要特别照顾的党员。</Text>
            ) : (
              data.care.map((m) => (
                <View key={m.memberId} className='dj-sv__care' data-testid='care-member' data-member-id={m.memberId}>
                  <Text className='dj-sv__name'>{m.name}（{m.age}岁）</Text>
                  {m.reasons.map((r) => (
                    <Text key={r} className='dj-sv__line'>· {CARE_REASON_LABELS[r]}</Text>
                  ))}
                  <Text className='dj-sv__hint'>可以这样帮：到场参加集中学习的，在“集中学习”里由书记登记；行动不便的，安排送学上门，回来后同样登记。</Text>
                </View>
              ))
            )}
          </Card>
        </View>
      )}
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
                <Text className='dj-sv__line'>{chineseTimeRange(e.startsAt, e.endsAt)}（{e.minutes}分钟）</Text>
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

function TrendChart({ trend, memberCount }: { trend: { day: string; studiedMembers: number }[]; memberCount: number }) {
  return (
    <View className='dj-sv__chart' data-testid='trend-chart'>
      <View className='dj-sv__chart-bars'>
        {trend.map((t) => (
          <View key={t.day} className='dj-sv__chart-col'>
            <View className='dj-sv__chart-bar' style={{ height: `${Math.max(2, memberCount ? (t.studiedMembers * 100) / memberCount : 0)}%` }} />
          </View>
        ))}
      </View>
      <View className='dj-sv__chart-axis'>
        <Text>{trend[0]?.day.slice(5)}</Text>
        <Text>每日学习人数</Text>
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
          <Card accent title='各支部学习合计' extra={<Text className='dj-sv__tag'>{data.from.slice(5)} 至 {data.to.slice(5)}</Text>}>
            {data.branches.map((b) => (
              <View key={b.organizationId} className='dj-sv__row' data-testid='branch-total'>
                <Text className='dj-sv__name'>{b.name}</Text>
                <Text className='dj-sv__rate'>{b.memberCount}名党员</Text>
                <Text className='dj-sv__minutes'>累计 {Math.round(b.totalMinutes / 60)} 小时</Text>
              </View>
            ))}
            <Text className='dj-sv__hint'>按支部固定顺序列出，只是合计，不作比较和考核。</Text>
          </Card>
          <Card title='近30天每日学习人数'>
            <TrendChart trend={data.trend} memberCount={data.memberCount} />
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
  const tabs: [Section, string][] = [['day', '本周概况'], ['events', '集中学习'], ...(isStaff ? ([['township', '全镇汇总']] as [Section, string][]) : [])]

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
      {section === 'day' ? organizationId ? <BranchWeek organizationId={organizationId} /> : <EmptyState title='请选择支部' /> : null}
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
