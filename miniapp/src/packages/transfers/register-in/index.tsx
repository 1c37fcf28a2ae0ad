/**
 * 登记转入: a member arrives with an introduction letter from elsewhere. Staff,
 * or the receiving branch's secretary (for their own branch only — the server
 * checks), register the letter and the member's particulars; 党委审批 and 报到
 * at the branch follow in the inbox.
 */
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useRef, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { shanghaiDate, shanghaiMonth } from '@shared/calendar'
import { educations, genders, memberCategories, type MemberCategory, FULL_MEMBER, GENDER_LABELS, MEMBER_CATEGORY_LABELS } from '@shared/common'
import { checkIdNumber, ID_PROBLEM_MESSAGES } from '@shared/idcard'
import { memberFactIssuesFromId } from '@shared/member-facts'
import { organizations as organizationsEndpoint } from '@shared/members'
import { isMainlandMobile } from '@shared/phone'
import { ON_BEHALF_CONSENT_TEXT } from '@shared/privacy'
import { createTransfer, transferReasons, transferScopes, type TransferReason, type TransferScope, TRANSFER_REASON_LABELS, TRANSFER_SCOPE_LABELS } from '@shared/transfers'
import { api, ApiError, errorMessage, newIdempotencyKey, useApi } from '@/api'
import { Card } from '@/components/Card'
import { ConsentTick } from '@/components/privacy/ConsentForm'
import { SignedInPage } from '@/components/SignedInPage'
import { Button } from '@/ui/nutui'
import { detailUrl } from '../shared/routes'
import { Chips, DateInput, Field, dateValue, earliestConfirmationHint, fieldErrorsFrom } from '@/components/form/FormParts'
import '../shared/transfers.scss'

const DATE = /^\d{4}-\d{2}-\d{2}$/

function RegisterInForm({ me }: { me: MeResponse }) {
  const [name, setName] = useState('')
  const [gender, setGender] = useState<(typeof genders)[number] | null>(null)
  const [ethnicity, setEthnicity] = useState('汉族')
  const [idNumber, setIdNumber] = useState('')
  const [category, setCategory] = useState<MemberCategory | null>(null)
  const [joinedAtText, setJoinedAt] = useState('')
  const [confirmedAtText, setConfirmedAt] = useState('')
  const [education, setEducation] = useState<(typeof educations)[number] | null>(null)
  const [toOrganizationId, setBranch] = useState<number | null>(me.account.role === 'secretary' ? (me.account.organization?.id ?? null) : null)
  const [fromOrganizationName, setFrom] = useState('')
  const [incomingLetterNumber, setLetterNo] = useState('')
  const [scope, setScope] = useState<TransferScope | null>(null)
  const [reason, setReason] = useState<TransferReason | null>(null)
  const [duesPaidThrough, setDues] = useState(shanghaiMonth(new Date()))
  const [contactPhone, setPhone] = useState('')
  // The secretary types someone else's ID number: they confirm the member was told the guide and agreed.
  const [memberConsent, setMemberConsent] = useState(false)
  const [serverErrors, setErrors] = useState<Record<string, string>>({})
  const [attempted, setAttempted] = useState(false)
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // One key per filled-in form: pressing 提交 again after a lost answer cannot register twice.
  const key = useRef(newIdempotencyKey())
  const orgs = useApi(() => api(organizationsEndpoint), [])
  const branches = (orgs.data?.organizations ?? []).filter(
    (o) => o.kind === 'branch' && (me.account.role === 'staff' || o.id === me.account.organization?.id),
  )

  /** Editing a field takes its red message away; 提交 checks everything again. */
  const edit =
    <T,>(field: string, set: (value: T) => void) =>
    (value: T) => {
      set(value)
      setErrors((current) => {
        if (!(field in current)) return current
        const { [field]: _cleared, ...rest } = current
        return rest
      })
    }

  /** What is still wrong, checked on every render once 提交 was pressed: an error goes the moment its field is right. */
  const check = (): Record<string, string> => {
    const joinedAt = dateValue(joinedAtText)
    const confirmedAt = dateValue(confirmedAtText)
    const missing: Record<string, string> = {}
    if (name.trim().length < 2) missing.name = '请填写姓名'
    if (!gender) missing.gender = '请选择性别'
    if (ethnicity.trim().length < 2) missing.ethnicity = '请填写民族，如 汉族'
    const id = checkIdNumber(idNumber)
    if (!id.ok) missing.idNumber = ID_PROBLEM_MESSAGES[id.problem]
    if (!category) missing.category = '请选择人员类别'
    if (!DATE.test(joinedAt)) missing.joinedAt = '请按“年-月-日”填写，如 2012-07-01'
    if (category === FULL_MEMBER && !DATE.test(confirmedAt)) missing.confirmedAt = '正式党员请填写转正日期，如 2013-07-01'
    if (!toOrganizationId) missing.toOrganizationId = '请选择接收的支部'
    if (fromOrganizationName.trim().length < 2) missing.fromOrganizationName = '请填写介绍信的开具单位'
    if (!incomingLetterNumber.trim()) missing.incomingLetterNumber = '请填写介绍信编号'
    if (!scope) missing.scope = '请选择来自范围'
    if (!reason) missing.reason = '请选择转接原因'
    if (!/^\d{4}-\d{2}$/.test(duesPaidThrough)) missing.duesPaidThrough = '请按“年-月”填写，如 2026-06'
    if (!isMainlandMobile(contactPhone)) missing.contactPhone = '请输入正确的11位手机号码'
    if (!memberConsent) missing.memberConsent = '请确认已向本人说明《隐私保护指引》，并征得本人同意'
    // The rules the server applies (ID number and gender, age 18 at 入党, 预备期 and 转正, no future dates), before sending.
    const facts = { gender: gender ?? '', idNumber, category: category ?? '', joinedAt, confirmedAt: category === FULL_MEMBER ? confirmedAt : null }
    for (const issue of memberFactIssuesFromId(facts, shanghaiDate(new Date()))) {
      const field = String(issue.path[0])
      if (!missing[field]) missing[field] = issue.message
    }
    return missing
  }
  const live = attempted ? check() : {}
  const errors: Record<string, string> = { ...serverErrors, ...live }
  const remaining = Object.keys(live).length

  const submit = async () => {
    setAttempted(true)
    setFormError(null)
    if (Object.keys(check()).length) return
    const joinedAt = dateValue(joinedAtText)
    const confirmedAt = dateValue(confirmedAtText)
    setBusy(true)
    try {
      const created = await api(createTransfer, {
        idempotencyKey: key.current,
        body: {
          kind: 'in',
          memberConsent: true,
          name: name.trim(),
          gender: gender as (typeof genders)[number],
          ethnicity: ethnicity.trim(),
          idNumber: idNumber.trim(),
          category: category as MemberCategory,
          joinedAt,
          confirmedAt: category === FULL_MEMBER ? confirmedAt : undefined,
          education: education ?? undefined,
          toOrganizationId: toOrganizationId as number,
          fromOrganizationName: fromOrganizationName.trim(),
          incomingLetterNumber: incomingLetterNumber.trim(),
          scope: scope as TransferScope,
          reason: reason as TransferReason,
          duesPaidThrough,
          contactPhone,
        },
      })
      void Taro.showToast({ title: '已登记', icon: 'success' })
      void Taro.redirectTo({ url: detailUrl(created.id) })
    } catch (e) {
      if (e instanceof ApiError) setErrors(fieldErrorsFrom(e.details))
      setFormError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const text = (value: string, set: (v: string) => void, testId: string, max = 40) => (
    <Input className='dj-t-input' value={value} maxlength={max} onInput={(e) => set(e.detail.value)} data-testid={testId} />
  )

  return (
    <View data-testid='transfer-register-in'>
      <Card title='介绍信' accent>
        <Field label='开具单位' required error={errors.fromOrganizationName} hint='介绍信上盖章的党组织，如：中共某县某镇委员会'>
          {text(fromOrganizationName, edit('fromOrganizationName', setFrom), 'from-organization', 100)}
        </Field>
        <Field label='介绍信编号' required error={errors.incomingLetterNumber}>
          {text(incomingLetterNumber, edit('incomingLetterNumber', setLetterNo), 'incoming-letter-number')}
        </Field>
        <Field label='来自范围' required error={errors.scope}>
          <Chips options={transferScopes} value={scope} onChange={edit('scope', setScope)} label={(s) => TRANSFER_SCOPE_LABELS[s]} testId='in-scope' />
        </Field>
        <Field label='接收支部' required error={errors.toOrganizationId}>
          <Chips options={branches.map((b) => b.id)} value={toOrganizationId} onChange={edit('toOrganizationId', setBranch)} label={(id) => branches.find((b) => b.id === id)?.name ?? ''} testId='in-branch' />
        </Field>
        <Field label='转接原因' required error={errors.reason}>
          <Chips options={transferReasons} value={reason} onChange={edit('reason', setReason)} label={(r) => TRANSFER_REASON_LABELS[r]} testId='in-reason' />
        </Field>
        <Field label='党费交至' required error={errors.duesPaidThrough} hint='按“年-月”填写，如 2026-06'>
          {text(duesPaidThrough, edit('duesPaidThrough', (v: string) => setDues(v.trim())), 'in-dues', 7)}
        </Field>
      </Card>
      <Card title='党员信息'>
        <Field label='姓名' required error={errors.name}>
          {text(name, edit('name', setName), 'in-name')}
        </Field>
        <Field label='性别' required error={errors.gender}>
          <Chips options={genders} value={gender} onChange={edit('gender', setGender)} label={(g) => GENDER_LABELS[g]} testId='in-gender' />
        </Field>
        <Field label='民族' required error={errors.ethnicity}>
          {text(ethnicity, edit('ethnicity', setEthnicity), 'in-ethnicity', 20)}
        </Field>
        <Field label='身份证号' required error={errors.idNumber} hint='18位，最后一位可以是X；保存时加密，只显示前4位和最后1位'>
          {text(idNumber, edit('idNumber', (v: string) => setIdNumber(v.trim().toUpperCase())), 'in-id-number', 18)}
        </Field>
        <Field label='人员类别' required error={errors.category}>
          <Chips options={memberCategories} value={category} onChange={edit('category', setCategory)} label={(c) => MEMBER_CATEGORY_LABELS[c]} testId='in-category' />
        </Field>
        <Field label='入党日期' required error={errors.joinedAt} hint='支部大会接收为预备党员的日期，如 2012-07-01'>
          <DateInput className='dj-t-input' invalid={!!errors.joinedAt} value={joinedAtText} onChange={edit('joinedAt', setJoinedAt)} testId='in-joined-at' />
        </Field>
        {category === FULL_MEMBER ? (
          <Field label='转正日期' required error={errors.confirmedAt} hint={earliestConfirmationHint(joinedAtText) ?? '预备期届满之日，如 2013-07-01'}>
            <DateInput className='dj-t-input' invalid={!!errors.confirmedAt} value={confirmedAtText} onChange={edit('confirmedAt', setConfirmedAt)} testId='in-confirmed-at' />
          </Field>
        ) : null}
        <Field label='学历' error={errors.education}>
          <Chips options={educations} value={education} onChange={edit('education', setEducation)} testId='in-education' />
        </Field>
        <Field label='联系电话' required error={errors.contactPhone}>
          <Input className='dj-t-input' type='number' value={contactPhone} maxlength={11} onInput={(e) => edit('contactPhone', setPhone)(e.detail.value.trim())} data-testid='in-phone' />
        </Field>
        <Field label='本人同意' required error={errors.memberConsent}>
          <ConsentTick on={memberConsent} text={ON_BEHALF_CONSENT_TEXT} onToggle={() => edit('memberConsent', setMemberConsent)(!memberConsent)} testId='in-member-consent' />
        </Field>
        {remaining > 0 || formError ? (
          <Text className='dj-t-error' data-testid='form-error'>
            {remaining > 0 ? `还有 ${remaining} 项需要修改，请看红字提示` : formError}
          </Text>
        ) : null}
        <View style={{ marginTop: '24px' }}>
          <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()} data-testid='submit-register-in'>
            登记转入，报党委审批
          </Button>
        </View>
      </Card>
    </View>
  )
}

export default function RegisterInPage() {
  return (
    <SignedInPage gate='officer'>
      {(me) => <RegisterInForm me={me} />}
    </SignedInPage>
  )
}
