import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { percent } from '@shared/common'
import { useApi } from '@/api'
import { OfflineNote } from '@/components/offline/QueuedWrites'
import { loadMyStudy } from './parts'
import { Card } from '@/components/Card'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import './TodayStudyCard.scss'

const goStudy = () => void Taro.switchTab({ url: ROUTES.study })

/** 首页's 今日学习 card: minutes toward today's hour, the streak, and a way into the 学习 tab. */
export function TodayStudyCard() {
  const state = useApi(() => loadMyStudy(), [])
  // 首页 stays mounted as a tab page: refresh when the member comes back from studying.
  useReloadOnShow(state.reload)
  const data = state.data
  const met = data ? data.todayMinutes >= data.targetMinutes : false
  return (
    <Card title='今日学习' accent testId='today-study'>
      {state.error ? (
        <View className='dj-today__line'>
          <Text>{state.error}</Text>
          <Text className='dj-today__link' onClick={() => void state.reload()}>
            重新加载
          </Text>
        </View>
      ) : data === undefined ? (
        <Text>正在加载…</Text>
      ) : (
        <View>
          <OfflineNote savedAt={data.offlineSavedAt} />
          <View className='dj-today__figures'>
            <Text className='dj-today__minutes' data-testid='today-minutes'>
              {data.todayMinutes}
            </Text>
            <Text className='dj-today__unit'>/ {data.targetMinutes} 分钟</Text>
            {met ? <Text className='dj-today__badge'>今日已达标</Text> : null}
          </View>
          <View className='dj-today__bar'>
            <View className='dj-today__fill' style={{ width: `${Math.min(100, percent(data.todayMinutes, data.targetMinutes) ?? 0)}%` }} />
          </View>
          <Text className='dj-today__sub'>
            {data.streakDays > 0 ? `已连续达标 ${data.streakDays} 天` : '每天学习1小时，今天开始连续达标'} · 今年累计{' '}
            {Math.round((data.yearMinutes / 60) * 10) / 10} 小时
          </Text>
          <View className='dj-today__action'>
            <Button type='primary' size='large' block onClick={goStudy}>
              {met ? '继续学习' : data.todayMinutes > 0 ? '接着学习' : '开始今天的学习'}
            </Button>
          </View>
        </View>
      )}
    </Card>
  )
}
