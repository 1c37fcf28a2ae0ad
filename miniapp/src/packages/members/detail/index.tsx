/**
 * 党员详情. Officers and the member themselves see the full phone number; the ID
 * number stays masked, and only committee staff can reveal it (one at a time,
 * each reveal written to the audit log). Staff correct records here too.
 */
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { MEMBER_STATUS_LABELS, memberCategories, memberStatuses, type MemberCategory, type MemberStatus, FULL_MEMBER, GENDER_LABELS, MEMBER_CATEGORY_LABELS, PROBATIONARY_MEMBER } from '@shared/common'
import { getMember, revealIdNumber, updateMember, type MemberDetail } from '@shared/members'
import { api, ApiError, errorMessage, newIdempotencyKey, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { ErrorState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { formatDateCn, formatMonthCn, formatPartyStanding } from '@/utils/format'
import { Chips, DateInput, Field, KeyValue, dateProblem, dateValue, earliestConfirmationHint, fieldErrorsFrom } from '@/components/form/FormParts'
import { useLiveCheck } from '@/components/form/useLiveCheck'
import '../shared/members.scss'
import { MedalLine } from '@/components/honors/MedalLine'

function RevealId({ memberId, masked }: { memberId: number; masked: string }) {
  const [full, setFull] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const reveal = async () => {
    const ok = await Taro.showModal({
      title: '查看完整身份证号',
      content: '身份证号属于敏感个人信息，本次查看将记入审计日志。确定查看？',
      confirmText: '查看',
      confirmColor: '#C8161D',
    })
    if (!ok.confirm) return
    setBusy(true)
    try {
      setFull((await api(revealIdNumber, { params: { id: memberId } })).idNumber)
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='dj-form-kv'>
      <Text className='dj-form-kv__label'>身份证号</Text>
      <View style={{ textAlign: 'right' }}>
        <Text className='dj-form-kv__value' data-testid='detail-id'>
          {full ?? masked}
        </Text>
        {full ? null : (
          <Button size='small' loading={busy} onClick={() => void reveal()} data-testid='reveal-id' style={{ marginLeft: '16px' }}>
            查看完整
          </Button>
        )}
      </View>
    </View>
  )
}

interface EditDraft {
  phone: string
  category: MemberCategory
  confirmedAt: string
  /** 0: the 预备期 was not extended. */
  extensionMonths: number
  extendedOn: string
  status: MemberStatus
}

/** 不延长, or once by 6 to 12 months (《中国共产党章程》第七条). */
const EXTENSION_CHOICES = [0, 6, 7, 8, 9, 10, 11, 12] as const

function EditForm({ m, onSaved, onCancel }: { m: MemberDetail; onSaved: (m: MemberDetail) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<EditDraft>({
    phone: m.phone,
    category: m.category,
    confirmedAt: m.confirmedAt ?? '',
    extensionMonths: m.probationExtensionMonths ?? 0,
    extendedOn: m.probationExtendedOn ?? '',
    status: m.status,
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // A date that does not read as a day is said at once after 保存, and goes as it is put right; empty ones are the server's to judge.
  const typedDate = (text: string, what: string) => (text.trim() ? dateProblem(text, what) : null)
  const check = useLiveCheck({
    probationExtendedOn: draft.extensionMonths ? typedDate(draft.extendedOn, '延长决定日期') : null,
    confirmedAt: draft.category === FULL_MEMBER ? typedDate(draft.confirmedAt, '转正日期') : null,
  })
  const errorOf = (field: string) => check.of(field) ?? errors[field]
  /** An edit takes the red messages away (they described the values just replaced); 保存 checks again. */
  const change = (patch: Partial<EditDraft>) => {
    setDraft({ ...draft, ...patch })
    setErrors({})
    setFormError(null)
  }
  const save = async () => {
    if (!check.ready()) return
    setBusy(true)
    setFormError(null)
    try {
      const saved = await api(updateMember, {
        params: { id: m.id },
        body: {
          version: m.version,
          phone: draft.phone,
          category: draft.category,
          confirmedAt: draft.category === PROBATIONARY_MEMBER ? null : dateValue(draft.confirmedAt) || null,
          probationExtensionMonths: draft.extensionMonths || null,
          probationExtendedOn: draft.extensionMonths ? dateValue(draft.extendedOn) || null : null,
          status: draft.status,
        },
        idempotencyKey: newIdempotencyKey(),
      })
      void Taro.showToast({ title: '已保存', icon: 'success' })
      onSaved(saved)
    } catch (e) {
      if (e instanceof ApiError && e.code === 'validation_failed') setErrors(fieldErrorsFrom(e.details))
      setFormError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Card title='修改党员信息' accent testId='edit-form'>
      <Field label='手机号码' error={errors.phone}>
        <Input className='dj-m-input' type='number' maxlength={11} value={draft.phone} onInput={(e) => change({ phone: e.detail.value })} />
      </Field>
      <Field label='人员类别' error={errors.category}>
        <Chips options={memberCategories} value={draft.category} label={(c) => MEMBER_CATEGORY_LABELS[c]} onChange={(v) => change({ category: v })} />
      </Field>
      <Field label='延长预备期' error={errors.probationExtensionMonths} hint='支部大会决定延长的，选择延长的月数（只能延长一次，6至12个月）' testId='edit-extension'>
        <Chips
          options={EXTENSION_CHOICES}
          value={draft.extensionMonths}
          label={(n) => (n ? `${n}个月` : '未延长')}
          onChange={(v) => change({ extensionMonths: v })}
        />
      </Field>
      {draft.extensionMonths ? (
        <Field label='延长决定日期' error={errorOf('probationExtendedOn')} hint='支部大会作出延长决定的日期，如 2024-07-01' testId='edit-extended-on'>
          <DateInput className='dj-m-input' value={draft.extendedOn} invalid={!!errorOf('probationExtendedOn')} onChange={(extendedOn) => change({ extendedOn })} testId='extended-on' />
        </Field>
      ) : null}
      {draft.category === FULL_MEMBER ? (
        <Field label='转正日期' error={errorOf('confirmedAt')} hint={earliestConfirmationHint(m.joinedAt, draft.extensionMonths) ?? '如 2024-07-01'} testId='edit-confirmed-at'>
          <DateInput className='dj-m-input' value={draft.confirmedAt} invalid={!!errorOf('confirmedAt')} onChange={(confirmedAt) => change({ confirmedAt })} testId='confirmed-at' />
        </Field>
      ) : null}
      <Field label='党籍状态' error={errors.status}>
        <Chips options={memberStatuses} value={draft.status} label={(s) => MEMBER_STATUS_LABELS[s]} onChange={(v) => change({ status: v })} />
      </Field>
      <Text className='dj-form-field__hint'>修改会记入审计日志。</Text>
      {formError ? (
        <Text className='dj-m-error' data-testid='edit-error'>
          {formError}
        </Text>
      ) : null}
      <View className='dj-m-actions'>
        <Button size='large' disabled={busy} onClick={onCancel}>
          取消
        </Button>
        <Button type='primary' size='large' loading={busy} disabled={busy} onClick={() => void save()} data-testid='save-member'>
          保存
        </Button>
      </View>
    </Card>
  )
}

function Detail({ me, id }: { me: MeResponse; id: number }) {
  const state = useApi(() => api(getMember, { params: { id } }), [id])
  const [editing, setEditing] = useState(false)
  const isStaff = me.account.role === 'staff'
  return (
    <AsyncContent state={state} loadingText='正在加载党员信息…'>
      {(m) =>
        editing ? (
          <EditForm m={m} onCancel={() => setEditing(false)} onSaved={() => (setEditing(false), void state.reload())} />
        ) : (
          <View data-testid='member-detail'>
            <Card title={m.name} accent extra={<Text>{MEMBER_STATUS_LABELS[m.status]}</Text>}>
              {m.probationOverdue ? (
                <Text className='dj-m-flag dj-m-flag--red'>预备期已于 {formatDateCn(m.probationEndsAt)} 届满，逾期未转正，请及时处理</Text>
              ) : null}
              <KeyValue label='性别 / 民族' value={`${GENDER_LABELS[m.gender]} / ${m.ethnicity}`} />
              <KeyValue label='出生年月' value={formatMonthCn(m.birthMonth)} />
              {isStaff ? <RevealId memberId={m.id} masked={m.idNumberMasked} /> : <KeyValue label='身份证号' value={m.idNumberMasked} testId='detail-id' />}
              <KeyValue label='手机号码' value={m.phone} testId='detail-phone' />
              <KeyValue label='所在支部' value={m.organizationName} />
              <KeyValue label='人员类别' value={MEMBER_CATEGORY_LABELS[m.category]} />
              <KeyValue label='入党日期' value={formatDateCn(m.joinedAt)} />
              <KeyValue label='转正日期' value={formatDateCn(m.confirmedAt)} />
              {m.probationExtensionMonths ? (
                <KeyValue
                  label='延长预备期'
                  value={`${m.probationExtensionMonths}个月（${formatDateCn(m.probationExtendedOn)}支部大会决定）`}
                  testId='detail-extension'
                />
              ) : null}
              {m.probationEndsAt ? <KeyValue label='预备期届满' value={formatDateCn(m.probationEndsAt)} testId='detail-probation-ends' /> : null}
              <KeyValue label='党龄' value={formatPartyStanding(m.partyStandingYears, m.category)} testId='detail-standing' />
              <MedalLine memberId={m.id} />
              <KeyValue label='学历' value={m.education ?? '—'} />
              <KeyValue label='小程序账号' value={m.hasAccount ? '已绑定' : '未绑定'} />
            </Card>
            {m.phone ? (
              <Button size='large' block onClick={() => void Taro.makePhoneCall({ phoneNumber: m.phone })}>
                拨打电话
              </Button>
            ) : null}
            {isStaff ? (
              <View style={{ marginTop: '20px' }}>
                <Button type='primary' size='large' block onClick={() => setEditing(true)} data-testid='edit-member'>
                  修改信息
                </Button>
              </View>
            ) : null}
          </View>
        )
      }
    </AsyncContent>
  )
}

export default function DetailPage() {
  const { params } = useRouter()
  const id = Number(params.id)
  return (
    <SignedInPage>
      {(me) => Number.isInteger(id) && id > 0 ? <Detail me={me} id={id} /> : <ErrorState message='没有指定要查看的党员，请从花名册进入' />}
    </SignedInPage>
  )
}
