import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { listCommendations, COMMENDATION_LEVEL_LABELS } from '@shared/commendations/records'
import { api, useApi } from '@/api'
import { Card } from '@/components/Card'
import { ROUTES } from '@/routes'
import { formatDateCn } from '@/utils/format'
import './MyHonors.scss'

/** 我的荣誉 on the profile: the member's own commendations, newest first; tap through to the honor roll. */
export function MyHonors({ memberId }: { memberId: number }) {
  const state = useApi(() => api(listCommendations, { query: { memberId } }), [memberId])
  // The profile is a tab page and stays mounted: refresh when it is shown again.
  useReloadOnShow(state.reload)
  const list = state.data?.commendations ?? []
  return (
    <Card
      title='我的荣誉'
      testId='my-honors'
      extra={
        <Text className='dj-honors__link' onClick={() => void Taro.navigateTo({ url: ROUTES.commendations })}>
          光荣榜 ›
        </Text>
      }
    >
      {state.error ? (
        <View className='dj-honors__line'>
          <Text>{state.error}</Text>
          <Text className='dj-honors__link' onClick={() => void state.reload()}>
             重新加载
          </Text>
        </View>
      ) : state.data === undefined ? (
        <Text>正在加载…</Text>
      ) : list.length === 0 ? (
        <Text>暂无表彰记录</Text>
      ) : (
        list.map((c) => (
          <View key={c.id} className='dj-honors__item' data-testid='my-honor'>
            <Text className='dj-honors__title'>{c.title}</Text>
            <Text className='dj-honors__meta'>
              {COMMENDATION_LEVEL_LABELS[c.level]} · {formatDateCn(c.awardedOn)} · {c.issuedBy}
            </Text>
          </View>
        ))
      )}
    </Card>
  )
}
