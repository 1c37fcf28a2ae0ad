/** 发展党员台账: the branch's (or the township's) people by stage, each with the next step's window and any warning. */
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { ON_BEHALF_CONSENT_TEXT } from '@shared/privacy'
import { createDevelopment, developmentStages, listDevelopment, STAGE_LABELS, type DevelopmentSummary } from '@shared/development'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { DateInput, Field, dateProblem, dateValue } from '@/components/form/FormParts'
import { SaveRow, useSave } from '@/components/form/SaveRow'
import { useLiveCheck } from '@/components/form/useLiveCheck'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { ROUTES } from '@/routes'
import { ConsentTick } from '@/components/privacy/ConsentForm'
import { Button } from '@/ui/nutui'
import { developmentDetailUrl } from '../shared/routes'
import '../shared/development.scss'
import '@/components/form/FormBoxes.scss'

function ApplicationForm({ organizationId, onCreated }: { organizationId: number; onCreated: (id: number) => void }) {
  const [v, setV] = useState({ name: '', idNumber: '', phone: '', applicationDate: '', evidence: '入党申请书' })
  // The secretary types the applicant's ID number: they confirm the applicant was told the guide and agreed.
  const [consented, setConsented] = useState(false)
  const check = useLiveCheck(
    {
      name: !v.name.trim() && '请填写姓名',
      idNumber: !v.idNumber.trim() && '请填写身份证号',
      phone: !v.phone.trim() && '请填写手机号',
      applicationDate: dateProblem(v.applicationDate, '递交申请书的日期'),
      consent: !consented && '请确认已向本人说明《隐私保护指引》，并征得本人同意',
    },
    [v, consented],
  )
  const saver = useSave({ fail: check.fail })
  const set = (k: keyof typeof v) => (e: { detail: { value: string } }) => setV((x) => ({ ...x, [k]: e.detail.value }))
  async function save() {
    if (!check.ready()) return
    const applicationDate = dateValue(v.applicationDate)
    const body = { organizationId, name: v.name.trim(), idNumber: v.idNumber.trim(), phone: v.phone.trim(), applicationDate, evidence: v.evidence.trim() || '入党申请书', memberConsent: true as const }
    await saver.run((idempotencyKey) => api(createDevelopment, { idempotencyKey, body }), '已登记', (created) => onCreated(created.id))
  }
  return (
    <View data-testid='application-form'>
      <Field label='姓名' required error={check.of('name')}>
        <Input className='dj-form__input' maxlength={20} value={v.name} onInput={set('name')} data-testid='app-name' />
      </Field>
      <Field label='身份证号' required hint='性别和出生日期由身份证号得出' error={check.of('idNumber')}>
        <Input className='dj-form__input' maxlength={18} value={v.idNumber} onInput={set('idNumber')} data-testid='app-id' />
      </Field>
      <Field label='手机号' required error={check.of('phone')}>
        <Input className='dj-form__input' type='number' maxlength={11} value={v.phone} onInput={set('phone')} data-testid='app-phone' />
      </Field>
      <Field label='递交申请书日期' required hint='如 2026-06-15 或 2026年6月15日' error={check.of('applicationDate')}>
        <DateInput className='dj-form__input' value={v.applicationDate} onChange={(applicationDate) => setV((x) => ({ ...x, applicationDate }))} invalid={!!check.of('applicationDate')} testId='app-date' />
      </Field>
      <ConsentTick on={consented} text={ON_BEHALF_CONSENT_TEXT} onToggle={() => setConsented((c) => !c)} testId='app-consent' />
      <SaveRow state={saver} onSave={save} label='登记入党申请' primary testId='app-save' error={check.of('consent') ?? check.summary} errorTestId='app-error' />
    </View>
  )
}

function Person({ item }: { item: DevelopmentSummary }) {
  return (
    <View className='dj-dev__person' data-testid='dev-person' onClick={() => void Taro.navigateTo({ url: developmentDetailUrl(item.id) })}>
      <Text className='dj-dev__name'>{item.name}</Text>
      <Text className='dj-dev__line'>{item.organizationName}</Text>
      {item.next ? (
        <Text className={item.next.overdue ? 'dj-dev__warn' : 'dj-dev__line'}>
          下一步：{item.next.label}，{item.next.earliest} 起{item.next.latest ? `，${item.next.latest} 前` : ''}
        </Text>
      ) : null}
      {item.warnings.map((w) => (
        <Text key={w} className='dj-dev__warn'>
          ⚠ {w}
        </Text>
      ))}
    </View>
  )
}

function Board({ me }: { me: MeResponse }) {
  const list = useApi(() => api(listDevelopment, { query: {} }), [])
  useReloadOnShow(list.reload)
  const [adding, setAdding] = useState(false)
  const role = me.account.role
  return (
    <View>
      {role === 'staff' ? (
        <Button size='large' block onClick={() => void Taro.navigateTo({ url: ROUTES.developmentQueue })} data-testid='open-queue'>
          镇党委待办与年度目标
        </Button>
      ) : null}
      {role === 'secretary' && me.account.organization ? (
        <Card title='登记入党申请'>
          {adding ? (
            <ApplicationForm organizationId={me.account.organization.id} onCreated={(id) => void Taro.navigateTo({ url: developmentDetailUrl(id) })} />
          ) : (
            <Button size='large' block onClick={() => setAdding(true)} data-testid='open-application'>
              新登记一名入党申请人
            </Button>
          )}
        </Card>
      ) : null}
      <AsyncContent state={list} loadingText='正在加载发展党员台账…' isEmpty={(d) => d.items.length === 0} empty={<EmptyState title='还没有发展党员记录' />}>
        {(d) => (
          <View data-testid='dev-board'>
            {developmentStages.map((stage) => {
              const people = d.items.filter((i) => i.stage === stage)
              if (people.length === 0) return null
              return (
                <Card key={stage} title={`${STAGE_LABELS[stage]}（${people.length}人）`} testId={`stage-${stage}`}>
                  {people.map((p) => (
                    <Person key={p.id} item={p} />
                  ))}
                </Card>
              )
            })}
          </View>
        )}
      </AsyncContent>
    </View>
  )
}

export default function DevelopmentBoardPage() {
  return <SignedInPage gate='officer'>{(me) => <Board me={me} />}</SignedInPage>
}
