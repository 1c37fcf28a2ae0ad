import { useState } from 'react'

/** What is wrong with each field now (a Chinese message), or nothing. Order matters: the first is shown first. */
export type Problems = Record<string, string | null | undefined | false>

export interface LiveCheck {
  /** The field's problem, once a submit was tried; it goes as soon as the field is right. */
  of: (field: string) => string | null
  /** The first problem left (once tried), else a refused save's message: for forms with one message line. */
  banner: string | null
  /** For forms showing each message under its field: 还有 N 项需要修改 and the first (once tried), else a refused save's message. */
  summary: string | null
  /** A refused save's message (the server's), while the form is as it was sent. */
  failed: string | null
  /** On submit: marks the form as tried and says whether nothing is left to fix. */
  ready: () => boolean
  fail: (message: string | null) => void
}

/**
 * A form's checks, run at every render from what is typed now. Nothing shows
 * before the first submit; after it, each message follows its field (no
 * second tap on 保存 to see that a date is now right). A refused save's
 * message goes once anything in `inputs` (what was sent) is changed.
 */
export function useLiveCheck(problems: Problems, inputs: unknown = null): LiveCheck {
  const [tried, setTried] = useState(false)
  const [refusal, setRefusal] = useState<{ message: string; for: string } | null>(null)
  const left = Object.values(problems).filter((p): p is string => typeof p === 'string' && p !== '')
  const first = left[0] ?? null
  const now = JSON.stringify(inputs) ?? ''
  const failed = refusal && refusal.for === now ? refusal.message : null
  return {
    of: (field) => (tried && problems[field]) || null,
    banner: (tried ? first : null) ?? failed,
    summary: (tried && left.length > 0 ? `还有 ${left.length} 项需要修改：${first}` : null) ?? failed,
    failed,
    ready: () => {
      setTried(true)
      setRefusal(null)
      return first === null
    },
    fail: (message) => setRefusal(message === null ? null : { message, for: now }),
  }
}
