/** 转接台账: the year's transfers in two sections (letters by the year of their number, the rest by filing year), filters, and (staff) the export. */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { organizations as organizationsEndpoint } from '@shared/members'
import { LEDGER_SECTION_LABELS, ledgerSections } from '@shared/transfer-ledger'
import { listTransfers, TRANSFER_KIND_LABELS, type TransferKind, type TransferState } from '@shared/transfers'
import { api, errorMessage, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { EmptyState } from '@/components/StateViews'
import { Chips } from '@/components/form/FormParts'
import { Button } from '@/ui/nutui'
import { downloadFile } from '@/api/download'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { TransferRow } from '../shared/ui'
import { shanghaiYear } from '@shared/calendar'

const STATE_FILTERS: { label: string; state?: TransferState }[] = [
  { label: '全部' },
  { label: '待支部审核', state: 'pending_branch' },
  { label: '待党委审批', state: 'pending_committee' },
  { label: '待回执', state: 'letter_issued' },
  { label: '待报到', state: 'awaiting_report' },
  { label: '已完成', state: 'completed' },
  { label: '未通过', state: 'rejected' },
]

export function Ledger({ me }: { me: MeResponse }) {
  const thisYear = shanghaiYear(new Date())
  const [year, setYear] = useState(thisYear)
  const [kind, setKind] = useState<TransferKind | '全部'>('全部')
  const [stateLabel, setStateLabel] = useState('全部')
  const [branch, setBranch] = useState<number | 0>(0)
  const [overdueOnly, setOverdueOnly] = useState(false)
  const [exporting, setExporting] = useState(false)
  const staff = me.account.role === 'staff'
  const state = STATE_FILTERS.find((f) => f.label === stateLabel)?.state
  const orgs = useApi(() => (staff ? api(organizationsEndpoint) : Promise.resolve({ organizations: [] })), [staff])
  const branches = (orgs.data?.organizations ?? []).filter((o) => o.kind === 'branch')
  const list = useApi(
    () =>
      api(listTransfers, {
        query: {
          view: 'all',
          year,
          kind: kind === '全部' ? undefined : kind,
          state,
          organizationId: branch || undefined,
          overdueOnly: overdueOnly ? '1' : undefined,
        },
      }),
    [year, kind, state, branch, overdueOnly],
  )
  useReloadOnShow(list.reload)

  const exportYear = async () => {
    setExporting(true)
    try {
      await downloadFile(`/api/transfers/ledger?year=${year}&format=xlsx`, `${year}年组织关系转接台账.xlsx`)
      void Taro.showToast({ title: '已导出', icon: 'success' })
    } catch (e) {
      void Taro.showModal({ title: '导出失败', content: errorMessage(e), showCancel: false })
    } finally {
      setExporting(false)
    }
  }

  return (
    <View data-testid='transfer-ledger'>
      <Card title='筛选'>
        <View className='dj-t-stack'>
          <Chips options={[thisYear, thisYear - 1, thisYear - 2]} value={year} onChange={setYear} label={(y) => `${y}年`} testId='filter-year' />
          <Chips
            options={['全部', 'out', 'in', 'internal', 'cross_township'] as const}
            value={kind}
            onChange={setKind}
            label={(k) => (k === '全部' ? '全部类型' : TRANSFER_KIND_LABELS[k])}
            testId='filter-kind'
          />
          <Chips options={STATE_FILTERS.map((f) => f.label)} value={stateLabel} onChange={setStateLabel} testId='filter-state' />
          {staff && branches.length > 0 ? (
            <Chips
              options={[0, ...branches.map((b) => b.id)]}
              value={branch}
              onChange={setBranch}
              label={(id) => (id === 0 ? '全部支部' : (branches.find((b) => b.id === id)?.name ?? ''))}
              testId='filter-branch'
            />
          ) : null}
          <Chips options={['全部', '只看逾期'] as const} value={overdueOnly ? '只看逾期' : '全部'} onChange={(v) => setOverdueOnly(v === '只看逾期')} testId='filter-overdue' />
        </View>
      </Card>
      {staff ? (
        <View style={{ marginBottom: '24px' }}>
          <Button type='primary' fill='outline' size='large' block loading={exporting} disabled={exporting} onClick={() => void exportYear()} data-testid='export-ledger'>
            导出{year}年台账（Excel）
          </Button>
        </View>
      ) : null}
      <AsyncContent
        state={list}
        isEmpty={(d) => d.transfers.length === 0}
        empty={<EmptyState title='没有符合条件的转接记录' description='换个年份或筛选条件试试。' />}
      >
        {(d) => (
          <>
            <Text className='dj-t-note' data-testid='ledger-total'>
              共 {d.transfers.length} 条：已开具的介绍信按编号年度归入台账，其余按申请年度单列；逾期的排在最前
            </Text>
            {ledgerSections.map((section) => {
              const rows = d.transfers.filter((t) => t.ledger.section === section)
              return (
                <View key={section} data-testid={`ledger-section-${section}`}>
                  <Text className='dj-t-section-title' data-testid='ledger-section-title'>
                    {LEDGER_SECTION_LABELS[section]}（{rows.length}条）
                  </Text>
                  {rows.length === 0 ? <Text className='dj-t-note'>本年度暂无</Text> : null}
                  {rows.map((t) => (
                    <TransferRow key={t.id} t={t} />
                  ))}
                </View>
              )
            })}
          </>
        )}
      </AsyncContent>
    </View>
  )
}
