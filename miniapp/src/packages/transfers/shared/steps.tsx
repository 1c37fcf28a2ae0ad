/**
 * Taking a step on a transfer: one tap to choose (同意 / 不同意 / 登记回执 …),
 * a second to confirm with an optional comment. The request carries the version
 * the screen showed, so a transfer someone else already moved answers with a
 * clear message instead of acting twice; a retry of the same tap reuses its
 * Idempotency-Key, so a lost answer is not lost work.
 */
import Taro from '@tarojs/taro'
import { View, Text, Textarea } from '@tarojs/components'
import { useRef, useState } from 'react'
import {
  approveTransfer,
  capitalNumeral,
  DEFAULT_VALIDITY_DAYS,
  issuesLetter,
  MAX_VALIDITY_DAYS,
  receiveTransfer,
  recordReceipt,
  recordReport,
  rejectTransfer,
  reviewTransfer,
  withdrawTransfer,
  type TransferAction,
  type TransferDetail,
  type TransferSummary,
} from '@shared/transfers'
import { api, errorMessage, newIdempotencyKey } from '@/api'
import { Button } from '@/ui/nutui'
import { Chips, DateInput, dateProblem, dateValue } from '@/components/form/FormParts'
import { useLiveCheck } from '@/components/form/useLiveCheck'

type Target = Pick<TransferSummary, 'id' | 'kind' | 'state' | 'version' | 'scope' | 'memberName'>

/** The button that starts each step, in the words a secretary uses. */
export const STEP_BUTTON: Record<TransferAction, string> = {
  review: '同意',
  approve: '审批同意',
  receipt: '登记回执',
  report: '确认已报到',
  receive: '确认接收',
  reject: '不同意',
  withdraw: '撤回申请',
}

const DEFAULT_COMMENT: Partial<Record<TransferAction, string>> = {
  review: '情况属实，同意',
  approve: '同意',
  receipt: '回执已收到',
  report: '已到支部报到',
  receive: '已到本支部报到，回执已登记',
}

async function send(t: Target, action: TransferAction, comment: string, extra: { validityDays?: number; receivedOn?: string }, key: string): Promise<TransferDetail> {
  const params = { id: t.id }
  const version = t.version
  const idempotencyKey = key
  const note = comment.trim() || undefined
  switch (action) {
    case 'review':
      return api(reviewTransfer, { params, body: { decision: 'approve', comment: note, version }, idempotencyKey })
    case 'approve':
      return api(approveTransfer, { params, body: { comment: note, validityDays: extra.validityDays, version }, idempotencyKey })
    case 'receipt':
      return api(recordReceipt, { params, body: { receivedOn: extra.receivedOn || undefined, comment: note, version }, idempotencyKey })
    case 'receive':
      return api(receiveTransfer, { params, body: { receivedOn: extra.receivedOn || undefined, comment: note, version }, idempotencyKey })
    case 'report':
      return api(recordReport, { params, body: { comment: note, version }, idempotencyKey })
    case 'withdraw':
      return api(withdrawTransfer, { params, body: { reason: note, version }, idempotencyKey })
    case 'reject':
      // At a branch step the secretary's "不同意" is the review's other answer.
      if (t.state === 'pending_branch' || t.state === 'pending_receiving_branch') {
        return api(reviewTransfer, { params, body: { decision: 'reject', comment: note, version }, idempotencyKey })
      }
      return api(rejectTransfer, { params, body: { reason: comment.trim(), version }, idempotencyKey })
  }
}

const VALIDITY_CHOICES = [10, 15, 30, 60, 90] as const

/** Buttons for the given actions; the chosen one opens its confirm box. */
export function StepButtons({ t, actions, onDone }: { t: Target; actions: TransferAction[]; onDone: (d: TransferDetail) => void }) {
  const [chosen, setChosen] = useState<TransferAction | null>(null)
  const [comment, setComment] = useState('')
  const [validityDays, setValidityDays] = useState<number>(DEFAULT_VALIDITY_DAYS[t.scope])
  // Empty means today on the server's calendar (a phone's date can be off).
  const [receivedOn, setReceivedOn] = useState('')
  const [busy, setBusy] = useState(false)
  const key = useRef<string>('')
  const check = useLiveCheck(
    {
      reason: chosen === 'reject' && comment.trim().length < 2 && '请写明不同意的原因（至少2个字），申请人会看到',
      receivedOn: (chosen === 'receipt' || chosen === 'receive') && receivedOn.trim() !== '' && dateProblem(receivedOn, chosen === 'receive' ? '接收日期' : '回执收到日期'),
    },
    [chosen, comment, receivedOn, validityDays],
  )

  if (actions.length === 0) return null

  const choose = (a: TransferAction) => {
    setChosen(a)
    setComment(DEFAULT_COMMENT[a] ?? '')
    check.fail(null)
    key.current = newIdempotencyKey()
  }

  const confirm = async () => {
    if (!chosen) return
    if (!check.ready()) return
    setBusy(true)
    try {
      const detail = await send(t, chosen, comment, { validityDays: chosen === 'approve' && issuesLetter(t.kind) ? validityDays : undefined, receivedOn: dateValue(receivedOn) }, key.current)
      void Taro.showToast({ title: '已办理', icon: 'success' })
      setChosen(null)
      onDone(detail)
    } catch (e) {
      check.fail(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  if (!chosen) {
    return (
      <View className='dj-t-quick' data-testid='step-buttons' onClick={(e) => e.stopPropagation()}>
        {actions.map((a) => (
          <Button
            key={a}
            type={a === 'reject' || a === 'withdraw' ? 'default' : 'primary'}
            size='large'
            onClick={() => choose(a)}
            data-testid={`step-${a}`}
          >
            {STEP_BUTTON[a]}
          </Button>
        ))}
      </View>
    )
  }

  return (
    <View className='dj-t-stack' data-testid='step-confirm' onClick={(e) => e.stopPropagation()}>
      {chosen === 'approve' && issuesLetter(t.kind) ? (
        <View>
          <Text className='dj-t-note'>介绍信有效期（最长{MAX_VALIDITY_DAYS}天）：{capitalNumeral(validityDays)}天</Text>
          <Chips options={VALIDITY_CHOICES} value={validityDays as (typeof VALIDITY_CHOICES)[number]} onChange={setValidityDays} label={(d) => `${d}天`} testId='validity-days' />
        </View>
      ) : null}
      {chosen === 'receive' ? <Text className='dj-t-note'>确认后，该党员转入本支部名册，回执同时登记。</Text> : null}
      {chosen === 'receipt' || chosen === 'receive' ? (
        <View>
          <Text className='dj-t-note'>{chosen === 'receive' ? '接收日期' : '回执收到日期'}（不填即为今天；补登的写上日期，如 2026-06-15 或 2026年6月15日）</Text>
          <DateInput className='dj-t-input' value={receivedOn} placeholder='不填即为今天' onChange={setReceivedOn} invalid={!!check.of('receivedOn')} testId='receipt-date' />
        </View>
      ) : null}
      <Textarea
        className='dj-t-textarea'
        value={comment}
        maxlength={300}
        placeholder={chosen === 'reject' ? '请写明原因，如：党费未交清' : '意见（可不填）'}
        onInput={(e) => setComment(e.detail.value)}
        data-testid='step-comment'
      />
      {check.banner ? (
        <Text className='dj-t-error' data-testid='step-error'>
          {check.banner}
        </Text>
      ) : null}
      <View className='dj-t-actions'>
        <Button size='large' disabled={busy} onClick={() => setChosen(null)}>
          取消
        </Button>
        <Button type='primary' size='large' loading={busy} disabled={busy} onClick={() => void confirm()} data-testid='step-confirm-button'>
          确认{STEP_BUTTON[chosen]}
        </Button>
      </View>
    </View>
  )
}
