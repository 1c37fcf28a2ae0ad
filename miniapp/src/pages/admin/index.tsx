import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { MeResponse } from '@shared/auth'
import { ROLE_LABELS, type Role } from '@shared/common'
import { Dashboard } from '@/components/dashboard/Dashboard'
import { SignedInPage } from '@/components/SignedInPage'
import { ADMIN_ENTRIES } from './entries'
import './index.scss'

/** The 管理 entries the role may open. */
function Entries({ role }: { role: Role }) {
  const entries = ADMIN_ENTRIES.filter((entry) => entry.roles.includes(role))
  return (
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
  )
}

function AdminHome({ me }: { me: MeResponse }) {
  const scope = me.account.organization?.name ?? '本组织'
  return (
    <View data-testid='admin-home'>
      <View className='dj-admin__head'>
        <Text className='dj-admin__scope'>{scope}</Text>
        <Text className='dj-admin__role'>{ROLE_LABELS[me.account.role]}</Text>
      </View>
      {/* The work first: what waits (待审核, 转接待办) and the entries, then the charts. */}
      <Dashboard work={<Entries role={me.account.role} />} />
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
