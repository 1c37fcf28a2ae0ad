import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import type { MeResponse } from '@shared/auth'
import { MEDAL_STATE_LABELS } from '@shared/medals'
import { monthList, SIGN_IN_MODE_LABELS, type BranchBirthdayRow } from '@shared/birthdays'
import { addMonths, parseIsoMonth } from '@shared/calendar'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import '../shared/birthdays.scss'

function monthLabel(month: string): string {
  const p = parseIsoMonth(month)
  return p ? `${p.year}年${p.month}月` : month
}

const shiftMonth = (month: string, by: number) => addMonths(`${month}-01`, by).slice(0, 7)

function BirthdayRow({ row, showBranch }: { row: BranchBirthdayRow; showBranch: boolean }) {
  const [, m, d] = row.anniversary.split('-').map(Number)
  return (
    <View className={`dj-bday__row ${row.milestone ? 'dj-bday__row--milestone' : ''}`} data-testid='birthday-row' data-member-id={row.memberId}>
      <View className='dj-bday__row-head'>
        <Text className='dj-bday__name'>{row.name}</Text>
        <Text className={`dj-bday__tag ${row.signedIn ? 'dj-bday__tag--signed' : 'dj-bday__tag--unsigned'}`} data-testid='birthday-status'>
          {row.signedIn ? `已签到${row.mode ? `（${SIGN_IN_MODE_LABELS[row.mode]}）` : ''}` : '未签到'}
        </Text>
      </View>
      <Text className='dj-bday__meta'>
        {m}月{d}日 · 入党{row.years}周年 · 党龄{row.partyStandingYears === null ? '（预备期）' : `${row.partyStandingYears}年`}
        {showBranch ? ` · ${row.organizationName}` : ''}
      </Text>
      {row.milestone || row.medalEligible ? (
        <View className='dj-bday__tags'>
          {row.milestone ? <Text className='dj-bday__tag dj-bday__tag--milestone'>入党{row.years}周年 · 逢十纪念</Text> : null}
          {row.medalEligible ? (
            <Text className='dj-bday__tag dj-bday__tag--medal' data-testid='birthday-medal'>
              光荣在党50年{row.medal ? ` · ${MEDAL_STATE_LABELS[row.medal]}` : ''}
            </Text>
          ) : null}
        </View>
      ) : null}
    </View>
  )
}

function MonthList({ me }: { me: MeResponse }) {
  const [month, setMonth] = useState<string | undefined>(undefined)
  const state = useApi(() => api(monthList, { query: month ? { month } : {} }), [month])
  // Coming back from the ceremony form: show the new sign-ins.
  useReloadOnShow(state.reload)
  const shown = state.data?.month ?? month
  const isSecretary = me.account.role === 'secretary'
  const isStaff = me.account.role === 'staff'
  return (
    <View data-testid='birthday-month-list'>
      <View className='dj-bday__hero'>
        <Text className='dj-bday__hero-title'>{me.account.organization?.name ?? ''} · 政治生日</Text>
        <View className='dj-bday__months'>
          <Text className='dj-bday__month-btn' onClick={() => shown && setMonth(shiftMonth(shown, -1))}>
            ‹ 上月
          </Text>
          <Text className='dj-bday__month' data-testid='birthday-month'>
            {shown ? monthLabel(shown) : '本月'}
          </Text>
          <Text className='dj-bday__month-btn' onClick={() => shown && setMonth(shiftMonth(shown, 1))}>
            下月 ›
          </Text>
        </View>
      </View>
      <View className='dj-bday__actions'>
        {isSecretary ? (
          <View className='dj-bday__actions-row'>
            <Button
              type='primary'
              size='large'
              block
              onClick={() => void Taro.navigateTo({ url: `${ROUTES.birthdayCeremony}${shown ? `?month=${shown}` : ''}` })}
            >
              记录集体过政治生日
            </Button>
          </View>
        ) : null}
        {isStaff ? (
          <View className='dj-bday__actions-row'>
            <Button type='primary' fill='outline' size='large' block onClick={() => void Taro.navigateTo({ url: ROUTES.birthdayMedal })}>
              “光荣在党50年”名单
            </Button>
          </View>
        ) : null}
      </View>
      <AsyncContent
        state={state}
        loadingText='正在读取名单…'
        isEmpty={(data) => data.members.length === 0}
        empty={<EmptyState title={`${shown ? monthLabel(shown) : '本月'}没有党员过政治生日`} description='可切换到其他月份查看。' />}
      >
        {(data) => (
          <View>
            <View className='dj-bday__summary'>
              <View className='dj-bday__stat'>
                <Text className='dj-bday__stat-value'>{data.total}</Text>
                <Text className='dj-bday__stat-label'>过政治生日</Text>
              </View>
              <View className='dj-bday__stat'>
                <Text className='dj-bday__stat-value' data-testid='signed-count'>
                  {data.signed}
                </Text>
                <Text className='dj-bday__stat-label'>已签到</Text>
              </View>
              <View className='dj-bday__stat'>
                <Text className='dj-bday__stat-value'>{data.total - data.signed}</Text>
                <Text className='dj-bday__stat-label'>未签到</Text>
              </View>
            </View>
            {data.members.map((row) => (
              <BirthdayRow key={row.memberId} row={row} showBranch={isStaff} />
            ))}
          </View>
        )}
      </AsyncContent>
    </View>
  )
}

export default function Page() {
  return (
    <SignedInPage gate='officer'>
      {(me) => <MonthList me={me} />}
    </SignedInPage>
  )
}
