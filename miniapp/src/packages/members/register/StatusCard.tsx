import { View, Text } from '@tarojs/components'
import type { ApplicantRegistration as Registration } from '@shared/registrations'
import { Card } from '@/components/Card'
import { KeyValue } from '@/components/form/FormParts'
import { Button } from '@/ui/nutui'
import { formatDateCn, formatInstantDateCn } from '@/utils/format'
import { MEMBER_CATEGORY_LABELS } from '@shared/common'

/** 待审核 / 未通过 with the reason / 已通过, with what was submitted. */
export function StatusCard({ registration, onEdit, onRefresh }: { registration: Registration; onEdit: () => void; onRefresh: () => void }) {
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
        <KeyValue label='人员类别' value={MEMBER_CATEGORY_LABELS[r.category]} />
        <KeyValue label='入党日期' value={formatDateCn(r.joinedAt)} />
        <KeyValue label='提交时间' value={formatInstantDateCn(r.submittedAt)} />
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
