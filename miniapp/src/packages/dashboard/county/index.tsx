/**
 * 各乡镇概况 (issue 17.5): the county's townships side by side in their fixed order (never ranked), each
 * opening that township's own dashboard; the county's files — roster statistics, the transfers ledger and the
 * commendations of the year — one tap each.
 */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { countyOverview, type TownshipFigures } from '@shared/county'
import { api, errorMessage, useApi } from '@/api'
import { downloadFile } from '@/api/download'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState, ErrorState } from '@/components/StateViews'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import './index.scss'

type Figures = Pick<TownshipFigures, 'branches' | 'roster' | 'registrationsPending' | 'transfersOpen' | 'commendations' | 'feedbackOpen'>

function FigureLines({ f }: { f: Figures }) {
  return (
    <View className='dj-county__lines'>
      <Text className='dj-county__big'>
        党员 {f.roster.members} 人（正式 {f.roster.formal} · 预备 {f.roster.probationary}）
      </Text>
      <Text className='dj-county__line'>支部 {f.branches} 个 · 女党员 {f.roster.female} 人 · 61岁及以上 {f.roster.age61} 人</Text>
      <Text className='dj-county__line'>
        待审登记 {f.registrationsPending} 件 · 转接办理中 {f.transfersOpen} 件
      </Text>
      <Text className='dj-county__line'>
        本年表彰 {f.commendations} 个 · 投诉建议未办结 {f.feedbackOpen} 件
      </Text>
    </View>
  )
}

/** One export button: busy while it downloads, the failure said in a dialog. */
function ExportButton({ label, path, fileName, testId }: { label: string; path: string; fileName: string; testId: string }) {
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    try {
      await downloadFile(path, fileName)
      void Taro.showToast({ title: '已导出', icon: 'success' })
    } catch (e) {
      void Taro.showModal({ title: '导出失败', content: errorMessage(e), showCancel: false })
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='dj-county__export'>
      <Button type='primary' fill='outline' size='large' block loading={busy} disabled={busy} onClick={() => void run()} data-testid={testId}>
        {label}
      </Button>
    </View>
  )
}

function CountyOverview({ me }: { me: MeResponse }) {
  const state = useApi(() => api(countyOverview), [])
  if (me.account.role !== 'county') return <ErrorState message='各乡镇概况仅限县委组织部查看' />
  return (
    <AsyncContent state={state} loadingText='正在统计各乡镇…'>
      {(d) => (
        <View data-testid='county-overview'>
          <Card title={`${d.county.name} · 全县合计`} accent testId='county-total'>
            <Text className='dj-county__caption'>截至 {d.today.slice(5).replace('-', '月')}日 · {d.townships.length} 个乡镇</Text>
            <FigureLines f={d.total} />
          </Card>
          <Text className='dj-county__hint'>各乡镇按固定顺序列出。点乡镇可看它的数据看板。</Text>
          {d.townships.length === 0 ? <EmptyState title='还没有乡镇' description='请先在“乡镇管理”中新建乡镇党委' /> : null}
          {d.townships.map((t) => (
            <View
              key={t.organizationId}
              className='dj-county__township'
              data-testid='county-township'
              onClick={() => void Taro.navigateTo({ url: `${ROUTES.dashboard}?townshipId=${t.organizationId}` })}
            >
              <Card title={t.name} extra={<Text className='dj-county__open'>看板 ›</Text>}>
                <FigureLines f={t} />
              </Card>
            </View>
          ))}
          <Card title='全县报表'>
            <ExportButton label='导出全县党员统计表' path='/api/county/roster-statistics' fileName={`${d.county.name}党员统计表.xlsx`} testId='export-roster-statistics' />
            <ExportButton label={`导出${d.year}年全县转接台账`} path={`/api/transfers/ledger?year=${d.year}&format=xlsx`} fileName={`${d.year}年组织关系转接台账.xlsx`} testId='export-county-ledger' />
            <ExportButton label={`导出${d.year}年全县表彰名单`} path={`/api/commendations/export?year=${d.year}`} fileName={`${d.year}年度表彰名单.xlsx`} testId='export-county-commendations' />
          </Card>
        </View>
      )}
    </AsyncContent>
  )
}

export default function CountyOverviewPage() {
  return <SignedInPage gate='officer'>{(me) => <CountyOverview me={me} />}</SignedInPage>
}
