import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import type { MeResponse } from '@shared/auth'
import { getTargets, honorRoll, type HonorRollEntry, COMMENDATION_LEVEL_LABELS } from '@shared/commendations'
import { api, errorMessage, useApi } from '@/api'
import { isOfficer } from '@/auth/session'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { formatDateCn } from '@/utils/format'
import { downloadFile } from '@/api/download'
import { ProgressList } from '../shared/ProgressList'
import { COMMENDATION_ROUTES } from '../shared/routes'
import '../shared/commendations.scss'
import '@/components/form/FormBoxes.scss'

function HonorItem({ entry, editable }: { entry: HonorRollEntry; editable: boolean }) {
  return (
    <View className='dj-honor__item' data-testid='honor-entry'>
      <View className='dj-honor__item-head'>
        <Text className='dj-honor__name' data-testid='honor-name'>
          {entry.subjectName}
        </Text>
        <Text className='dj-honor__level'>{COMMENDATION_LEVEL_LABELS[entry.level]}</Text>
      </View>
      <Text className='dj-honor__title'>{entry.title}</Text>
      <Text className='dj-honor__meta'>
        {entry.subject === 'member' ? `${entry.organizationName} · ` : ''}
        {formatDateCn(entry.awardedOn)} · {entry.issuedBy}
      </Text>
      {entry.campaignName ? <Text className='dj-honor__meta'>{entry.campaignName}</Text> : null}
      {entry.citation ? <Text className='dj-honor__citation'>{entry.citation}</Text> : null}
      {editable ? (
        <View
          className='dj-honor__edit'
          hoverClass='dj-form__choice--on'
          onClick={() => void Taro.navigateTo({ url: `${COMMENDATION_ROUTES.form}?id=${entry.id}` })}
        >
          <Text>修改或撤销 ›</Text>
        </View>
      ) : null}
    </View>
  )
}

function HonorRoll({ me }: { me: MeResponse }) {
  // The server's clock decides the current year (null = current); the buttons offer it and the one before.
  const [year, setYear] = useState<number | null>(null)
  const [currentYear, setCurrentYear] = useState<number | null>(null)
  const officer = isOfficer(me.account.role)
  const staff = me.account.role === 'staff'
  const roll = useApi(async () => {
    const result = await api(honorRoll, { query: year == null ? {} : { year } })
    if (year == null) setCurrentYear(result.year)
    return result
  }, [year])
  const shownYear = year ?? currentYear
  const targets = useApi(
    () => (officer ? api(getTargets, { query: shownYear == null ? {} : { year: shownYear } }) : Promise.resolve(null)),
    [officer, shownYear],
  )
  const [exporting, setExporting] = useState(false)

  // Coming back from the form: show what was just recorded.
  useReloadOnShow(() => Promise.all([roll.reload(), targets.reload()]))

  const serverYear = roll.data?.year ?? shownYear ?? 0

  async function exportYear() {
    setExporting(true)
    try {
      await downloadFile(`/api/commendations/export?year=${serverYear}`, `${serverYear}年度表彰名单.xlsx`)
    } catch (e) {
      void Taro.showModal({ title: '导出失败', content: errorMessage(e), showCancel: false, confirmColor: '#C8161D' })
    } finally {
      setExporting(false)
    }
  }

  return (
    <View data-testid='honor-roll'>
      <View className='dj-honor__banner'>
        <Text className='dj-honor__banner-title'>光荣榜</Text>
        <Text className='dj-honor__banner-sub'>红旗飘飘，榜样在身边</Text>
        {currentYear != null ? (
          <View className='dj-honor__years'>
            {[currentYear, currentYear - 1].map((y) => (
              <View
                key={y}
                className={`dj-honor__year ${y === shownYear ? 'dj-honor__year--active' : ''}`}
                data-testid='honor-year'
                onClick={() => setYear(y === currentYear ? null : y)}
              >
                <Text>{y}年度</Text>
              </View>
            ))}
          </View>
        ) : null}
      </View>

      {staff ? (
        <View className='dj-honor__actions'>
          <View className='dj-honor__action'>
            <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: COMMENDATION_ROUTES.form })}>
              录入表彰
            </Button>
          </View>
          <View className='dj-honor__action'>
            <Button size='large' block onClick={() => void Taro.navigateTo({ url: COMMENDATION_ROUTES.targets })}>
              目标与活动
            </Button>
          </View>
          <View className='dj-honor__action'>
            <Button size='large' block loading={exporting} disabled={exporting} onClick={() => void exportYear()}>
              导出Excel
            </Button>
          </View>
        </View>
      ) : null}

      {officer && targets.data ? (
        <Card title={`${targets.data.year}年度表彰目标完成情况`} accent testId='targets-card'>
          <ProgressList targets={targets.data.targets} />
        </Card>
      ) : null}

      <AsyncContent
        state={roll}
        loadingText='正在加载光荣榜…'
        isEmpty={(d) => d.entries.length === 0}
        empty={<EmptyState title={`${serverYear}年度暂无表彰`} description='党委表彰后会在这里公布。' />}
      >
        {(data) => (
          <View>
            {data.entries.map((entry) => (
              <HonorItem key={entry.id} entry={entry} editable={staff} />
            ))}
          </View>
        )}
      </AsyncContent>
    </View>
  )
}

export default function HonorRollPage() {
  return (
    <SignedInPage>
      {(me) => <HonorRoll me={me} />}
    </SignedInPage>
  )
}
