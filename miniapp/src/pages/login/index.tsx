import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { ROUTES } from '@/routes'
import { PageShell } from '@/components/PageShell'
import { DemoLogin } from './DemoLogin'
import { WechatLogin } from './WechatLogin'
import './index.scss'

/**
 * In WeChat: sign in with the WeChat account. In the H5 build (development,
 * demos, browser tests): pick a seeded demo account. `process.env.TARO_ENV`
 * and DEMO_LOGIN_ENABLED are build-time constants, so the other branch is
 * dropped from each bundle.
 */
export default function LoginPage() {
  return (
    <PageShell className='dj-login'>
      <View className='dj-login__brand'>
        <View className='dj-login__emblem'>
          <Text>党</Text>
        </View>
        <Text className='dj-login__title'>智慧党建</Text>
        <Text className='dj-login__subtitle'>乡镇党委 · 村党支部</Text>
      </View>
      {process.env.TARO_ENV === 'weapp' ? (
        <WechatLogin />
      ) : DEMO_LOGIN_ENABLED ? (
        <DemoLogin />
      ) : (
        <View className='dj-login__notice'>
          <Text>请在微信中搜索并打开本小程序登录。</Text>
        </View>
      )}
      <View className='dj-login__privacy' onClick={() => void Taro.navigateTo({ url: ROUTES.privacy })} data-testid='login-privacy'>
        <Text>《隐私保护指引》</Text>
      </View>
    </PageShell>
  )
}
