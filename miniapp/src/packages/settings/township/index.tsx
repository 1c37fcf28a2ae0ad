/** 本镇设置: township staff change their township's own settings; whatever they leave follows the county's defaults. */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { MeResponse } from '@shared/auth'
import { getTownshipSettings, putTownshipSettings } from '@shared/settings'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { ErrorState } from '@/components/StateViews'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import { SettingsForm } from '../shared/SettingsForm'
import '../shared/settings.scss'

function TownshipSettings({ me }: { me: MeResponse }) {
  const state = useApi(() => api(getTownshipSettings, { query: {} }), [])
  if (me.account.role !== 'staff') return <ErrorState message='本镇设置仅限党委工作人员修改' />
  return (
    <AsyncContent state={state} loadingText='正在加载本镇设置…'>
      {(data) => (
        <View data-testid='township-settings'>
          <Card title={data.organizationName} accent>
            <Text className='dj-settings__explain'>标“县级默认”的项按县委组织部的统一设置执行；本镇改过的标“本镇设置”。选“沿用”或留空，就回到县级默认。</Text>
          </Card>
          <SettingsForm data={data} onSave={(own, idempotencyKey) => api(putTownshipSettings, { body: own, idempotencyKey })} />
          <Card title='年度目标'>
            <Text className='dj-settings__explain'>表彰和发展党员的年度目标在各自页面设置。</Text>
            <Button size='large' block onClick={() => void Taro.navigateTo({ url: ROUTES.commendationTargets })} data-testid='open-commendation-targets'>
              表彰年度目标
            </Button>
            <Button size='large' block onClick={() => void Taro.navigateTo({ url: ROUTES.developmentQueue })}>
              发展党员年度目标
            </Button>
          </Card>
        </View>
      )}
    </AsyncContent>
  )
}

export default function TownshipSettingsPage() {
  return <SignedInPage gate='officer'>{(me) => <TownshipSettings me={me} />}</SignedInPage>
}
