import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { MeResponse } from '@shared/auth'
import { allowed } from '@shared/http'
import { myRegistration } from '@shared/registrations'
import { api, useApi } from '@/api'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import { Card } from './Card'
import './RoleGates.scss'

/**
 * What an applicant (signed in, not yet a registered member) sees instead of
 * member pages: the state of their registration when they have sent one (it
 * waits for the named branch, or came back with a reason), the way to
 * register otherwise.
 */
export function UnregisteredCard() {
  const mine = useApi(() => api(myRegistration), [])
  // 首页 stays mounted: back from the registration form it must show what was just sent.
  useReloadOnShow(mine.reload)
  const r = mine.data?.registration
  const go = () => void Taro.navigateTo({ url: ROUTES.memberRegister })
  if (mine.loading && !mine.data) {
    return (
      <Card title='党员登记' accent testId='unregistered-card'>
        <Text className='dj-gate__text'>正在查询您的登记情况…</Text>
      </Card>
    )
  }
  if (r?.status === 'pending') {
    return (
      <Card title='登记已提交，等待支部审核' accent testId='registration-waiting'>
        <Text className='dj-gate__text'>
          您的党员信息登记已提交，正在等待「{r.organizationName}」审核。审核通过后即可使用学习、政治生日、个人档案等功能。
        </Text>
        <View className='dj-gate__action'>
          <Button type='primary' fill='outline' size='large' block onClick={go}>
            查看我的登记
          </Button>
        </View>
      </Card>
    )
  }
  if (r?.status === 'rejected') {
    return (
      <Card title='登记未通过审核' accent testId='registration-rejected'>
        <Text className='dj-gate__text'>「{r.organizationName}」退回了您的登记，请查看原因，修改后重新提交。</Text>
        <View className='dj-gate__action'>
          <Button type='primary' size='large' block onClick={go}>
            查看原因并修改
          </Button>
        </View>
      </Card>
    )
  }
  return (
    <Card title='您尚未登记为党员' accent testId='unregistered-card'>
      <Text className='dj-gate__text'>
        登记并经支部审核通过后，即可使用学习打卡、查看个人档案等功能。请先填写党员信息登记表。
      </Text>
      <View className='dj-gate__action'>
        <Button type='primary' size='large' block onClick={go}>
          去登记
        </Button>
      </View>
      <Text className='dj-gate__text'>支部书记、乡镇党委或县委组织部工作人员：请输入收到的邀请码。</Text>
      <View className='dj-gate__action'>
        <Button type='primary' fill='outline' size='large' block onClick={() => void Taro.navigateTo({ url: ROUTES.onboardingRedeem })} data-testid='enter-invitation'>
          我有邀请码
        </Button>
      </View>
    </Card>
  )
}

/** Member pages (`access: 'member'` routes): applicants get the registration card instead. */
export function RequireMember({ me, children }: { me: MeResponse; children: ReactNode }) {
  if (!allowed('member', me.account.role)) return <UnregisteredCard />
  return <>{children}</>
}

export const OFFICER_ONLY_MESSAGE = '仅支部书记和党委工作人员可用'

/** Management pages (`access: 'officer'` routes): only branch secretaries and committee staff. */
export function RequireOfficer({ me, children }: { me: MeResponse; children: ReactNode }) {
  if (allowed('officer', me.account.role)) return <>{children}</>
  return (
    <Card title='管理功能' testId='officer-only'>
      <View className='dj-gate__lock' aria-hidden>
        <View className='dj-gate__lock-shape' />
      </View>
      <Text className='dj-gate__text dj-gate__text--center'>{OFFICER_ONLY_MESSAGE}</Text>
      <Text className='dj-gate__hint'>如需办理组织关系转接、查询学习情况，请联系所在支部书记。</Text>
    </Card>
  )
}
