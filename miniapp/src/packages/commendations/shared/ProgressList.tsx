import { View, Text } from '@tarojs/components'
import type { TargetProgress } from '@shared/commendations'
import './commendations.scss'
import { COMMENDATION_CATEGORY_LABELS } from '@shared/commendations'

/** One bar per category: achieved against the year's target. */
export function ProgressList({ targets }: { targets: readonly TargetProgress[] }) {
  return (
    <View>
      {targets.map((t) => (
        <View key={t.category} className='dj-progress' data-testid='target-progress' data-category={t.category}>
          <View className='dj-progress__row'>
            <Text>{COMMENDATION_CATEGORY_LABELS[t.category]}</Text>
            <Text data-testid='target-figure'>
              {t.target == null ? `已表彰 ${t.achieved}${t.unit}（未设目标）` : `${t.achieved} / ${t.target}${t.unit}`}
            </Text>
          </View>
          <View className='dj-progress__track'>
            <View
              className={`dj-progress__fill ${t.percent != null && t.percent >= 100 ? 'dj-progress__fill--done' : ''}`}
              style={{ width: `${t.percent ?? 0}%` }}
            />
          </View>
        </View>
      ))}
    </View>
  )
}
