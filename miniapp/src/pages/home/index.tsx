import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { MeResponse } from '@shared/auth'
import { ROLE_LABELS } from '@shared/common'
import { BirthdayCard } from '@/components/birthdays/BirthdayCard'
import { Card } from '@/components/Card'
import { UnregisteredCard } from '@/components/RoleGates'
import { SignedInPage } from '@/components/SignedInPage'
import { TodayStudyCard } from '@/components/study/TodayStudyCard'
import { isOfficer } from '@/auth/session'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import { greeting, shanghaiHour } from '@/utils/format'
import './index.scss'

function Greeting({ me }: { me: MeResponse }) {
  const name = me.member?.name ?? me.account.displayName
  const branch = me.member?.organizationName ?? me.account.organization?.name ?? '未分配组织'
  return (
    <View className='dj-home__hero' data-testid='greeting'>
      <Text className='dj-home__hello'>
        {greeting(shanghaiHour(new Date()))}，{name}
      </Text>
      <Text className='dj-home__branch'>
        {branch} · {ROLE_LABELS[me.account.role]}
      </Text>
    </View>
  )
}

function HomeContent({ me }: { me: MeResponse }) {
  if (me.account.role === 'applicant') {
    return (
      <>
        <Greeting me={me} />
        <UnregisteredCard />
      </>
    )
  }
  return (
    <>
      <Greeting me={me} />
      {/* Study and the political birthday are a member's own: an officer's account without a member file (county
          staff, a newly invited secretary) has neither, so it does not ask for them. */}
      {me.member ? (
        <>
          <TodayStudyCard />
          {/* 政治生日: greeting and sign-in during the anniversary's window, otherwise the next one. */}
          <BirthdayCard />
        </>
      ) : null}
      {isOfficer(me.account.role) ? (
        <Card title={me.account.role === 'county' ? '全县工作' : '支部工作'} testId='officer-shortcut'>
          <Text className='dj-home__text'>
            {me.account.role === 'county' ? '查看各乡镇情况、开通乡镇、维护县级设置，请进入“管理”。' : '审核登记、查看花名册和组织学习，请进入“管理”。'}
          </Text>
          <View className='dj-home__action'>
            <Button type='primary' fill='outline' size='large' block onClick={() => void Taro.switchTab({ url: ROUTES.admin })}>
              进入管理
            </Button>
          </View>
        </Card>
      ) : null}
    </>
  )
}

export default function HomePage() {
  return (
    <SignedInPage>
      {(me) => <HomeContent me={me} />}
    </SignedInPage>
  )
}
