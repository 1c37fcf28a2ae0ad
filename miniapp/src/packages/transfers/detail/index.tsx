/**
 * One transfer: what was filed, where it stands, the timeline of every step,
 * the letter once issued, and the buttons the caller may press now.
 */
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { capitalNumeral, getTransfer, TRANSFER_KIND_LABELS, type TransferDetail, TRANSFER_REASON_LABELS, TRANSFER_SCOPE_LABELS } from '@shared/transfers'
import { TRANSFER_CONFLICT_LABELS } from '@shared/transfer-conflicts'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { ErrorState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { formatDateCn } from '@/utils/format'
import { letterUrl } from '../shared/routes'
import { StepButtons } from '../shared/steps'
import { KeyValue } from '@/components/form/FormParts'
import { OverdueFlag, StateBadge, Timeline } from '../shared/ui'
import '../shared/transfers.scss'
import { GENDER_LABELS, MEMBER_CATEGORY_LABELS } from '@shared/common'

function Detail({ id }: { id: number }) {
  const loaded = useApi(() => api(getTransfer, { params: { id } }), [id])
  // A step answers with the fresh transfer: show it without another round trip.
  const [fresh, setFresh] = useState<TransferDetail | null>(null)
  return (
    <AsyncContent state={loaded} loadingText='正在加载转接详情…'>
      {(d0) => {
        const d = fresh && fresh.version >= d0.version ? fresh : d0
        return (
          <View data-testid='transfer-detail'>
            <Card title={`${d.memberName} · ${TRANSFER_KIND_LABELS[d.kind]}`} extra={<StateBadge state={d.state} />} accent>
              <OverdueFlag t={d} />
              {/* Township staff only: what a 转入 registration collides with (党委审批 refuses it). */}
              {d.conflicts?.map((c) => (
                <Text key={c} className='dj-t-flag' data-testid='transfer-conflict'>
                  {TRANSFER_CONFLICT_LABELS[c]}，请核对后驳回
                </Text>
              ))}
              <KeyValue label={d.kind === 'in' ? '来自单位' : '转出支部'} value={d.fromOrganizationName} />
              <KeyValue label={d.kind === 'out' ? '转往单位' : '转入支部'} value={d.toOrganizationName} />
              {d.letterAddressee ? <KeyValue label='介绍信抬头' value={d.letterAddressee} /> : null}
              {d.incomingLetterNumber ? <KeyValue label='来信编号' value={d.incomingLetterNumber} /> : null}
              <KeyValue label='范围' value={TRANSFER_SCOPE_LABELS[d.scope]} />
              <KeyValue label='原因' value={d.reasonNote ? `${TRANSFER_REASON_LABELS[d.reason]}（${d.reasonNote}）` : TRANSFER_REASON_LABELS[d.reason]} />
              <KeyValue label='性别 / 民族' value={`${GENDER_LABELS[d.gender]} / ${d.ethnicity}`} />
              <KeyValue label='人员类别' value={MEMBER_CATEGORY_LABELS[d.category]} />
              <KeyValue label='身份证号' value={d.idNumberMasked} />
              <KeyValue label='党费交至' value={d.duesPaidThrough.replace('-', '年') + '月'} />
              <KeyValue label='联系电话' value={d.contactPhone} />
              <KeyValue label='申请日期' value={formatDateCn(d.appliedOn)} />
              {d.closingReason ? <KeyValue label={d.state === 'withdrawn' ? '撤回原因' : '未通过原因'} value={d.closingReason} /> : null}
            </Card>

            {d.letterNumber ? (
              <Card title='介绍信' testId='letter-card'>
                <KeyValue label='介绍信编号' value={d.letterNumber} testId='letter-number' />
                <KeyValue label='开具日期' value={formatDateCn(d.letterIssuedOn)} />
                <KeyValue label='有效期' value={d.validityDays ? `${capitalNumeral(d.validityDays)}天（至${formatDateCn(d.letterExpiresOn)}）` : '—'} />
                <KeyValue label='回执' value={d.receiptReceivedOn ? `${formatDateCn(d.receiptReceivedOn)} 已收到` : `应于${formatDateCn(d.receiptDueOn)}前寄回`} />
                <View style={{ marginTop: '20px' }}>
                  <Button type='primary' fill='outline' size='large' block onClick={() => void Taro.navigateTo({ url: letterUrl(d.id) })} data-testid='open-letter'>
                    查看 / 打印介绍信
                  </Button>
                </View>
              </Card>
            ) : null}

            {d.actions.length > 0 ? (
              <Card title='办理' testId='step-card'>
                <StepButtons t={d} actions={d.actions} onDone={(next) => setFresh(next)} />
              </Card>
            ) : null}

            <Card title='办理进度'>
              <Timeline events={d.events} />
            </Card>
          </View>
        )
      }}
    </AsyncContent>
  )
}

export default function TransferDetailPage() {
  const id = Number(useRouter().params.id)
  return (
    <SignedInPage gate='member'>
      {() => Number.isInteger(id) && id > 0 ? <Detail id={id} /> : <ErrorState message='链接有误，找不到这项转接' />}
    </SignedInPage>
  )
}
