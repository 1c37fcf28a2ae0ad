/** 各支部组织生活: which branches have items overdue or due soon, in the branches' fixed order (never ranked). */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { DUE_KIND_LABELS, townshipOutstanding } from '@shared/orglife'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { ORGLIFE_ROUTES } from '../shared/format'
import '../shared/orglife.scss'

function TownshipPage() {
  const state = useApi(() => api(townshipOutstanding, { query: {} }), [])
  return (
    <AsyncContent state={state}>
      {(d) => (
        <View data-testid='orglife-township'>
          <Text className='dj-ol__hint'>按支部顺序排列。点支部查看全年日历。</Text>
          {d.branches.map((b) => (
            <Card key={b.organizationId} title={b.name} testId='branch-outstanding'>
              <View onClick={() => void Taro.navigateTo({ url: `${ORGLIFE_ROUTES.calendar}?organizationId=${b.organizationId}` })}>
                {b.overdue.length === 0 && b.dueSoon.length === 0 ? <Text className='dj-ol__hint'>没有逾期或即将到期的事项。</Text> : null}
                {b.overdue.length > 0 ? (
                  <Text className='dj-ol__line'>已逾期：{b.overdue.map((i) => `${i.periodLabel}${DUE_KIND_LABELS[i.kind]}`).join('、')}</Text>
                ) : null}
                {b.dueSoon.length > 0 ? <Text className='dj-ol__line'>即将到期：{b.dueSoon.map((i) => DUE_KIND_LABELS[i.kind]).join('、')}</Text> : null}
                {b.untalkedCount > 0 ? <Text className='dj-ol__hint'>今年还有 {b.untalkedCount} 名党员未谈心谈话</Text> : null}
              </View>
            </Card>
          ))}
        </View>
      )}
    </AsyncContent>
  )
}

export default function Page() {
  return <SignedInPage gate='officer'>{() => <TownshipPage />}</SignedInPage>
}
