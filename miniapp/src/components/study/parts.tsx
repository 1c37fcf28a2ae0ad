/** Pieces the study page's cards share: the page's data, one Idempotency-Key per action, the 五学 chips. */
import { View } from '@tarojs/components'
import { useRef } from 'react'
import { myStudy, studyWays, type StudyWay } from '@shared/study'
import { api, newIdempotencyKey } from '@/api'

export type MyStudy = Awaited<ReturnType<typeof loadMyStudy>>
export const loadMyStudy = (month?: string) => api(myStudy, { query: month ? { month } : {} })

/**
 * One Idempotency-Key per user action: a retry of the same form (network
 * dropped, tapped again) reuses it, so the server records it once.
 */
export function useActionKey() {
  const last = useRef<{ body: string; key: string } | null>(null)
  return {
    keyFor(body: unknown): string {
      const text = JSON.stringify(body)
      if (last.current?.body !== text) last.current = { body: text, key: newIdempotencyKey() }
      return last.current.key
    },
    done() {
      last.current = null
    },
  }
}

export function WayChoices({ value, onChange }: { value: StudyWay; onChange: (w: StudyWay) => void }) {
  return (
    <View className='dj-study__chips'>
      {studyWays.map((way) => (
        <View key={way} className={`dj-study__chip ${value === way ? 'dj-study__chip--on' : ''}`} onClick={() => onChange(way)}>
          {way}
        </View>
      ))}
    </View>
  )
}
