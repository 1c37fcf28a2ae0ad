/** The 光荣在党50年 line of a member's profile: shown once the medal has been presented. */
import { View, Text } from '@tarojs/components'
import { memberMedal } from '@shared/medals'
import { api, useApi } from '@/api'
import { formatDateCn } from '@/utils/format'
import './MyHonors.scss'

export function MedalLine({ memberId }: { memberId: number }) {
  const state = useApi(() => api(memberMedal, { params: { id: memberId } }), [memberId])
  const award = state.data?.award
  if (!award) return null
  return (
    <View className='dj-honors__line' data-testid='profile-medal'>
      <Text>
        “光荣在党50年”纪念章：{formatDateCn(award.awardedOn)}颁发（{award.presentedBy}）
      </Text>
    </View>
  )
}
