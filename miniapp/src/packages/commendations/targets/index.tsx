import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { CATEGORY_UNITS, commendationCategories, createCampaign, getTargets, listCampaigns, putTargets, type CommendationCategory, type TargetProgress, COMMENDATION_CATEGORY_LABELS } from '@shared/commendations'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { Field } from '@/components/form/FormParts'
import { SaveRow, useSave } from '@/components/form/SaveRow'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState, ErrorState } from '@/components/StateViews'
import { formatDateCn } from '@/utils/format'
import { ProgressList } from '../shared/ProgressList'
import '../shared/commendations.scss'
import '@/components/form/FormBoxes.scss'

type Numbers = Record<CommendationCategory, string>

const toNumbers = (targets: readonly TargetProgress[]): Numbers =>
  Object.fromEntries(commendationCategories.map((c) => [c, String(targets.find((t) => t.category === c)?.target ?? '')])) as Numbers

/** Whole numbers only; an empty box leaves that category without a target. */
function parseTargets(values: Numbers): { category: CommendationCategory; target: number }[] | string {
  const out: { category: CommendationCategory; target: number }[] = []
  for (const c of commendationCategories) {
    const raw = values[c].trim()
    if (raw === '') continue
    if (!/^\d{1,4}$/.test(raw)) return `“${COMMENDATION_CATEGORY_LABELS[c]}”的目标请填写0到9999之间的整数`
    out.push({ category: c, target: Number(raw) })
  }
  return out.length ? out : '请至少填写一项目标'
}

function TargetsEditor({ year, initial, onSaved }: { year: number; initial: readonly TargetProgress[]; onSaved: (t: TargetProgress[]) => void }) {
  const [values, setValues] = useState<Numbers>(() => toNumbers(initial))
  const saver = useSave()
  async function save() {
    const parsed = parseTargets(values)
    if (typeof parsed === 'string') return saver.setError(parsed)
    await saver.run(() => api(putTargets, { query: { year }, body: { targets: parsed } }), '目标已保存', (res) => onSaved(res.targets))
  }
  return (
    <View data-testid='targets-editor'>
      {commendationCategories.map((c) => (
        <Field key={c} label={`${COMMENDATION_CATEGORY_LABELS[c]}（${CATEGORY_UNITS[c]}）`}>
          <Input
            className='dj-form__input'
            type='number'
            maxlength={4}
            placeholder='不设目标可留空'
            value={values[c]}
            onInput={(e) => setValues((v) => ({ ...v, [c]: e.detail.value }))}
            data-testid='target-input'
          />
        </Field>
      ))}
      <SaveRow state={saver} onSave={save} label={`保存${year}年度目标`} primary />
    </View>
  )
}

function CampaignCreator({ year, onCreated }: { year: number; onCreated: () => void }) {
  const [name, setName] = useState(`${year}年七一表彰`)
  const [quotas, setQuotas] = useState<Numbers>(() => Object.fromEntries(commendationCategories.map((c) => [c, ''])) as Numbers)
  const saver = useSave()
  async function create() {
    const parsedQuotas: Partial<Record<CommendationCategory, number>> = {}
    for (const c of commendationCategories) {
      const raw = quotas[c].trim()
      if (raw === '') continue
      if (!/^\d{1,3}$/.test(raw)) return saver.setError(`“${COMMENDATION_CATEGORY_LABELS[c]}”名额请填写整数`)
      parsedQuotas[c] = Number(raw)
    }
    await saver.run((idempotencyKey) => api(createCampaign, { idempotencyKey, body: { name: name.trim(), year, quotas: parsedQuotas } }), '活动已创建', onCreated)
  }
  return (
    <View>
      <Field label='活动名称'>
        <Input className='dj-form__input' maxlength={40} value={name} onInput={(e) => setName(e.detail.value)} />
      </Field>
      {commendationCategories.map((c) => (
        <Field key={c} label={`${COMMENDATION_CATEGORY_LABELS[c]}名额`}>
          <Input className='dj-form__input' type='number' maxlength={3} placeholder='不限名额可留空' value={quotas[c]} onInput={(e) => setQuotas((q) => ({ ...q, [c]: e.detail.value }))} />
        </Field>
      ))}
      <SaveRow state={saver} onSave={create} label='新建表彰活动' />
    </View>
  )
}

function TargetsPage({ me }: { me: MeResponse }) {
  const targets = useApi(() => api(getTargets), [])
  const year = targets.data?.year
  const campaigns = useApi(() => (year ? api(listCampaigns, { query: { year } }) : Promise.resolve({ campaigns: [] })), [year])
  const [saved, setSaved] = useState<TargetProgress[] | null>(null)
  if (me.account.role !== 'staff') return <ErrorState message='设置表彰目标仅限党委工作人员' />
  return (
    <AsyncContent state={targets} loadingText='正在加载年度目标…'>
      {(data) => (
        <View>
          <Card title={`${data.year}年度完成进度`} accent testId='targets-progress'>
            <ProgressList targets={saved ?? data.targets} />
          </Card>
          <Card title='设置年度目标' testId='targets-form'>
            <TargetsEditor year={data.year} initial={data.targets} onSaved={setSaved} />
          </Card>
          <Card title={`${data.year}年度表彰活动`}>
            <AsyncContent state={campaigns} isEmpty={(d) => d.campaigns.length === 0} empty={<EmptyState title='本年度还没有表彰活动' />}>
              {(d) => (
                <View>
                  {d.campaigns.map((c) => (
                    <View key={c.id} className='dj-progress'>
                      <Text className='dj-form__label'>{c.name}</Text>
                      {c.heldOn ? <Text className='dj-form__hint'>表彰日期：{formatDateCn(c.heldOn)}</Text> : null}
                      {commendationCategories.map((cat) => (
                        <Text key={cat} className='dj-form__hint'>
                          {COMMENDATION_CATEGORY_LABELS[cat]}：已用{c.used[cat] ?? 0}
                          {c.quotas[cat] == null ? '（不限名额）' : ` / 名额${c.quotas[cat]}`}
                        </Text>
                      ))}
                    </View>
                  ))}
                </View>
              )}
            </AsyncContent>
          </Card>
          <Card title='新建表彰活动'>
            <CampaignCreator year={data.year} onCreated={() => void campaigns.reload()} />
          </Card>
        </View>
      )}
    </AsyncContent>
  )
}

export default function CommendationTargetsPage() {
  return (
    <SignedInPage>
      {(me) => <TargetsPage me={me} />}
    </SignedInPage>
  )
}
