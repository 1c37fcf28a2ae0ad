/** The month calendar of study days, coloured by minutes (达标 at 60). */
import { View, Text } from '@tarojs/components'
import { addMonths } from '@shared/calendar'
import { calendarLevel } from '@shared/study'
import { Card } from '@/components/Card'

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日']

export function MonthCalendar({ month, days, today, onMonth }: { month: string; days: { day: string; minutes: number }[]; today: string; onMonth: (m: string) => void }) {
  const byDay = new Map(days.map((d) => [d.day, d.minutes]))
  const [year, mon] = month.split('-').map(Number) as [number, number]
  const first = new Date(Date.UTC(year, mon - 1, 1))
  const offset = (first.getUTCDay() + 6) % 7 // Monday first
  const count = new Date(Date.UTC(year, mon, 0)).getUTCDate()
  const cells: (string | null)[] = [...Array<null>(offset).fill(null)]
  for (let d = 1; d <= count; d++) cells.push(`${month}-${String(d).padStart(2, '0')}`)
  const metDays = days.filter((d) => d.minutes >= 60).length
  return (
    <Card
      title={`${year}年${mon}月`}
      testId='study-calendar'
      extra={
        <View className='dj-study__month-nav'>
          <Text className='dj-study__month-btn' onClick={() => onMonth(addMonths(`${month}-01`, -1).slice(0, 7))}>‹ 上月</Text>
          {month < today.slice(0, 7) ? (
            <Text className='dj-study__month-btn' onClick={() => onMonth(addMonths(`${month}-01`, 1).slice(0, 7))}>下月 ›</Text>
          ) : null}
        </View>
      }
    >
      <View className='dj-study__cal'>
        {WEEKDAYS.map((w) => (
          <Text key={w} className='dj-study__cal-head'>{w}</Text>
        ))}
        {cells.map((day, i) =>
          day ? (
            <View key={day} className={`dj-study__cal-day dj-study__cal-day--${calendarLevel(byDay.get(day) ?? 0)} ${day === today ? 'dj-study__cal-day--today' : ''}`}>
              <Text>{Number(day.slice(8))}</Text>
            </View>
          ) : (
            <View key={`blank-${i}`} className='dj-study__cal-day dj-study__cal-day--blank' />
          ),
        )}
      </View>
      <View className='dj-study__legend'>
        <Text>本月达标 {metDays} 天</Text>
        <View className='dj-study__legend-keys'>
          <View className='dj-study__cal-key dj-study__cal-day--1' /><Text>不足30分</Text>
          <View className='dj-study__cal-key dj-study__cal-day--2' /><Text>30分以上</Text>
          <View className='dj-study__cal-key dj-study__cal-day--3' /><Text>达标</Text>
        </View>
      </View>
    </Card>
  )
}
