/**
 * 组织关系转接. Members see their own applications and can apply; secretaries
 * and staff land on 待我办理 (with counts) and can open the ledger, filter it
 * and (staff) export the year's 台账.
 */
import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useRef, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { organizations as organizationsEndpoint } from '@shared/members'
import {
  listTransfers,
  nextForwardStep,
  TRANSFER_KIND_LABELS,
  type TransferKind,
  type TransferState,
} from '@shared/transfers'
import { api, errorMessage, useApi } from '@/api'
import { isOfficer } from '@/auth/session'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { PageShell } from '@/components/PageShell'
import { RequireMember } from '@/components/RoleGates'
import { SessionGate } from '@/components/SessionGate'
import { EmptyState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { downloadFile } from '@/api/download'
import { TRANSFER_ROUTES } from '../shared/routes'
import { StepButtons } from '../shared/steps'
import { Chips } from '@/components/form/FormParts'
import { TransferRow } from '../shared/ui'
import '../shared/transfers.scss'

type Tab = 'inbox' | 'ledger' | 'mine'

/** Reloads when the page comes back into view (after a step taken on the detail page). */
function useReloadOnShow(reload: () => Promise<void>) {
  const first = useRef(true)
  useDidShow(() => {
    if (first.current) {
      first.current = false
      return
    }
    void reload()
  })
}

function Inbox() {
  const list = useApi(() => api(listTransfers, { query: { view: 'inbox' } }), [])
  useReloadOnShow(list.reload)
  return (
    <AsyncContent state={list} loadingText='正在加载待办…'>
      {(d) => (
        <View data-testid='transfer-inbox'>
          <View className='dj-t-summary'>
            <View className='dj-t-summary__item'>
              <Text className='dj-t-summary__num' data-testid='count-awaiting'>
                {d.counts.awaitingMe}
              </Text>
              <Text className='dj-t-summary__label'>待我办理</Text>
            </View>
            <View className='dj-t-summary__item'>
              <Text className='dj-t-summary__num' data-testid='count-overdue'>
                {d.counts.overdue}
              </Text>
              <Text className='dj-t-summary__label'>逾期未回执</Text>
            </View>
            <View className='dj-t-summary__item'>
              <Text className='dj-t-summary__num'>{d.counts.open}</Text>
              <Text className='dj-t-summary__label'>办理中</Text>
            </View>
          </View>
          {d.transfers.length === 0 ? (
            <EmptyState title='没有待您办理的转接' description='党员提交申请或需要登记回执时，会出现在这里。' />
          ) : (
            d.transfers.map((t) => {
              const step = nextForwardStep(t.kind, t.state)
              return (
                <TransferRow
                  key={t.id}
                  t={t}
                  extra={
                    step ? (
                      <StepButtons
                        t={t}
                        actions={step.action === 'review' || step.action === 'approve' ? [step.action, 'reject'] : [step.action]}
                        onDone={() => void list.reload()}
                      />
                    ) : null
                  }
                />
              )
            })
          )}
        </View>
      )}
    </AsyncContent>
  )
}

const STATE_FILTERS: { label: string; state?: TransferState }[] = [
  { label: '全部' },
  { label: '待支部审核', state: 'pending_branch' },
  { label: '待党委审批', state: 'pending_committee' },
  { label: '待回执', state: 'letter_issued' },
  { label: '待报到', state: 'awaiting_report' },
  { label: '已完成', state: 'completed' },
  { label: '未通过', state: 'rejected' },
]

function Ledger({ me }: { me: MeResponse }) {
  const thisYear = new Date().getFullYear()
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
            options={['全部', 'out', 'in', 'internal'] as const}
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
              共 {d.transfers.length} 条，逾期的排在最前
            </Text>
            {d.transfers.map((t) => (
              <TransferRow key={t.id} t={t} />
            ))}
          </>
        )}
      </AsyncContent>
    </View>
  )
}

function Mine({ me }: { me: MeResponse }) {
  const list = useApi(() => api(listTransfers, { query: { view: 'mine' } }), [])
  useReloadOnShow(list.reload)
  const open = list.data?.transfers.some((t) => !['completed', 'rejected', 'withdrawn'].includes(t.state)) ?? false
  return (
    <View data-testid='transfer-mine'>
      {me.member ? (
        <Card title='申请转接组织关系' accent>
          <Text className='dj-t-note'>
            外出工作、上学或搬家，需要把组织关系转到新的地方，请在这里申请。支部审核、党委审批后开具介绍信。
          </Text>
          {open ? (
            <Text className='dj-t-note' style={{ color: '#c8161d', marginTop: '12px' }}>
              您有一项转接正在办理，办结或撤回后才能再次申请。
            </Text>
          ) : (
            <View className='dj-t-actions'>
              <Button type='primary' size='large' onClick={() => void Taro.navigateTo({ url: `${TRANSFER_ROUTES.apply}?kind=out` })} data-testid='apply-out'>
                转出到外地
              </Button>
              <Button size='large' onClick={() => void Taro.navigateTo({ url: `${TRANSFER_ROUTES.apply}?kind=internal` })} data-testid='apply-internal'>
                镇内换支部
              </Button>
            </View>
          )}
        </Card>
      ) : null}
      <AsyncContent
        state={list}
        isEmpty={(d) => d.transfers.length === 0}
        empty={<EmptyState title='您还没有转接申请' description='提交申请后，可以在这里查看办理进度。' />}
      >
        {(d) => (
          <>
            {d.transfers.map((t) => (
              <TransferRow key={t.id} t={t} />
            ))}
          </>
        )}
      </AsyncContent>
    </View>
  )
}

function Hub({ me }: { me: MeResponse }) {
  const officer = isOfficer(me.account.role)
  const [tab, setTab] = useState<Tab>(officer ? 'inbox' : 'mine')
  if (!officer) return <Mine me={me} />
  const tabs: { key: Tab; label: string }[] = [
    { key: 'inbox', label: '待我办理' },
    { key: 'ledger', label: '转接台账' },
    { key: 'mine', label: '我的申请' },
  ]
  return (
    <View>
      <View className='dj-t-tabs' role='tablist'>
        {tabs.map((t) => (
          <View key={t.key} className={`dj-t-tab ${tab === t.key ? 'dj-t-tab--on' : ''}`} role='tab' aria-selected={tab === t.key} onClick={() => setTab(t.key)} data-testid={`tab-${t.key}`}>
            <Text>{t.label}</Text>
          </View>
        ))}
      </View>
      {tab === 'inbox' ? (
        <>
          <View className='dj-t-register-in'>
            <Button size='large' block onClick={() => void Taro.navigateTo({ url: TRANSFER_ROUTES.registerIn })} data-testid='open-register-in'>
              登记转入（收到外地介绍信）
            </Button>
          </View>
          <Inbox />
        </>
      ) : tab === 'ledger' ? (
        <Ledger me={me} />
      ) : (
        <Mine me={me} />
      )}
    </View>
  )
}

export default function TransfersPage() {
  return (
    <PageShell>
      <SessionGate>
        {(me) => (
          <RequireMember me={me}>
            <Hub me={me} />
          </RequireMember>
        )}
      </SessionGate>
    </PageShell>
  )
}
