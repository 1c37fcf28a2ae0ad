import { View, Text } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { errorMessage } from '@/api/errors'
import { loginWithWechat } from '@/auth/session'
import { Button } from '@/ui/nutui'

/**
 * Signs in with the WeChat account as soon as the page opens (no typing for
 * older members); on failure, shows why and a big retry button. Each attempt
 * asks for a fresh wx.login code: codes are single use.
 */
export function WechatLogin() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const signIn = async () => {
    setBusy(true)
    setError(null)
    try {
      await loginWithWechat()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  useEffect(() => {
    void signIn()
  }, [])

  return (
    <View>
      <Text className='dj-login__hint'>使用本微信账号登录。首次使用需登记党员信息，经支部审核后即可使用全部功能。</Text>
      {error ? <Text className='dj-login__error'>{error}</Text> : null}
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void signIn()}>
        {busy ? '正在登录…' : '微信一键登录'}
      </Button>
    </View>
  )
}
