/**
 * The secretary's 组织生活 calendar: this month's and quarter's items and
 * anything overdue first (due / done / overdue / 即将到期), then the whole year,
 * members nobody has talked with yet, and the 学时 care list in the last quarter.
 */
import Taro, { useRouter } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { calendar, DUE_KIND_LABELS, DUE_STATUS_LABELS, type DueItemView } from '@shared/orglife'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { Button } from '@/ui/nutui'
import { chineseDay, ORGLIFE_ROUTES } from '../shared/format'
import '../shared/orglife.scss'

function ItemRow({ item }: { item: DueItemView }) {
  return (
    <View className='dj-ol__row' data-testid='due-item' data-kind={item.kind} data-status={item.status}>
      <View className='dj-ol__name'>
        <Text>{DUE_KIND_LABELS[item.kind]}</Text>
        <Text className='dj-ol__hint'>
          {item.periodLabel}
          {item.plannedDay ? ` · 固定日 ${chineseDay(item.plannedDay)}${item.restDay === 'weekend' ? '（周末）' : item.restDay === 'holiday' ? '（节假日）' : ''}` : ''}
        </Text>
      </View>
      <Text className={`dj-ol__status dj-ol__status--${item.status}`}>{DUE_STATUS_LABELS[item.status]}</Text>
    </View>
  )
}

function CalendarPage() {
  const organizationId = useRouter().params.organizationId
  const state = useApi(() => api(calendar, { query: organizationId ? { organizationId } : {} }), [organizationId])
  useReloadOnShow(state.reload)
  return (
    <AsyncContent state={state}>
      {(data) => (
        <View data-testid='orglife-calendar'>
          <Card accent title={`${data.organization.name} · 本期事项`} testId='current-items'>
            <Text className='dj-ol__hint'>今天 {chineseDay(data.today)}。每月主题党日固定在{data.partyDayOfMonth}日。</Text>
            {data.current.length === 0 ? <Text className='dj-ol__hint'>本期没有待办事项。</Text> : data.current.map((i) => <ItemRow key={`${i.kind}-${i.periodKey}`} item={i} />)}
            <Button
              type='primary'
              size='large'
              block
              onClick={() => void Taro.navigateTo({ url: `${ORGLIFE_ROUTES.meetingForm}${organizationId ? `?organizationId=${organizationId}` : ''}` })}
            >
              记录一次会议
            </Button>
          </Card>
          <Card title={`今年还未谈心谈话（${data.untalked.length}人）`} testId='untalked'>
            {data.untalked.length === 0 ? <Text className='dj-ol__hint'>今年每名党员都已谈过话。</Text> : <Text className='dj-ol__line'>{data.untalked.map((m) => m.name).join('、')}</Text>}
          </Card>
          {data.studyCareOpen && data.studyCare.length > 0 ? (
            <Card title='学时未达年度要求（请关心帮助）' testId='study-care'>
              {data.studyCare.map((m) => (
                <View key={m.memberId} className='dj-ol__row'>
                  <Text className='dj-ol__name'>{m.name}</Text>
                  <Text className='dj-ol__hint'>{m.hours} / {m.required} 学时</Text>
                </View>
              ))}
            </Card>
          ) : null}
          <Card title={`${data.year}年全部事项`} testId='year-items'>
            {data.items.map((i) => (
              <ItemRow key={`${i.kind}-${i.periodKey}`} item={i} />
            ))}
          </Card>
        </View>
      )}
    </AsyncContent>
  )
}

export default function Page() {
  return <SignedInPage gate='officer'>{() => <CalendarPage />}</SignedInPage>
}
