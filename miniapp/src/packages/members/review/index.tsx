/**
 * 注册审核: branch secretaries see their branch's registrations, committee staff
 * the whole township. Approve, or reject with a reason the applicant will read.
 */
import Taro from '@tarojs/taro'
import { View, Text, Textarea } from '@tarojs/components'
import { useState } from 'react'
import { PROBATION_OVERDUE_MONTHS } from '@shared/members'
import {
  approveRegistration,
  listRegistrations,
  registrationStatuses,
  rejectRegistration,
  REGISTRATION_CONFLICT_LABELS,
  REGISTRATION_STATUS_LABELS,
  type Registration,
  type RegistrationStatus,
} from '@shared/registrations'
import { api, errorMessage, newIdempotencyKey, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { formatDateCn, formatInstantDateCn, formatMonthCn } from '@/utils/format'
import { Chips, KeyValue } from '@/components/form/FormParts'
import '../shared/members.scss'
import { GENDER_LABELS, MEMBER_CATEGORY_LABELS } from '@shared/common'

function RegistrationCard({ r, onDecided }: { r: Registration; onDecided: () => void }) {
  const [rejecting, setRejecting] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const approve = async () => {
    const ok = await Taro.showModal({
      title: '确认通过',
      content: `确认「${r.name}」是本支部党员，信息无误？通过后其账号即获得党员权限。`,
      confirmText: '通过',
      cancelText: '再看看',
      confirmColor: '#C8161D',
    })
    if (!ok.confirm) return
    setBusy(true)
    setError(null)
    try {
      await api(approveRegistration, { params: { id: r.id }, idempotencyKey: newIdempotencyKey() })
      void Taro.showToast({ title: '已通过', icon: 'success' })
      onDecided()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const reject = async () => {
    if (reason.trim().length < 2) {
      setError('请填写退回原因（至少2个字），申请人会看到')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await api(rejectRegistration, { params: { id: r.id }, body: { reason: reason.trim() }, idempotencyKey: newIdempotencyKey() })
      void Taro.showToast({ title: '已退回', icon: 'success' })
      onDecided()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card
      title={r.name}
      extra={<Text className={`dj-m-status__badge dj-m-status__badge--${r.status}`}>{REGISTRATION_STATUS_LABELS[r.status]}</Text>}
      testId='registration-card'
    >
      <View>
        {r.probationOverdue ? (
          <Text className='dj-m-flag dj-m-flag--red' data-testid='flag-overdue'>
            预备期已满{PROBATION_OVERDUE_MONTHS}个月以上仍未转正，请核实
          </Text>
        ) : null}
        {r.matchesRosterMember ? (
          <Text className='dj-m-flag' data-testid='flag-roster'>
            花名册中已有此身份证号（{r.rosterMemberName ?? '—'}），通过后将关联该档案
          </Text>
        ) : null}
        {r.conflicts.map((c) => (
          <Text key={c} className='dj-m-flag dj-m-flag--red' data-testid={`flag-${c}`}>
            {REGISTRATION_CONFLICT_LABELS[c]}
          </Text>
        ))}
        {r.requestedOrganizationId !== r.organizationId ? (
          <Text className='dj-m-flag' data-testid='flag-requested-branch'>
            申请人选择的是「{r.requestedOrganizationName}」，按花名册由本支部审核（申请人不会看到这一点）
          </Text>
        ) : null}
      </View>
      <KeyValue label='性别 / 民族' value={`${GENDER_LABELS[r.gender]} / ${r.ethnicity}`} />
      <KeyValue label='出生年月' value={formatMonthCn(r.birthMonth)} />
      <KeyValue label='身份证号' value={r.idNumberMasked} />
      <KeyValue label='手机号码' value={r.phoneMasked} />
      <KeyValue label='所在支部' value={r.organizationName} />
      <KeyValue label='人员类别' value={MEMBER_CATEGORY_LABELS[r.category]} />
      <KeyValue label='入党日期' value={formatDateCn(r.joinedAt)} />
      {r.confirmedAt ? <KeyValue label='转正日期' value={formatDateCn(r.confirmedAt)} /> : null}
      <KeyValue label='提交时间' value={formatInstantDateCn(r.submittedAt)} />
      {r.rejectReason ? <KeyValue label='退回原因' value={r.rejectReason} /> : null}
      {r.status === 'pending' ? (
        <>
          {rejecting ? (
            <View style={{ marginTop: '20px' }}>
              <Textarea
                className='dj-m-textarea'
                value={reason}
                maxlength={200}
                placeholder='请写明退回原因，如：入党日期与档案不符'
                onInput={(e) => setReason(e.detail.value)}
                data-testid='reject-reason-input'
              />
            </View>
          ) : null}
          {error ? <Text className='dj-m-error'>{error}</Text> : null}
          <View className='dj-m-actions'>
            {rejecting ? (
              <>
                <Button size='large' disabled={busy} onClick={() => setRejecting(false)}>
                  取消
                </Button>
                <Button type='primary' size='large' loading={busy} disabled={busy} onClick={() => void reject()} data-testid='confirm-reject'>
                  确认退回
                </Button>
              </>
            ) : (
              <>
                <Button size='large' disabled={busy} onClick={() => setRejecting(true)} data-testid='reject'>
                  退回
                </Button>
                <Button type='primary' size='large' loading={busy} disabled={busy} onClick={() => void approve()} data-testid='approve'>
                  审核通过
                </Button>
              </>
            )}
          </View>
        </>
      ) : null}
    </Card>
  )
}

function Review() {
  const [status, setStatus] = useState<RegistrationStatus>('pending')
  const list = useApi(() => api(listRegistrations, { query: { status } }), [status])
  return (
    <View data-testid='review-page'>
      <View style={{ marginBottom: '24px' }}>
        <Chips options={registrationStatuses} value={status} onChange={setStatus} label={(s) => REGISTRATION_STATUS_LABELS[s]} testId='status-tabs' />
      </View>
      <AsyncContent
        state={list}
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState title={status === 'pending' ? '暂无待审核的登记' : `暂无${REGISTRATION_STATUS_LABELS[status]}的登记`} description='党员在小程序中提交登记后会出现在这里。' />}
      >
        {(d) => (
          <>
            <Text className='dj-m-summary'>共 {d.items.length} 条</Text>
            {d.items.map((r) => (
              <RegistrationCard key={r.id} r={r} onDecided={() => void list.reload()} />
            ))}
          </>
        )}
      </AsyncContent>
    </View>
  )
}

export default function ReviewPage() {
  return (
    <SignedInPage gate='officer'>
      {() => <Review />}
    </SignedInPage>
  )
}
