/**
 * 党员信息登记: a signed-in WeChat user with no member record fills the form;
 * the branch secretary verifies it. The page shows, in order of what matters to
 * the applicant: their status (待审核 / 未通过 with the reason / 已通过), or the form.
 */
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useMemo, useRef, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { shanghaiDate } from '@shared/calendar'
import { memberCategories, genders } from '@shared/common'
import {
  checkMemberRecord,
  MEMBER_FIELD_LABELS,
  organizations as organizationsEndpoint,
  PROBATION_OVERDUE_MONTHS,
  type MemberFieldKey,
  type MemberRecordInput,
} from '@shared/members'
import { myRegistration, submitRegistration, type ApplicantRegistration as Registration } from '@shared/registrations'
import { api, ApiError, errorMessage, newIdempotencyKey, useApi } from '@/api'
import { refreshMe } from '@/auth/session'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { PageShell } from '@/components/PageShell'
import { SessionGate } from '@/components/SessionGate'
import { TAB_ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import { formatDateCn } from '@/utils/format'
import { Chips, Field, KeyValue, earliestConfirmationHint, fieldErrorsFrom, normalizeDateInput } from '@/components/form/FormParts'
import '../shared/members.scss'

interface Draft {
  name: string
  gender: string
  ethnicity: string
  birthDate: string
  idNumber: string
  phone: string
  organizationId: number | null
  category: string
  joinedAt: string
  confirmedAt: string
}

const EMPTY: Draft = {
  name: '',
  gender: '',
  ethnicity: '汉族',
  birthDate: '',
  idNumber: '',
  phone: '',
  organizationId: null,
  category: '',
  joinedAt: '',
  confirmedAt: '',
}

const today = () => shanghaiDate(new Date())

function toInput(d: Draft): Record<string, unknown> {
  return {
    ...d,
    organizationId: d.organizationId ?? 0,
    confirmedAt: d.category === '预备党员' ? null : d.confirmedAt || null,
  }
}

function validate(d: Draft): Partial<Record<MemberFieldKey, string>> {
  const result = checkMemberRecord(toInput(d), today())
  const errors: Partial<Record<MemberFieldKey, string>> = {}
  for (const issue of result.issues) {
    const field = issue.path[0] as MemberFieldKey
    if (!errors[field]) errors[field] = field === 'organizationId' ? '请选择所在支部' : issue.message
  }
  return errors
}

function StatusCard({ registration, onEdit, onRefresh }: { registration: Registration; onEdit: () => void; onRefresh: () => void }) {
  const r = registration
  return (
    <Card accent testId='registration-status'>
      <View className='dj-m-status'>
        <Text className={`dj-m-status__badge dj-m-status__badge--${r.status}`} data-testid='registration-status-badge'>
          {r.status === 'pending' ? '待审核' : r.status === 'rejected' ? '未通过' : '已通过'}
        </Text>
      </View>
      {r.status === 'pending' ? (
        <Text className='dj-m-note'>
          您的登记已提交，正在等待支部审核（您选择的是「{r.organizationName}」；如花名册中另有记载，由保管档案的支部核对）。审核通过后即可使用党员功能，请耐心等候。
        </Text>
      ) : null}
      {r.status === 'approved' ? <Text className='dj-m-note'>您的登记已通过审核，欢迎使用。</Text> : null}
      {r.status === 'rejected' ? (
        <>
          <Text className='dj-m-note'>您的登记未通过审核，原因如下：</Text>
          <Text className='dj-m-note' data-testid='reject-reason' style={{ color: '#c8161d', fontSize: '32px', margin: '12px 0' }}>
            {r.rejectReason}
          </Text>
          <Text className='dj-m-note'>请核对后修改信息，重新提交。</Text>
        </>
      ) : null}
      <View style={{ marginTop: '20px' }}>
        <KeyValue label='姓名' value={r.name} />
        <KeyValue label='身份证号' value={r.idNumberMasked} />
        <KeyValue label='所在支部' value={r.organizationName} />
        <KeyValue label='人员类别' value={r.category} />
        <KeyValue label='入党日期' value={formatDateCn(r.joinedAt)} />
        <KeyValue label='提交时间' value={formatDateCn(r.submittedAt.slice(0, 10))} />
      </View>
      <View className='dj-m-actions'>
        {r.status === 'rejected' ? (
          <Button type='primary' size='large' onClick={onEdit} data-testid='edit-again'>
            修改后重新提交
          </Button>
        ) : (
          <Button type={r.status === 'approved' ? 'primary' : 'default'} size='large' onClick={onRefresh} data-testid='refresh-status'>
            {r.status === 'approved' ? '进入党员功能' : '刷新审核结果'}
          </Button>
        )}
      </View>
    </Card>
  )
}

function RegisterForm({ initial, onSubmitted }: { initial: Draft; onSubmitted: (r: Registration) => void }) {
  const [draft, setDraft] = useState<Draft>(initial)
  const [touched, setTouched] = useState<Partial<Record<MemberFieldKey, boolean>>>({})
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({})
  const [submitting, setSubmitting] = useState(false)
  const [formError, setFormError] = useState<string | null>(null)
  // One key per filled-in form: a retry after a lost answer is not a second registration.
  const idempotencyKey = useRef(newIdempotencyKey())
  const orgs = useApi(() => api(organizationsEndpoint), [])
  const branches = useMemo(() => (orgs.data?.organizations ?? []).filter((o) => o.kind === 'branch'), [orgs.data])
  const errors = validate(draft)
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
    if (Object.keys(errors).length > 0) {
      setFormError(`还有 ${Object.keys(errors).length} 项需要修改，请查看红色提示`)
      return
    }
    setSubmitting(true)
    try {
      const body = toInput(draft) as MemberRecordInput
      const registration = await api(submitRegistration, { body, idempotencyKey: idempotencyKey.current })
      onSubmitted(registration)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'validation_failed') setServerErrors(fieldErrorsFrom(e.details))
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
  const date = (field: 'birthDate' | 'joinedAt' | 'confirmedAt', placeholder: string) => (
    <Input
      className={`dj-m-input ${shown(field) ? 'dj-m-input--error' : ''}`}
      value={draft[field]}
      placeholder={placeholder}
      maxlength={12}
      onInput={(e) => set(field, e.detail.value)}
      onBlur={() => {
        set(field, normalizeDateInput(draft[field]))
        touch(field)
      }}
    />
  )

  return (
    <View data-testid='register-form'>
      <Card title='党员信息登记' accent>
        <Text className='dj-m-note'>请如实填写，提交后由所在支部书记核对。身份证号加密保存，只显示前4位和后4位。</Text>
      </Card>
      <Card>
        <Field label='姓名' required error={shown('name')} testId='f-name'>
          {text('name', { placeholder: '与身份证一致' })}
        </Field>
        <Field label='身份证号' required error={shown('idNumber')} hint='18位，最后一位可以是X' testId='f-idNumber'>
          {text('idNumber', { placeholder: '请输入18位身份证号', type: 'idcard', maxlength: 18 })}
        </Field>
        <Field label='性别' required error={shown('gender')} testId='f-gender'>
          <Chips options={genders} value={draft.gender as (typeof genders)[number]} onChange={(v) => (set('gender', v), touch('gender'))} />
        </Field>
        <Field label='出生日期' required error={shown('birthDate')} hint='如 1985-03-01' testId='f-birthDate'>
          {date('birthDate', '年-月-日，如 1985-03-01')}
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
            onChange={(v) => (set('category', v), touch('category'))}
          />
        </Field>
        <Field label='入党日期' required error={shown('joinedAt')} hint='支部大会接收您为预备党员的日期' testId='f-joinedAt'>
          {date('joinedAt', '年-月-日')}
        </Field>
        {draft.category !== '预备党员' ? (
          <Field label='转正日期' required={draft.category === '正式党员'} error={shown('confirmedAt')} hint={earliestConfirmationHint(draft.joinedAt) ?? '正式党员填写；预备党员不填'} testId='f-confirmedAt'>
            {date('confirmedAt', '年-月-日')}
          </Field>
        ) : (
          <Text className='dj-form-field__hint'>预备期为一年，转正日期是预备期届满之日，不能更早。预备期满{PROBATION_OVERDUE_MONTHS}个月以上仍未转正的，支部会重点核对。</Text>
        )}
      </Card>
      {formError ? (
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

function draftFrom(r: Registration): Draft {
  // The ID number is never sent back whole: the applicant types it again.
  return {
    name: r.name,
    gender: r.gender,
    ethnicity: r.ethnicity,
    birthDate: r.birthDate,
    idNumber: '',
    phone: '',
    organizationId: r.organizationId,
    category: r.category,
    joinedAt: r.joinedAt,
    confirmedAt: r.confirmedAt ?? '',
  }
}

function Register({ me }: { me: MeResponse }) {
  const mine = useApi(() => api(myRegistration), [])
  const [editing, setEditing] = useState(false)

  if (me.member) {
    return (
      <Card title='您已是登记在册的党员' accent testId='already-member'>
        <Text className='dj-m-note'>
          {me.member.name}，您的党员档案在「{me.member.organizationName}」。如信息有误，请联系支部书记修改。
        </Text>
        <View className='dj-m-actions'>
          <Button type='primary' size='large' onClick={() => void Taro.switchTab({ url: TAB_ROUTES.me })} data-testid='go-profile'>
            查看我的档案
          </Button>
        </View>
      </Card>
    )
  }

  const refresh = async () => {
    try {
      const fresh = await refreshMe()
      // Approved: the page turns into the member card by itself (the shared account changed).
      if (fresh.member) return
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    }
    await mine.reload()
  }

  return (
    <AsyncContent state={mine} loadingText='正在查询登记状态…'>
      {({ registration }) =>
        registration && !editing ? (
          <StatusCard registration={registration} onEdit={() => setEditing(true)} onRefresh={() => void refresh()} />
        ) : (
          <RegisterForm
            initial={registration?.status === 'rejected' ? draftFrom(registration) : EMPTY}
            onSubmitted={() => {
              setEditing(false)
              void Taro.showToast({ title: '已提交，等待审核', icon: 'success' })
              void mine.reload()
            }}
          />
        )
      }
    </AsyncContent>
  )
}

export default function RegisterPage() {
  return (
    <PageShell>
      <SessionGate>{(me) => <Register me={me} />}</SessionGate>
    </PageShell>
  )
}
