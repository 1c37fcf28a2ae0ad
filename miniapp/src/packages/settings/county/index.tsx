/** 县级默认设置: county staff set the defaults every township follows unless it chose its own. */
import { View, Text } from '@tarojs/components'
import type { MeResponse } from '@shared/auth'
import { getCountySettings, putCountySettings } from '@shared/settings'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { ErrorState } from '@/components/StateViews'
import { SettingsForm } from '../shared/SettingsForm'
import '../shared/settings.scss'

function CountySettings({ me }: { me: MeResponse }) {
  const state = useApi(() => api(getCountySettings), [])
  if (me.account.role !== 'county') return <ErrorState message='县级默认设置仅限县委组织部修改' />
  return (
    <AsyncContent state={state} loadingText='正在加载县级默认设置…'>
      {(data) => (
        <View data-testid='county-settings'>
          <Card title={data.organizationName} accent>
            <Text className='dj-settings__explain'>这里是全县的默认设置。各乡镇没有自行设置的项，都按这里执行；乡镇自己设置过的，以乡镇为准。</Text>
          </Card>
          <SettingsForm data={data} onSave={(own, idempotencyKey) => api(putCountySettings, { body: own, idempotencyKey })} />
        </View>
      )}
    </AsyncContent>
  )
}

export default function CountySettingsPage() {
  return <SignedInPage gate='officer'>{(me) => <CountySettings me={me} />}</SignedInPage>
}
