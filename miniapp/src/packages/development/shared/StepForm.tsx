import { View, Text, Input, Textarea } from '@tarojs/components'
import { useMemo, useState } from 'react'
import { MEMBER_STATUS_LABELS, memberCategories, PROBATION_CANCELLED, type Role } from '@shared/common'
import { recordStep, type DevelopmentDetail, type RecordStepBody } from '@shared/development'
import { listMembers } from '@shared/members'
import { api, useApi } from '@/api'
import { Chips, DateInput, Field, dateProblem, dateValue } from '@/components/form/FormParts'
import { SaveRow, useSave } from '@/components/form/SaveRow'
import { useLiveCheck } from '@/components/form/useLiveCheck'
import { WindowLine } from './Windows'
import '@/components/form/FormBoxes.scss'

/** Full members of the record's branch, for the two 培养联系人. */
function ContactPicker({ organizationId, value, onChange }: { organizationId: number; value: number[]; onChange: (ids: number[]) => void }) {
  const list = useApi(() => api(listMembers, { query: { organizationId, category: memberCategories[0], pageSize: 100 } }), [organizationId])
  if (list.loading) return <Text className='dj-dev__line'>正在加载本支部党员…</Text>
  if (list.error) return <Text className='dj-dev__warn'>{list.error}</Text>
  const toggle = (id: number) => onChange(value.includes(id) ? value.filter((x) => x !== id) : [...value, id].slice(-2))
  return (
    <View className='dj-form-chips' data-testid='contact-picker'>
      {(list.data?.items ?? []).map((m) => (
        <View key={m.id} className={`dj-form-chip ${value.includes(m.id) ? 'dj-form-chip--on' : ''}`} onClick={() => toggle(m.id)} data-testid='contact-option'>
          <Text>{m.name}</Text>
        </View>
      ))}
    </View>
  )
}

const num = (s: string) => (s.trim() === '' ? undefined : Number(s))

/** Records the step the officer may take next (the secretary the branch's, staff the township's), in its window. */
export function StepForm({ record, role, onSaved }: { record: DevelopmentDetail; role: Role; onSaved: (d: DevelopmentDetail) => void }) {
  // The main-path step first (a review or an extension is offered beside it, not instead).
  const mine = useMemo(
    () =>
      record.open
        .filter((w) => (role === 'staff' ? w.actor === 'township' : role === 'secretary' && w.actor === 'branch'))
        .sort((a, b) => Number(b.step === record.next?.step) - Number(a.step === record.next?.step)),
    [record.open, record.next, role],
  )
  const [stepIndex, setStepIndex] = useState(0)
  const w = mine[Math.min(stepIndex, mine.length - 1)]
  const [date, setDate] = useState('')
  const [evidence, setEvidence] = useState('')
  const [contacts, setContacts] = useState<number[]>([])
  const [extra, setExtra] = useState({ trainingDays: '', trainingHours: '', present: '', inFavour: '', months: '' })
  const check = useLiveCheck(
    { date: dateProblem(date, `${w?.label ?? ''}日期`), evidence: !evidence.trim() && '请填写材料说明' },
    [stepIndex, date, evidence, contacts, extra],
  )
  const saver = useSave({ fail: check.fail })
  if (!w) return <Text className='dj-dev__line'>{role === 'staff' ? '目前没有需要镇党委办理的步骤' : '目前没有需要支部办理的步骤'}</Text>

  async function save() {
    if (!w) return
    if (!check.ready()) return
    const day = dateValue(date)
    const body: RecordStepBody = { step: w.step, date: day, evidence: evidence.trim(), version: record.version }
    if (w.step === 'activist') body.contactMemberIds = contacts
    if (w.step === 'training') Object.assign(body, { trainingDays: num(extra.trainingDays), trainingHours: num(extra.trainingHours) })
    if (w.step === 'branch_meeting') Object.assign(body, { present: num(extra.present), inFavour: num(extra.inFavour) })
    if (w.step === 'extension') body.months = num(extra.months)
    await saver.run((idempotencyKey) => api(recordStep, { params: { id: record.id }, idempotencyKey, body }), '已登记', (saved) => {
      setDate('')
      setEvidence('')
      onSaved(saved)
    })
  }
  const set = (k: keyof typeof extra) => (e: { detail: { value: string } }) => setExtra((x) => ({ ...x, [k]: e.detail.value }))
  return (
    <View data-testid='step-form'>
      {mine.length > 1 ? <Chips options={mine.map((_, i) => i)} value={stepIndex} onChange={setStepIndex} label={(i) => mine[i]?.label ?? ''} testId='step-choice' /> : null}
      <WindowLine w={w} testId='form-window' />
      <Field label={`${w.label}日期`} required hint='如 2026-06-15 或 2026年6月15日' error={check.of('date')}>
        <DateInput className='dj-form__input' value={date} placeholder={w.earliest} onChange={setDate} invalid={!!check.of('date')} testId='step-date' />
      </Field>
      {w.step === 'activist' ? (
        <Field label='培养联系人（选两名正式党员）' required>
          <ContactPicker organizationId={record.organizationId} value={contacts} onChange={setContacts} />
        </Field>
      ) : null}
      {w.step === 'training' ? (
        <>
          <Field label='培训天数' hint='不少于3天，或学时不少于24'>
            <Input className='dj-form__input' type='digit' value={extra.trainingDays} onInput={set('trainingDays')} data-testid='training-days' />
          </Field>
          <Field label='培训学时'>
            <Input className='dj-form__input' type='digit' value={extra.trainingHours} onInput={set('trainingHours')} />
          </Field>
        </>
      ) : null}
      {w.step === 'branch_meeting' ? (
        <>
          <Field label='到会有表决权的正式党员人数' required hint='应到人数按当天本支部正式党员计算'>
            <Input className='dj-form__input' type='number' value={extra.present} onInput={set('present')} data-testid='meeting-present' />
          </Field>
          <Field label='赞成人数' required>
            <Input className='dj-form__input' type='number' value={extra.inFavour} onInput={set('inFavour')} data-testid='meeting-in-favour' />
          </Field>
        </>
      ) : null}
      {w.step === 'extension' ? (
        <Field label='延长月数（6至12个月）' required>
          <Input className='dj-form__input' type='number' value={extra.months} onInput={set('months')} />
        </Field>
      ) : null}
      {w.step === 'cancellation' ? (
        // The one step that takes someone off the roster: say so before it is recorded.
        <Text className='dj-dev__warn' data-testid='step-cancel-note'>
          登记后，此人不再是党员：花名册中党籍状态改为“{MEMBER_STATUS_LABELS[PROBATION_CANCELLED]}”，不再计入在册党员和各项统计；档案和发展记录保留。
        </Text>
      ) : null}
      <Field label='材料说明' required hint='如：谈话记录、支委会会议记录' error={check.of('evidence')}>
        <Textarea className='dj-form__textarea' maxlength={500} value={evidence} onInput={(e) => setEvidence(e.detail.value)} data-testid='step-evidence' />
      </Field>
      <SaveRow state={saver} onSave={save} label={`登记“${w.label}”`} primary testId='step-save' error={check.summary} errorTestId='step-error' />
    </View>
  )
}
