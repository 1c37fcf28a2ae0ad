/**
 * A form's save: `useSave` runs the request (with an Idempotency-Key that is renewed once a save went through),
 * says so in a toast and keeps a refused save's message; `SaveRow` shows that message above the big save button,
 * which spins and cannot be tapped twice while the request runs.
 */
import Taro from '@tarojs/taro'
import { useRef, useState, type Dispatch, type SetStateAction } from 'react'
import { errorMessage, newIdempotencyKey } from '@/api'
import { Button } from '@/ui/nutui'
import { FormBanner } from './FormParts'

/** The toast once a save went through: its text, or the text made from the answer (null: no toast). */
export type SaveDone<T> = string | ((answer: T) => string | null)

export interface SaveOptions {
  /** Where a refused save's message goes instead of `error`: a form's LiveCheck keeps it with what was sent. */
  fail?: (message: string) => void
  /** How long the toast stays (ms), for a form that leaves the page under it. */
  toastMs?: number
}

export interface SaveState {
  error: string | null
  /** A message of the form's own (a box filled wrongly), or null to clear it; or a change of the one shown. */
  setError: Dispatch<SetStateAction<string | null>>
  saving: boolean
  /** Runs `request` and, when it answers, toasts `done` and calls `onDone` with its answer. */
  run: <T>(request: (idempotencyKey: string) => Promise<T>, done: SaveDone<T>, onDone?: (answer: T) => void) => Promise<void>
}

export function useSave({ fail, toastMs }: SaveOptions = {}): SaveState {
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const key = useRef(newIdempotencyKey())
  async function run<T>(request: (idempotencyKey: string) => Promise<T>, done: SaveDone<T>, onDone?: (answer: T) => void) {
    setError(null)
    setSaving(true)
    try {
      const answer = await request(key.current)
      key.current = newIdempotencyKey()
      const title = typeof done === 'string' ? done : done(answer)
      if (title !== null) void Taro.showToast({ title, icon: 'success', ...(toastMs ? { duration: toastMs } : {}) })
      onDone?.(answer)
    } catch (e) {
      const message = errorMessage(e)
      if (fail) fail(message)
      else setError(message)
    } finally {
      setSaving(false)
    }
  }
  return { error, setError, saving, run }
}

export function SaveRow({
  state,
  onSave,
  label,
  primary,
  testId,
  error = state.error,
  errorTestId,
}: {
  state: SaveState
  onSave: () => void | Promise<void>
  label: string
  primary?: boolean
  testId?: string
  /** The message above the button when the form keeps its own (a LiveCheck's summary); else the save's. */
  error?: string | null
  errorTestId?: string
}) {
  return (
    <>
      <FormBanner error={error} testId={errorTestId} />
      <Button type={primary ? 'primary' : 'default'} size='large' block loading={state.saving} disabled={state.saving} onClick={() => void onSave()} data-testid={testId}>
        {label}
      </Button>
    </>
  )
}
