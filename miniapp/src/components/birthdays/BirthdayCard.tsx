import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { myBirthday, type MyBirthday } from '@shared/birthdays'
import { api, useApi } from '@/api'
import { OfflineNote } from '@/components/offline/QueuedWrites'
import { readThrough } from '@/offline'
import { Card } from '@/components/Card'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import { formatDateCn } from '@/utils/format'
import './BirthdayCard.scss'

const openSignIn = () => void Taro.navigateTo({ url: ROUTES.birthdaySignIn })

function Standing({ data }: { data: MyBirthday }) {
  return (
    <View className='dj-bday-card__facts'>
      <View className='dj-bday-card__fact'>
        <Text className='dj-bday-card__fact-value'>{data.yearsSinceJoining}年</Text>
        <Text className='dj-bday-card__fact-label'>入党</Text>
      </View>
      <View className='dj-bday-card__fact'>
        <Text className='dj-bday-card__fact-value'>{data.partyStandingYears === null ? '预备期' : `${data.partyStandingYears}年`}</Text>
        <Text className='dj-bday-card__fact-label'>党龄</Text>
      </View>
      <View className='dj-bday-card__fact'>
        <Text className='dj-bday-card__fact-value'>{data.signIns.length}次</Text>
        <Text className='dj-bday-card__fact-label'>已过政治生日</Text>
      </View>
    </View>
  )
}

function CardBody({ data }: { data: MyBirthday }) {
  const open = data.open
  if (open) {
    return (
      <View>
        <View className='dj-bday-card__banner' data-testid='birthday-banner'>
          <Text className='dj-bday-card__banner-title'>
            {data.isToday ? `今天是您的政治生日 · 入党${open.years}周年` : `本月是您的政治生日月 · 入党${open.years}周年`}
          </Text>
          <Text className='dj-bday-card__banner-sub'>
            {data.isToday ? '祝您政治生日快乐！不忘初心，牢记使命。' : `${formatDateCn(open.anniversary)}是您的政治生日`}
          </Text>
        </View>
        <Standing data={data} />
        <View className='dj-bday-card__action'>
          {data.signedInThisWindow ? (
            <Button type='primary' fill='outline' size='large' block onClick={openSignIn}>
              今年已签到 · 查看记录
            </Button>
          ) : (
            <Button type='primary' size='large' block onClick={openSignIn}>
              重温入党誓词并签到
            </Button>
          )}
        </View>
      </View>
    )
  }
  return (
    <View>
      <Text className='dj-bday-card__next' data-testid='birthday-next'>
        下一个政治生日：{formatDateCn(data.next.anniversary)}（入党{data.next.years}周年），还有{data.daysUntilNext}天
      </Text>
      <Standing data={data} />
      <View className='dj-bday-card__action'>
        <Button type='primary' fill='outline' size='large' block onClick={openSignIn}>
          重温入党誓词 · 历年感言
        </Button>
      </View>
    </View>
  )
}

/** 首页's 政治生日 card: the greeting and banner in the window, otherwise the next one, 党龄 and history. */
export function BirthdayCard() {
  const state = useApi(() => readThrough('birthday', () => api(myBirthday)), [])
  // 首页 is a tab page and stays mounted: refresh after coming back from signing in.
  useReloadOnShow(state.reload)
  return (
    <Card title='政治生日' accent={Boolean(state.data?.open)} testId='political-birthday'>
      {state.error ? (
        <View className='dj-bday-card__line'>
          <Text>{state.error}</Text>
          <Text className='dj-bday-card__link' onClick={() => void state.reload()}>
            重新加载
          </Text>
        </View>
      ) : state.data === undefined ? (
        <Text>正在加载…</Text>
      ) : (
        <>
          <OfflineNote savedAt={state.data.offlineSavedAt} />
          <CardBody data={state.data} />
        </>
      )}
    </Card>
  )
}
