/**
 * 组织关系转接. Members see their own applications and can apply; secretaries
 * and staff land on 待我办理 (with counts) and can open the ledger, filter it
 * and (staff) export the year's 台账.
 */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { listTransfers, nextForwardStep } from '@shared/transfers'
import { api, useApi } from '@/api'
import { isOfficer } from '@/auth/session'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { TRANSFER_ROUTES } from '../shared/routes'
import { StepButtons } from '../shared/steps'
import { TransferRow } from '../shared/ui'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { Ledger } from './Ledger'
import '../shared/transfers.scss'

type Tab = 'inbox' | 'ledger' | 'mine'


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
                转出到县外
              </Button>
              <Button size='large' onClick={() => void Taro.navigateTo({ url: `${TRANSFER_ROUTES.apply}?kind=internal` })} data-testid='apply-internal'>
                镇内换支部
              </Button>
              <Button size='large' onClick={() => void Taro.navigateTo({ url: `${TRANSFER_ROUTES.apply}?kind=cross_township` })} data-testid='apply-cross-township'>
                转到县内其他乡镇
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
    <SignedInPage gate='member'>
      {(me) => <Hub me={me} />}
    </SignedInPage>
  )
}
