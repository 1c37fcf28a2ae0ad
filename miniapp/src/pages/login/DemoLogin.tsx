import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { devAccounts } from '@shared/auth'
import { ROLE_LABELS, type Role } from '@shared/common'
import { api, useApi } from '@/api'
import { errorMessage } from '@/api/errors'
import { loginAsDemo, type DevLoginRole } from '@/auth/session'
import { Button } from '@/ui/nutui'
import { ErrorState, LoadingState } from '@/components/StateViews'

/** Order of the groups on screen: officers first, as in the committee's own lists. */
const GROUP_ORDER: readonly Role[] = ['staff', 'secretary', 'member', 'applicant', 'county']

/**
 * Demo login for the H5 build: the seeded accounts from the (non-production)
 * server, grouped by role, plus a brand-new unregistered account.
 */
export function DemoLogin() {
  const accounts = useApi(() => api(devAccounts), [])
  const [busyKey, setBusyKey] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const signIn = async (key: string, role: DevLoginRole, accountId?: number) => {
    if (busyKey) return
    setBusyKey(key)
    setError(null)
    try {
      await loginAsDemo(role, accountId)
    } catch (e) {
      setError(errorMessage(e))
      setBusyKey(null)
    }
  }

  if (accounts.error) return <ErrorState message={accounts.error} onRetry={() => void accounts.reload()} />
  if (!accounts.data) return <LoadingState text='正在读取演示账号…' />

  const list = accounts.data.accounts
  return (
    <View data-testid='demo-login'>
      <Text className='dj-login__hint'>演示环境：选择一个账号登录（正式小程序使用微信登录）。</Text>
      {error ? <Text className='dj-login__error'>{error}</Text> : null}
      {GROUP_ORDER.map((role) => {
        const group = list.filter((a) => a.role === role)
        if (group.length === 0) return null
        return (
          <View key={role} className='dj-login__group' data-role={role}>
            <Text className='dj-login__group-title'>{ROLE_LABELS[role]}</Text>
            {group.map((account) => {
              const key = `account-${account.accountId}`
              return (
                <View
                  key={key}
                  className={`dj-login__account ${busyKey === key ? 'dj-login__account--busy' : ''}`}
                  data-account-id={String(account.accountId)}
                  onClick={() => void signIn(key, role, account.accountId)}
                >
                  <View className='dj-login__account-who'>
                    <Text className='dj-login__account-name'>{account.displayName}</Text>
                    {account.organizationName ? (
                      <Text className='dj-login__account-org'>{account.organizationName}</Text>
                    ) : null}
                  </View>
                  <Text className='dj-login__account-go'>{busyKey === key ? '登录中…' : '登录'}</Text>
                </View>
              )
            })}
          </View>
        )
      })}
      <Button
        type='primary'
        fill='outline'
        size='large'
        block
        loading={busyKey === 'applicant'}
        onClick={() => void signIn('applicant', 'applicant')}
      >
        新用户（未登记）
      </Button>
    </View>
  )
}
