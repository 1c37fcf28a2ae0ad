import { useRef } from 'react'
import { newIdempotencyKey } from '@/api'

export interface InputKey {
  /** The Idempotency-Key for this input: the same while the same input is retried, a new one once it changes. */
  keyFor(input: unknown): string
  /** The write went through: the next one, even of the same input, is a new action. */
  done(): void
}

/**
 * One Idempotency-Key per user action: a retry of the same form (the network dropped, the button tapped
 * again) reuses it, so the server records it once; changing what is sent makes it a new action.
 */
export function useInputKey(): InputKey {
  const last = useRef<{ input: string; key: string } | null>(null)
  return {
    keyFor(input) {
      const text = JSON.stringify(input)
      if (last.current?.input !== text) last.current = { input: text, key: newIdempotencyKey() }
      return last.current.key
    },
    done() {
      last.current = null
    },
  }
}
