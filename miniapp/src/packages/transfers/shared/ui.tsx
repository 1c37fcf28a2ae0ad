/** Pieces the transfer pages share: state badge, list row, timeline, fields and chips sized for older fingers. */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import {
  overdueLabel,
  TRANSFER_ACTION_LABELS,
  TRANSFER_KIND_LABELS,
  TRANSFER_STATE_LABELS,
  type TransferEvent,
  type TransferState,
  type TransferSummary,
} from '@shared/transfers'
import { beijingDateTime, formatDateCn } from '@/utils/format'
import { detailUrl } from './routes'

const TONE: Record<TransferState, 'wait' | 'done' | 'closed' | 'letter'> = {
  pending_branch: 'wait',
  pending_receiving_branch: 'wait',
  pending_committee: 'wait',
  letter_issued: 'letter',
  awaiting_report: 'letter',
  completed: 'done',
  rejected: 'closed',
  withdrawn: 'closed',
}

export function StateBadge({ state }: { state: TransferState }) {
  return (
    <Text className={`dj-t-badge dj-t-badge--${TONE[state]}`} data-testid='transfer-state'>
      {TRANSFER_STATE_LABELS[state]}
    </Text>
  )
}

export function OverdueFlag({ t }: { t: Pick<TransferSummary, 'overdue'> }) {
  const label = overdueLabel(t.overdue)
  return label ? (
    <Text className='dj-t-flag' data-testid='overdue-flag'>
      {label}
    </Text>
  ) : null
}

/** One transfer in a list: who, where to, state; tap for the details and the timeline. */
export function TransferRow({ t, extra }: { t: TransferSummary; extra?: ReactNode }) {
  return (
    <View
      className={`dj-t-row ${t.overdue.letterExpired || t.overdue.receiptOverdue ? 'dj-t-row--late' : ''}`}
      data-testid='transfer-row'
      data-id={t.id}
      hoverClass='dj-t-row--pressed'
      onClick={() => void Taro.navigateTo({ url: detailUrl(t.id) })}
    >
      <View className='dj-t-row__top'>
        <Text className='dj-t-row__name'>{t.memberName}</Text>
        <Text className='dj-t-kind'>{TRANSFER_KIND_LABELS[t.kind]}</Text>
        <View className='dj-t-row__spacer' />
        <StateBadge state={t.state} />
      </View>
      <Text className='dj-t-row__meta'>
        {t.fromOrganizationName} → {t.toOrganizationName}
      </Text>
      <Text className='dj-t-row__meta'>
        申请日期 {formatDateCn(t.appliedOn)}
        {t.letterNumber ? `\u3000介绍信 ${t.letterNumber}` : ''}
      </Text>
      <OverdueFlag t={t} />
      {extra}
    </View>
  )
}

/** The timeline the applicant follows: each step, who took it, when, and what they wrote. */
export function Timeline({ events }: { events: TransferEvent[] }) {
  return (
    <View className='dj-t-timeline' data-testid='timeline'>
      {events.map((e, i) => (
        <View key={e.id} className={`dj-t-step ${i === events.length - 1 ? 'dj-t-step--last' : ''}`} data-testid='timeline-step'>
          <View className={`dj-t-step__dot ${e.toState === 'rejected' ? 'dj-t-step__dot--red' : ''}`} />
          <View className='dj-t-step__body'>
            <Text className='dj-t-step__title'>
              {TRANSFER_ACTION_LABELS[e.action]} · {TRANSFER_STATE_LABELS[e.toState]}
            </Text>
            <Text className='dj-t-step__meta'>
              {e.actorRole} {e.actorName}{'\u3000'}{beijingDateTime(e.at, { withYear: true })}
            </Text>
            {e.comment ? <Text className='dj-t-step__comment'>“{e.comment}”</Text> : null}
          </View>
        </View>
      ))}
    </View>
  )
}

