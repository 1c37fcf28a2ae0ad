/**
 * 组织生活 on the township dashboard: per branch, in the branches' fixed order, this quarter's
 * items asked, done and overdue, the meetings recorded this year, and how many members have reached
 * their yearly 学时. All derived from the records (GET /api/orglife/township); nothing typed, nothing ranked.
 */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { townshipOutstanding } from '@shared/orglife'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { ROUTES } from '@/routes'

export function OrglifeFigures() {
  const state = useApi(() => api(townshipOutstanding, { query: {} }), [])
  return (
    <Card title='组织生活（按支部顺序）' testId='orglife-figures'>
      <AsyncContent state={state} isEmpty={(d) => d.branches.length === 0} empty={<Text>还没有支部。</Text>}>
        {(d) => (
          <View>
            {d.branches.map((b) => (
              <View
                key={b.organizationId}
                data-testid='orglife-branch-figures'
                style={{ padding: '16px 0', borderBottom: '2px solid #f3eeee' }}
                onClick={() => void Taro.navigateTo({ url: `${ROUTES.orglifeCalendar}?organizationId=${b.organizationId}` })}
              >
                <Text style={{ display: 'block', fontSize: '32px', fontWeight: 600 }}>{b.name}</Text>
                <Text style={{ display: 'block', fontSize: '30px' }} data-testid='orglife-quarter'>
                  本季度应开 {b.quarter.due} 项，已完成 {b.quarter.done} 项{b.quarter.overdue > 0 ? `，逾期 ${b.quarter.overdue} 项` : ''}
                </Text>
                <Text style={{ display: 'block', fontSize: '30px' }}>
                  {d.year}年已开会 {b.meetingsHeld} 次；学时达到年度要求 {b.study.met}/{b.study.members} 人
                </Text>
              </View>
            ))}
          </View>
        )}
      </AsyncContent>
    </Card>
  )
}
