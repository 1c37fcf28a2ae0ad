import { View, Text } from '@tarojs/components'
import type { StepWindowView } from '@shared/development'
import { formatDateCn } from '@/utils/format'

/** One step's window in plain words: from when, by when, and who does it. */
export function WindowLine({ w, testId }: { w: StepWindowView; testId?: string }) {
  return (
    <View className='dj-dev__window' data-testid={testId}>
      <Text className='dj-dev__line'>
        下一步：{w.label}（{w.actor === 'township' ? '镇党委办理' : '支部办理'}）
      </Text>
      <Text className='dj-dev__line' data-testid='window-earliest'>
        最早：{formatDateCn(w.earliest)}（{w.rule}）
      </Text>
      {w.latest ? <Text className={w.overdue ? 'dj-dev__warn' : 'dj-dev__line'}>最迟：{formatDateCn(w.latest)}{w.overdue ? '，已超期' : ''}</Text> : null}
      {w.hardLatest && w.hardLatest !== w.latest ? <Text className='dj-dev__line'>最晚不超过：{formatDateCn(w.hardLatest)}</Text> : null}
    </View>
  )
}

export function Warnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null
  return (
    <View data-testid='dev-warnings'>
      {warnings.map((w) => (
        <Text key={w} className='dj-dev__warn'>
          ⚠ {w}
        </Text>
      ))}
    </View>
  )
}
