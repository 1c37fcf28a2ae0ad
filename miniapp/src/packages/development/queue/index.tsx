/** 镇党委待办: 预审, 审批 and 转正审批 waiting for the township, and the year's 发展 target with its progress. */
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { developmentQueue, setDevelopmentTarget } from '@shared/development'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { Field } from '@/components/form/FormParts'
import { SaveRow, useSave } from '@/components/form/SaveRow'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState, ErrorState } from '@/components/StateViews'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { developmentDetailUrl } from '../shared/routes'
import '../shared/development.scss'
import '@/components/form/FormBoxes.scss'

function TargetEditor({ year, current, onSaved }: { year: number; current: number | null; onSaved: () => void }) {
  const [value, setValue] = useState(current == null ? '' : String(current))
  const saver = useSave()
  async function save() {
    if (!/^\d{1,4}$/.test(value.trim())) return saver.setError('请填写0到9999之间的整数')
    await saver.run(() => api(setDevelopmentTarget, { params: { year }, body: { target: Number(value.trim()) } }), '目标已保存', onSaved)
  }
  return (
    <View>
      <Field label={`${year}年发展党员目标（人）`}>
        <Input className='dj-form__input' type='number' maxlength={4} value={value} onInput={(e) => setValue(e.detail.value)} data-testid='target-input' />
      </Field>
      <SaveRow state={saver} onSave={save} label='保存目标' testId='target-save' />
    </View>
  )
}

function Queue({ me }: { me: MeResponse }) {
  const queue = useApi(() => api(developmentQueue, { query: {} }), [])
  useReloadOnShow(queue.reload)
  if (me.account.role !== 'staff') return <ErrorState message='镇党委待办仅限党委工作人员' />
  return (
    <AsyncContent state={queue} loadingText='正在加载待办…'>
      {(d) => (
        <View>
          <Card title={`${d.progress.year}年度发展目标`} accent testId='target-progress'>
            <Text className='dj-dev__name' data-testid='target-progress-text'>
              已接收预备党员 {d.progress.admitted} 人{d.progress.target == null ? '（尚未设定目标）' : ` / 目标 ${d.progress.target} 人`}
            </Text>
            <TargetEditor year={d.progress.year} current={d.progress.target} onSaved={() => void queue.reload()} />
          </Card>
          <Card title='待镇党委办理' testId='township-queue'>
            {d.items.length === 0 ? (
              <EmptyState title='目前没有待办' />
            ) : (
              d.items.map((item) => (
                <View key={item.id} className='dj-dev__person' data-testid='queue-item' onClick={() => void Taro.navigateTo({ url: developmentDetailUrl(item.id) })}>
                  <Text className='dj-dev__name'>
                    {item.name}（{item.organizationName}）
                  </Text>
                  {item.next ? (
                    <Text className={item.next.overdue ? 'dj-dev__warn' : 'dj-dev__line'}>
                      {item.next.label}：{item.next.earliest} 起{item.next.latest ? `，${item.next.latest} 前` : ''}
                    </Text>
                  ) : null}
                </View>
              ))
            )}
          </Card>
        </View>
      )}
    </AsyncContent>
  )
}

export default function DevelopmentQueuePage() {
  return <SignedInPage gate='officer'>{(me) => <Queue me={me} />}</SignedInPage>
}
