import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { dashboard as dashboardEndpoint, type DashboardResponse } from '@shared/dashboard'
import { api, useApi } from '@/api'
import { ErrorState, LoadingState } from '@/components/StateViews'
import { ROUTES, type Route } from '@/routes'
import './Dashboard.scss'
import { COMMENDATION_CATEGORY_LABELS } from '@shared/commendations/records'

const go = (url: Route) => () => void Taro.navigateTo({ url })

/** A big number with a label; tapping opens the list behind it. */
function Figure({ label, value, sub, alert, url, testId }: { label: string; value: string; sub?: string; alert?: string | null; url: Route; testId: string }) {
  return (
    <View className='dj-dash__figure' hoverClass='dj-dash__figure--pressed' onClick={go(url)} data-testid={testId}>
      <Text className='dj-dash__label'>{label}</Text>
      <Text className='dj-dash__value'>{value}</Text>
      {sub ? <Text className='dj-dash__sub'>{sub}</Text> : null}
      {alert ? <Text className='dj-dash__alert'>{alert}</Text> : null}
    </View>
  )
}

const pct = (p: number | null) => (p == null ? '—' : `${p}%`)

/**
 * Study by branch, in the branches' fixed order: minutes this month and members who met the hour today, as plain
 * figures. No completion rates and no bars side by side: branches are not compared by study (国办函〔2026〕12号).
 */
function BranchStudy({ data }: { data: DashboardResponse }) {
  return (
    <View className='dj-dash__panel' onClick={go(ROUTES.studySupervision)} data-testid='dash-study-branches'>
      <View className='dj-dash__panel-head'>
        <Text className='dj-dash__panel-title'>各支部学习情况（本月）</Text>
      </View>
      {data.branches.map((b) => (
        <View key={b.organizationId} className='dj-dash__bar-row' data-testid='dash-branch'>
          <Text className='dj-dash__bar-name'>{b.name.replace(/党支部$/, '')}</Text>
          <Text className='dj-dash__bar-value'>
            {b.members}人 · 累计学习{Math.round(b.studyMonthMinutes / 60)}小时
          </Text>
        </View>
      ))}
    </View>
  )
}

const dayCn = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`

/**
 * The 30-day trend, newest first: one row per day with its figure beside its bar (30 columns on a phone are too
 * narrow to carry a number). Each row says its day and figure to a screen reader; the bars are decoration.
 */
function Trend({ data }: { data: DashboardResponse }) {
  const days = [...data.study.trend].reverse()
  return (
    <View className='dj-dash__panel' onClick={go(ROUTES.studySupervision)} data-testid='dash-trend'>
      <View className='dj-dash__panel-head'>
        <Text className='dj-dash__panel-title'>近30天每日学习达标率</Text>
        <Text className='dj-dash__sub'>最近的一天在最上面</Text>
      </View>
      <View className='dj-dash__trend' role='list' aria-label='近30天每日学习达标率'>
        {days.map((d) => {
          const figure = d.percent == null ? '—' : `${d.percent}%`
          return (
            <View
              key={d.day}
              className='dj-dash__day'
              role='listitem'
              aria-label={`${dayCn(d.day)}，${d.percent == null ? '没有在册党员' : `达标率${d.percent}%，${d.met}人达标`}`}
              data-testid='dash-trend-day'
              data-day={d.day}
            >
              <Text className='dj-dash__day-name'>{dayCn(d.day)}</Text>
              <View className='dj-dash__bar-track dj-dash__day-track' aria-hidden>
                <View className='dj-dash__bar dj-dash__bar--today' style={{ width: `${d.percent ?? 0}%` }} />
              </View>
              <Text className='dj-dash__day-value' data-testid='dash-trend-value'>
                {figure}
              </Text>
            </View>
          )
        })}
      </View>
    </View>
  )
}

function Targets({ data }: { data: DashboardResponse }) {
  const branch = data.scope.kind === 'branch'
  return (
    <View className='dj-dash__panel' onClick={go(ROUTES.commendations)} data-testid='dash-commendations'>
      <View className='dj-dash__panel-head'>
        <Text className='dj-dash__panel-title'>{data.commendations.year}年度表彰目标（全镇）</Text>
      </View>
      {data.commendations.targets.map((t) => (
        <View key={t.category} className='dj-dash__target' data-testid='dash-target' data-category={t.category}>
          <View className='dj-dash__target-row'>
            <Text>{COMMENDATION_CATEGORY_LABELS[t.category]}</Text>
            <Text data-testid='dash-target-figure'>
              {t.target == null ? `${t.townshipAchieved}${t.unit}（未设目标）` : `${t.townshipAchieved} / ${t.target}${t.unit}`}
              {branch ? `（本支部${t.achieved}）` : ''}
            </Text>
          </View>
          <View className='dj-dash__bar-track dj-dash__bar-track--thick'>
            <View className={`dj-dash__bar ${t.percent != null && t.percent >= 100 ? 'dj-dash__bar--done' : 'dj-dash__bar--today'}`} style={{ width: `${t.percent ?? 0}%` }} />
          </View>
        </View>
      ))}
    </View>
  )
}

/**
 * The dashboard at the top of 管理: the township (staff) or the branch (secretary) at a glance. `work` (the 管理
 * home's entries) goes between the figures that ask for work and the charts, and shows while they load or fail.
 */
export function Dashboard({ townshipId, work }: { townshipId?: number; work?: ReactNode } = {}) {
  // County staff opening one township (各乡镇概况 ›) see it as its own staff do.
  const state = useApi(() => api(dashboardEndpoint, { query: townshipId ? { townshipId } : {} }), [townshipId])
  // 管理 is a tab page and stays mounted: refresh the figures whenever it comes back.
  useReloadOnShow(state.reload)
  const d = state.data
  if (state.error || !d) {
    return (
      <>
        {state.error ? <ErrorState message={state.error} onRetry={() => void state.reload()} /> : <LoadingState text='正在统计…' />}
        {work}
      </>
    )
  }
  return (
    <View className='dj-dash' data-testid='dashboard'>
      <Text className='dj-dash__caption'>
        {d.scope.kind === 'county' ? '全县' : d.scope.kind === 'township' ? (townshipId ? d.scope.name : '全镇') : '本支部'}数据 · {d.today.slice(5).replace('-', '月')}日
      </Text>
      <View className='dj-dash__grid'>
        <Figure label='在册党员' value={`${d.members.total}人`} sub={`正式${d.members.formal} · 预备${d.members.probationary}`} url={ROUTES.memberRoster} testId='dash-members' />
        <Figure
          label='待审核登记'
          value={`${d.registrations.pending}件`}
          alert={d.registrations.overdue ? `超${d.registrations.overdueAfterDays}天未审 ${d.registrations.overdue}件` : null}
          url={ROUTES.memberReview}
          testId='dash-registrations'
        />
        {/* 转接待办 counts what waits for the viewer, as 待我办理 does; the county acts on none, so it sees what is under way. */}
        <Figure
          label={d.scope.kind === 'county' ? '转接办理中' : '转接待办'}
          value={`${d.scope.kind === 'county' ? d.transfers.open : d.transfers.awaitingMe}件`}
          sub={d.scope.kind === 'county' ? undefined : `办理中 ${d.transfers.open}件`}
          alert={d.transfers.overdue ? `逾期 ${d.transfers.overdue}件` : null}
          url={ROUTES.transfers}
          testId='dash-transfers'
        />
        <Figure
          label='今日学习达标'
          value={`${d.study.todayMet}人`}
          sub={`达标率 ${pct(d.study.todayPercent)} · 本月 ${pct(d.study.monthPercent)}`}
          url={ROUTES.studySupervision}
          testId='dash-study'
        />
        <Figure label='投诉建议' value={`${d.feedback.open}件`} sub='未办结' url={ROUTES.feedback} testId='dash-feedback' />
        <Figure label={`${d.month}月政治生日`} value={`${d.birthdays.signed}/${d.birthdays.due}人`} sub='已签到 / 应过' url={ROUTES.birthdays} testId='dash-birthdays' />
      </View>
      {work}
      <Targets data={d} />
      <BranchStudy data={d} />
      <Trend data={d} />
    </View>
  )
}
