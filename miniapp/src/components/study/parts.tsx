/** Pieces the study page's cards share: the page's data, one Idempotency-Key per action, an action's outcome, the 五学 chips. */
import { View } from '@tarojs/components'
import { useRef, useState } from 'react'
import { myStudy, studyWays, type StudyWay, STUDY_WAY_LABELS } from '@shared/study'
import { api, errorMessage, newIdempotencyKey } from '@/api'

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

export interface Outcome {
  text: string
  ok: boolean
}

/**
 * A study action's busy flag and its one-line outcome: `run(send)` shows the
 * success text `send` returns (or the error in words), then refreshes the page.
 */
export function useOutcome(onChanged: () => Promise<void>) {
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<Outcome | null>(null)
  const run = async (send: () => Promise<string>) => {
    setBusy(true)
    setMessage(null)
    try {
      setMessage({ text: await send(), ok: true })
      await onChanged()
    } catch (e) {
      setMessage({ text: errorMessage(e), ok: false })
    } finally {
      setBusy(false)
    }
  }
  return { busy, message, setMessage, run }
}

export function WayChoices({ value, onChange }: { value: StudyWay; onChange: (w: StudyWay) => void }) {
  return (
    <View className='dj-study__chips'>
      {studyWays.map((way) => (
        <View key={way} className={`dj-study__chip ${value === way ? 'dj-study__chip--on' : ''}`} onClick={() => onChange(way)}>
          {STUDY_WAY_LABELS[way]}
        </View>
      ))}
    </View>
  )
}
