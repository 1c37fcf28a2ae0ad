/**
 * While the timer page is open it confirms, every few minutes and whenever the
 * page is shown again, that the member is still there (shared/study-timer.ts).
 * A confirmation that comes too late closes the session at the last one; the
 * page is told so. Presence is the member's own: nobody else ever sees it.
 */
import { useDidShow } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'
import { confirmPresence, PRESENCE_INTERVAL_SECONDS } from '@shared/study-timer'
import type { ResponseOf } from '@shared/http'
import { api } from '@/api'

export type PresenceAnswer = ResponseOf<typeof confirmPresence>

export function usePresence(sessionId: number | null, onClosed: (answer: PresenceAnswer) => void) {
  const [creditEndsAt, setCreditEndsAt] = useState<string | null>(null)
  const closed = useRef(onClosed)
  closed.current = onClosed
  const confirm = useRef<() => Promise<void>>(async () => {})

  useEffect(() => {
    if (sessionId == null) return
    let stopped = false
    confirm.current = async () => {
      try {
        const answer = await api(confirmPresence, { params: { id: sessionId }, body: {} })
        if (stopped) return
        if (answer.session.status === 'open') setCreditEndsAt(answer.session.creditEndsAt)
        else closed.current(answer)
      } catch {
        // Offline for a moment: the next confirmation tries again, and the grace covers one missed.
      }
    }
    void confirm.current()
    const id = setInterval(() => void confirm.current(), PRESENCE_INTERVAL_SECONDS * 1000)
    return () => {
      stopped = true
      clearInterval(id)
      confirm.current = async () => {}
    }
  }, [sessionId])

  useDidShow(() => {
    void confirm.current()
  })

  return { creditEndsAt }
}
