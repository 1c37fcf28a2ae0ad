/** Pieces the study page's cards share: the page's data, an action's outcome, the 五学 chips. */
import { View } from '@tarojs/components'
import { useState } from 'react'
import { myStudy, STUDY_WAY_PLAIN_LABELS, STUDY_WAY_PLAIN_ORDER, type StudyWay } from '@shared/study'
import { api, errorMessage } from '@/api'
import { noteServerTime, readThrough } from '@/offline'

export type MyStudy = Awaited<ReturnType<typeof loadMyStudy>>
/** The member's study; offline, the last one kept on the phone (`offlineSavedAt`). Each answer also syncs the clock queued writes claim by. */
export const loadMyStudy = (month?: string) =>
  readThrough(`study.${month ?? 'current'}`, async () => {
    const data = await api(myStudy, { query: month ? { month } : {} })
    noteServerTime(data.serverNow)
    return data
  })

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

/** Plain choices; the entry is recorded under the 五学 way each maps to (shared/study/rules.ts). */
export function WayChoices({ value, onChange }: { value: StudyWay; onChange: (w: StudyWay) => void }) {
  return (
    <View className='dj-study__chips' data-testid='way-choices'>
      {STUDY_WAY_PLAIN_ORDER.map((way) => (
        <View key={way} className={`dj-study__chip ${value === way ? 'dj-study__chip--on' : ''}`} data-way={way} onClick={() => onChange(way)}>
          {STUDY_WAY_PLAIN_LABELS[way]}
        </View>
      ))}
    </View>
  )
}
