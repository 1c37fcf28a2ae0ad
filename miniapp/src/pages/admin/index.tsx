import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { MeResponse } from '@shared/auth'
import { ROLE_LABELS } from '@shared/common'
import { Dashboard } from '@/components/dashboard/Dashboard'
import { SignedInPage } from '@/components/SignedInPage'
import { ADMIN_ENTRIES } from './entries'
import './index.scss'

function AdminHome({ me }: { me: MeResponse }) {
  const entries = ADMIN_ENTRIES.filter((entry) => entry.roles.includes(me.account.role))
  const scope = me.account.organization?.name ?? '本组织'
  return (
    <View data-testid='admin-home'>
      <View className='dj-admin__head'>
        <Text className='dj-admin__scope'>{scope}</Text>
        <Text className='dj-admin__role'>{ROLE_LABELS[me.account.role]}</Text>
      </View>
      <Dashboard />
      <View className='dj-admin__grid'>
        {entries.map((entry) => (
          <View
            key={entry.url}
            className='dj-admin__tile'
            data-testid='admin-entry'
            hoverClass='dj-admin__tile--pressed'
            onClick={() => void Taro.navigateTo({ url: entry.url })}
          >
            <View className='dj-admin__mark'>
              <Text>{entry.mark}</Text>
            </View>
            <Text className='dj-admin__title'>{entry.title}</Text>
            <Text className='dj-admin__desc'>{entry.description}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}

export default function AdminPage() {
  return (
    <SignedInPage gate='officer'>
      {(me) => <AdminHome me={me} />}
    </SignedInPage>
  )
}
