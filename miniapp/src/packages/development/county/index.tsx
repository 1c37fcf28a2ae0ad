/** 全县发展党员: the county's yearly target, and each township's target and 预备党员 admitted, in the townships' fixed order. */
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { countyDevelopment, setCountyDevelopmentTarget } from '@shared/development'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { Field } from '@/components/form/FormParts'
import { SaveRow, useSave } from '@/components/form/SaveRow'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState, ErrorState } from '@/components/StateViews'
import '../shared/development.scss'
import '../../settings/shared/settings.scss'

const progressText = (admitted: number, target: number | null) => `已接收预备党员 ${admitted} 人${target == null ? '（未设目标）' : ` / 目标 ${target} 人`}`

function CountyTarget({ year, current, onSaved }: { year: number; current: number | null; onSaved: () => void }) {
  const [value, setValue] = useState(current == null ? '' : String(current))
  const saver = useSave()
  async function save() {
    if (!/^\d{1,4}$/.test(value.trim())) return saver.setError('请填写0到9999之间的整数')
    await saver.run((idempotencyKey) => api(setCountyDevelopmentTarget, { params: { year }, body: { target: Number(value.trim()) }, idempotencyKey }), '目标已保存', onSaved)
  }
  return (
    <View>
      <Field label={`${year}年全县发展党员目标（人）`}>
        <Input className='dj-settings__input' type='number' maxlength={4} value={value} onInput={(e) => setValue(e.detail.value)} data-testid='county-target-input' />
      </Field>
      <SaveRow state={saver} onSave={save} label='保存全县目标' primary errorTestId='form-error' />
    </View>
  )
}

function CountyDevelopment({ me }: { me: MeResponse }) {
  const state = useApi(() => api(countyDevelopment, { query: {} }), [])
  if (me.account.role !== 'county') return <ErrorState message='全县发展党员目标仅限县委组织部' />
  return (
    <AsyncContent state={state} loadingText='正在加载全县进度…'>
      {(d) => (
        <View data-testid='county-development'>
          <Card title={`${d.year}年全县`} accent testId='county-progress'>
            <Text className='dj-settings__now'>{progressText(d.county.admitted, d.county.target)}</Text>
            <CountyTarget year={d.year} current={d.county.target} onSaved={() => void state.reload()} />
          </Card>
          <Card title='各乡镇（按乡镇顺序）'>
            {d.townships.length === 0 ? <EmptyState title='还没有乡镇' /> : null}
            {d.townships.map((t) => (
              <View key={t.organizationId} className='dj-settings__row' data-testid='township-progress'>
                <Text>{t.name}</Text>
                <Text>{progressText(t.admitted, t.target)}</Text>
              </View>
            ))}
          </Card>
        </View>
      )}
    </AsyncContent>
  )
}

export default function CountyDevelopmentPage() {
  return <SignedInPage gate='officer'>{(me) => <CountyDevelopment me={me} />}</SignedInPage>
}
