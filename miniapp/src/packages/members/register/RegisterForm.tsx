import { View, Text, Input } from '@tarojs/components'
import { useMemo, useRef, useState } from 'react'
import { memberCategories, genders, FULL_MEMBER, GENDER_LABELS, MEMBER_CATEGORY_LABELS, PROBATIONARY_MEMBER } from '@shared/common'
import { MEMBER_FIELD_LABELS, organizations as organizationsEndpoint, PROBATION_OVERDUE_MONTHS, type MemberFieldKey, type MemberRecordInput } from '@shared/members'
import { submitRegistration, type ApplicantRegistration as Registration } from '@shared/registrations'
import { api, ApiError, errorMessage, newIdempotencyKey, useApi } from '@/api'
import { Card } from '@/components/Card'
import { Button } from '@/ui/nutui'
import { Chips, DateInput, Field, dateValue, earliestConfirmationHint, fieldErrorsFrom } from '@/components/form/FormParts'
import { requireWechatPrivacy } from '@/privacy/wechat'
import { toInput, validate, type Draft } from './draft'

/** The form itself: checks each field as it is left (the shared member rules), then once more on submit. */
export function RegisterForm({ initial, onSubmitted, onConsentRequired }: { initial: Draft; onSubmitted: (r: Registration) => void; onConsentRequired: () => void }) {
  const [draft, setDraft] = useState<Draft>(initial)
  const [touched, setTouched] = useState<Partial<Record<MemberFieldKey, boolean>>>({})
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({})
  const [submitting, setSubmitting] = useState(false)
  const [formError, setFormError] = useState<string | null>(null)
  // One key per filled-in form: a retry after a lost answer is not a second registration.
  const idempotencyKey = useRef(newIdempotencyKey())
  const orgs = useApi(() => api(organizationsEndpoint), [])
  const branches = useMemo(() => (orgs.data?.organizations ?? []).filter((o) => o.kind === 'branch'), [orgs.data])
  // Dates count as they will be sent (2026年11月30日 is 2026-11-30), so an error goes the moment the field is right.
  const settled = useMemo(() => ({ ...draft, birthDate: dateValue(draft.birthDate), joinedAt: dateValue(draft.joinedAt), confirmedAt: dateValue(draft.confirmedAt) }), [draft])
  const errors = validate(settled)
  const [attempted, setAttempted] = useState(false)
  const remaining = Object.keys(errors).length
  const shown = (field: MemberFieldKey) => (touched[field] ? (errors[field] ?? serverErrors[field] ?? null) : null)

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }))
    setServerErrors((e) => ({ ...e, [key]: '' }))
    idempotencyKey.current = newIdempotencyKey()
  }
  const touch = (field: MemberFieldKey) => setTouched((t) => ({ ...t, [field]: true }))

  const submit = async () => {
    setFormError(null)
    const all = Object.fromEntries(Object.keys(MEMBER_FIELD_LABELS).map((k) => [k, true]))
    setTouched(all)
    setAttempted(true)
    if (remaining > 0) return
    setSubmitting(true)
    try {
      // WeChat's own privacy authorization before the ID number leaves the phone (resolves at once in H5).
      await requireWechatPrivacy()
      const body = toInput(settled) as MemberRecordInput
      const registration = await api(submitRegistration, { body, idempotencyKey: idempotencyKey.current })
      onSubmitted(registration)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'validation_failed') setServerErrors(fieldErrorsFrom(e.details))
      // Withdrawn on another device, or the guide changed since the page opened: ask again (the draft stays).
      if (e instanceof ApiError && e.code === 'consent_required') return onConsentRequired()
      setFormError(errorMessage(e))
    } finally {
      setSubmitting(false)
    }
  }

  const text = (field: 'name' | 'ethnicity' | 'idNumber' | 'phone', props: { placeholder: string; type?: 'text' | 'number' | 'idcard'; maxlength?: number }) => (
    <Input
      className={`dj-m-input ${shown(field) ? 'dj-m-input--error' : ''}`}
      value={draft[field]}
      placeholder={props.placeholder}
      type={props.type ?? 'text'}
      maxlength={props.maxlength ?? 40}
      onInput={(e) => set(field, e.detail.value)}
      onBlur={() => touch(field)}
    />
  )
  const date = (field: 'birthDate' | 'joinedAt' | 'confirmedAt', placeholder?: string) => (
    <DateInput className='dj-m-input' invalid={!!shown(field)} value={draft[field]} placeholder={placeholder} onChange={(v) => set(field, v)} onBlur={() => touch(field)} />
  )

  return (
    <View data-testid='register-form'>
      <Card title='党员信息登记' accent>
        <Text className='dj-m-note'>请如实填写，提交后由所在支部书记核对。身份证号加密保存，页面上只显示前4位和最后1位。</Text>
      </Card>
      <Card>
        <Field label='姓名' required error={shown('name')} testId='f-name'>
          {text('name', { placeholder: '与身份证一致' })}
        </Field>
        <Field label='身份证号' required error={shown('idNumber')} hint='18位，最后一位可以是X' testId='f-idNumber'>
          {text('idNumber', { placeholder: '请输入18位身份证号', type: 'idcard', maxlength: 18 })}
        </Field>
        <Field label='性别' required error={shown('gender')} testId='f-gender'>
          <Chips options={genders} value={draft.gender as (typeof genders)[number]} label={(g) => GENDER_LABELS[g]} onChange={(v) => (set('gender', v), touch('gender'))} />
        </Field>
        <Field label='出生日期' required error={shown('birthDate')} hint='如 1985-03-01' testId='f-birthDate'>
          {date('birthDate', '如 1985-03-01 或 1985年3月1日')}
        </Field>
        <Field label='民族' required error={shown('ethnicity')} testId='f-ethnicity'>
          {text('ethnicity', { placeholder: '如 汉族', maxlength: 20 })}
        </Field>
        <Field label='手机号码' required error={shown('phone')} testId='f-phone'>
          {text('phone', { placeholder: '11位手机号码', type: 'number', maxlength: 11 })}
        </Field>
      </Card>
      <Card>
        <Field label='所在支部' required error={touched.organizationId ? (errors.organizationId ?? null) : null} testId='f-organizationId'>
          {orgs.error ? (
            <Text className='dj-m-error'>{orgs.error}</Text>
          ) : (
            <Chips
              options={branches.map((b) => b.id)}
              value={draft.organizationId}
              label={(id) => branches.find((b) => b.id === id)?.name ?? ''}
              onChange={(v) => (set('organizationId', v), touch('organizationId'))}
            />
          )}
        </Field>
        <Field label='人员类别' required error={shown('category')} testId='f-category'>
          <Chips
            options={memberCategories}
            value={draft.category as (typeof memberCategories)[number]}
            label={(c) => MEMBER_CATEGORY_LABELS[c]}
            onChange={(v) => (set('category', v), touch('category'))}
          />
        </Field>
        <Field label='入党日期' required error={shown('joinedAt')} hint='支部大会接收您为预备党员的日期' testId='f-joinedAt'>
          {date('joinedAt')}
        </Field>
        {draft.category !== PROBATIONARY_MEMBER ? (
          <Field label='转正日期' required={draft.category === FULL_MEMBER} error={shown('confirmedAt')} hint={earliestConfirmationHint(draft.joinedAt) ?? '正式党员填写；预备党员不填'} testId='f-confirmedAt'>
            {date('confirmedAt')}
          </Field>
        ) : (
          <Text className='dj-form-field__hint'>预备期为一年，转正日期是预备期届满之日，不能更早。预备期满{PROBATION_OVERDUE_MONTHS}个月以上仍未转正的，支部会重点核对。</Text>
        )}
      </Card>
      {attempted && remaining > 0 ? (
        <Text className='dj-m-error' data-testid='form-error' style={{ margin: '0 8px 16px' }}>
          还有 {remaining} 项需要修改，请查看红色提示
        </Text>
      ) : formError ? (
        <Text className='dj-m-error' data-testid='form-error' style={{ margin: '0 8px 16px' }}>
          {formError}
        </Text>
      ) : null}
      <Button type='primary' size='large' block loading={submitting} disabled={submitting} onClick={() => void submit()} data-testid='submit-registration'>
        {submitting ? '正在提交…' : '提交登记'}
      </Button>
    </View>
  )
}
