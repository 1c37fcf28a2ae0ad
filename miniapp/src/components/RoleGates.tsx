import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { MeResponse } from '@shared/auth'
import { allowed } from '@shared/http'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import { Card } from './Card'
import './RoleGates.scss'

/** What an applicant (signed in, not yet a registered member) sees instead of member pages. */
export function UnregisteredCard() {
  return (
    <Card title='您尚未登记为党员' accent testId='unregistered-card'>
      <Text className='dj-gate__text'>
        登记并经支部审核通过后，即可使用学习打卡、查看个人档案等功能。请先填写党员信息登记表。
      </Text>
      <View className='dj-gate__action'>
        <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: ROUTES.memberRegister })}>
          去登记
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
