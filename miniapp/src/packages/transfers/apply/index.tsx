/**
 * A member applies to move their organization relationship: out of the
 * county (with the unit and the letter's 抬头), to another branch here, or to
 * a branch of another township of the county (picked by township; the letter's
 * 抬头 is that township's committee). The member is taken from the sign-in.
 */
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import { useRef, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { shanghaiMonth } from '@shared/calendar'
import { organizations as organizationsEndpoint } from '@shared/members'
import { createTransfer, transferDestinations, transferReminderTemplate, transferReasons, transferScopes, type TransferReason, type TransferScope, TRANSFER_REASON_LABELS, TRANSFER_SCOPE_LABELS } from '@shared/transfers'
import { api, ApiError, errorMessage, newIdempotencyKey, useApi } from '@/api'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { Button } from '@/ui/nutui'
import { detailUrl } from '../shared/routes'
import { ProgressReminder } from '../shared/ProgressReminder'
import { Chips, Field, fieldErrorsFrom } from '@/components/form/FormParts'
import '../shared/transfers.scss'

type Kind = 'out' | 'internal' | 'cross_township'

const KIND_LABELS: Record<Kind, string> = { out: '转出到县外', internal: '镇内换支部', cross_township: '转到县内其他乡镇' }
const KINDS = ['out', 'internal', 'cross_township'] as const

function ApplyForm({ me, initialKind }: { me: MeResponse; initialKind: Kind }) {
  const [kind, setKind] = useState<Kind>(initialKind)
  const [toOrganizationName, setToName] = useState('')
  const [letterAddressee, setAddressee] = useState('')
  const [scope, setScope] = useState<TransferScope | null>(null)
  const [toOrganizationId, setToBranch] = useState<number | null>(null)
  const [reason, setReason] = useState<TransferReason | null>(null)
  const [reasonNote, setReasonNote] = useState('')
  const [duesPaidThrough, setDues] = useState(shanghaiMonth(new Date()))
  const [contactPhone, setPhone] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // One key per filled-in form: pressing 提交 again after a lost answer cannot file twice.
  const key = useRef(newIdempotencyKey())
  const orgs = useApi(() => api(organizationsEndpoint), [])
  // Subscribe messages exist in weapp only: elsewhere there is nothing to ask for.
  const reminder = useApi<{ templateId: string | null }>(() => (process.env.TARO_ENV === 'weapp' ? api(transferReminderTemplate) : Promise.resolve({ templateId: null })), [])
  const [filed, setFiled] = useState<{ id: number; templateId: string } | null>(null)
  // The picker follows the tree: this township's other branches, or the other townships' grouped by township.
  const destinations = transferDestinations(orgs.data?.organizations ?? [], me.member?.organizationId)
  const branches = destinations.sameTownship

  const submit = async () => {
    const missing: Record<string, string> = {}
    if (kind === 'out') {
      if (toOrganizationName.trim().length < 2) missing.toOrganizationName = '请填写转往的党组织名称'
      if (letterAddressee.trim().length < 2) missing.letterAddressee = '请填写介绍信抬头（接收党组织的全称）'
      if (!scope) missing.scope = '请选择转往范围'
    } else if (!toOrganizationId) missing.toOrganizationId = '请选择要转入的支部'
    if (!reason) missing.reason = '请选择转接原因'
    if (!/^\d{4}-\d{2}$/.test(duesPaidThrough)) missing.duesPaidThrough = '请按“年-月”填写，如 2026-06'
    if (!/^1[3-9]\d{9}$/.test(contactPhone.replace(/\s|-/g, ''))) missing.contactPhone = '请输入正确的11位手机号码'
    setErrors(missing)
    setFormError(Object.keys(missing).length ? '还有内容没填好，请看红字提示' : null)
    if (Object.keys(missing).length) return
    setBusy(true)
    try {
      const common = { reason: reason as TransferReason, reasonNote: reasonNote.trim() || undefined, duesPaidThrough, contactPhone }
      const body =
        kind === 'out'
          ? { kind, toOrganizationName: toOrganizationName.trim(), letterAddressee: letterAddressee.trim(), scope: scope as TransferScope, ...common }
          : { kind, toOrganizationId: toOrganizationId as number, ...common }
      const created = await api(createTransfer, { body, idempotencyKey: key.current })
      void Taro.showToast({ title: '已提交', icon: 'success' })
      const templateId = reminder.data?.templateId
      // With a template set (weapp), the member may first ask for a progress message; otherwise straight on.
      if (templateId) setFiled({ id: created.id, templateId })
      else void Taro.redirectTo({ url: detailUrl(created.id) })
    } catch (e) {
      if (e instanceof ApiError) setErrors(fieldErrorsFrom(e.details))
      setFormError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  if (filed) return <ProgressReminder transferId={filed.id} templateId={filed.templateId} onContinue={() => void Taro.redirectTo({ url: detailUrl(filed.id) })} />

  return (
    <View data-testid='transfer-apply'>
      <Card title='申请人' accent>
        <Text className='dj-t-note'>
          {me.member?.name}（{me.member?.organizationName}）
        </Text>
      </Card>
      <Card>
        <Field label='转接方式' required>
          <Chips options={KINDS} value={kind} onChange={(k) => { setKind(k); setToBranch(null) }} label={(k) => KIND_LABELS[k]} testId='apply-kind' />
        </Field>
        {kind === 'out' ? (
          <>
            <Field label='转往单位' required error={errors.toOrganizationName} hint='新单位所在的党组织，如：某某街道党工委'>
              <Input className='dj-t-input' value={toOrganizationName} maxlength={100} onInput={(e) => setToName(e.detail.value)} data-testid='to-organization' />
            </Field>
            <Field label='介绍信抬头' required error={errors.letterAddressee} hint='介绍信开头写给谁，一般是接收党组织的全称'>
              <Input className='dj-t-input' value={letterAddressee} maxlength={100} onInput={(e) => setAddressee(e.detail.value)} data-testid='letter-addressee' />
            </Field>
            <Field label='转往范围' required error={errors.scope}>
              <Chips options={transferScopes} value={scope} onChange={setScope} label={(s) => TRANSFER_SCOPE_LABELS[s]} testId='apply-scope' />
            </Field>
          </>
        ) : kind === 'internal' ? (
          <Field label='转入支部' required error={errors.toOrganizationId}>
            <Chips options={branches.map((b) => b.id)} value={toOrganizationId} onChange={setToBranch} label={(id) => branches.find((b) => b.id === id)?.name ?? ''} testId='apply-branch' />
          </Field>
        ) : (
          <Field label='转入支部' required error={errors.toOrganizationId} hint='先找到要去的乡镇，再点选支部；介绍信由本镇党委开给该乡镇党委'>
            {destinations.otherTownships.length === 0 ? <Text className='dj-t-note'>县内暂无其他乡镇的支部</Text> : null}
            {destinations.otherTownships.map((g) => (
              <View key={g.townshipId} className='dj-t-stack' data-testid={`apply-township-${g.townshipId}`}>
                <Text className='dj-t-note'>{g.townshipName}</Text>
                <Chips options={g.branches.map((b) => b.id)} value={toOrganizationId} onChange={setToBranch} label={(id) => g.branches.find((b) => b.id === id)?.name ?? ''} testId='apply-county-branch' />
              </View>
            ))}
          </Field>
        )}
        <Field label='转接原因' required error={errors.reason}>
          <Chips options={transferReasons} value={reason} onChange={setReason} label={(r) => TRANSFER_REASON_LABELS[r]} testId='apply-reason' />
        </Field>
        <Field label='情况说明' hint='可不填，如：到郑州某公司工作' error={errors.reasonNote}>
          <Textarea className='dj-t-textarea' value={reasonNote} maxlength={200} onInput={(e) => setReasonNote(e.detail.value)} data-testid='reason-note' />
        </Field>
        <Field label='党费交至' required error={errors.duesPaidThrough} hint='按“年-月”填写，如 2026-06'>
          <Input className='dj-t-input' value={duesPaidThrough} maxlength={7} onInput={(e) => setDues(e.detail.value.trim())} data-testid='dues' />
        </Field>
        <Field label='联系电话' required error={errors.contactPhone}>
          <Input className='dj-t-input' type='number' value={contactPhone} maxlength={11} onInput={(e) => setPhone(e.detail.value.trim())} data-testid='contact-phone' />
        </Field>
        {formError ? (
          <Text className='dj-t-error' data-testid='form-error'>
            {formError}
          </Text>
        ) : null}
        <View style={{ marginTop: '24px' }}>
          <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()} data-testid='submit-transfer'>
            提交申请
          </Button>
        </View>
      </Card>
    </View>
  )
}

export default function ApplyPage() {
  const router = useRouter()
  const initialKind: Kind = (KINDS as readonly string[]).includes(router.params.kind ?? '') ? (router.params.kind as Kind) : 'out'
  return (
    <SignedInPage gate='member'>
      {(me) => <ApplyForm me={me} initialKind={initialKind} />}
    </SignedInPage>
  )
}
