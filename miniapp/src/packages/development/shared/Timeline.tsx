import { View, Text } from '@tarojs/components'
import { MEMBER_STATUS_LABELS } from '@shared/common'
import type { DevelopmentDetail } from '@shared/development'
import { Card } from '@/components/Card'
import { formatDateCn } from '@/utils/format'
import { Warnings, WindowLine } from './Windows'

/** A person's steps in order and what comes next: the same for the officer and for the applicant. */
export function Timeline({ record }: { record: Omit<DevelopmentDetail, 'memberId'> }) {
  return (
    <>
      <Card title={`${record.name}（${record.stageLabel}）`} accent testId='dev-summary'>
        <Text className='dj-dev__line'>{record.organizationName}</Text>
        {record.joinedAt ? <Text className='dj-dev__line'>入党日期：{formatDateCn(record.joinedAt)}</Text> : null}
        {record.contacts.length ? <Text className='dj-dev__line'>培养联系人：{record.contacts.map((c) => c.name).join('、')}</Text> : null}
        <Warnings warnings={record.warnings} />
        {record.next ? <WindowLine w={record.next} testId='dev-next' /> : <Text className='dj-dev__line'>已完成全部步骤</Text>}
      </Card>
      <Card title='已完成的步骤' testId='dev-steps'>
        {record.steps.map((s) => (
          <View key={s.id} className='dj-dev__step' data-testid='dev-step'>
            <Text className='dj-dev__name'>
              {formatDateCn(s.date)} {s.label}
            </Text>
            <Text className='dj-dev__line'>{s.evidence}</Text>
            {s.details.entitled !== undefined ? (
              <Text className='dj-dev__line'>
                应到 {s.details.entitled} 人，实到 {s.details.present} 人，赞成 {s.details.inFavour} 人
              </Text>
            ) : null}
            {s.details.noticeEndsOn ? <Text className='dj-dev__line'>公示至 {formatDateCn(s.details.noticeEndsOn)}（5个工作日）</Text> : null}
            {s.details.rosterStatus ? <Text className='dj-dev__line'>花名册党籍状态：{MEMBER_STATUS_LABELS[s.details.rosterStatus]}</Text> : null}
            {s.late ? <Text className='dj-dev__warn'>晚于规定期限</Text> : null}
          </View>
        ))}
      </Card>
    </>
  )
}
