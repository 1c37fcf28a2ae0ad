/**
 * A form's save: `useSave` runs the request (with an Idempotency-Key that is renewed once a save went through),
 * says so in a toast and keeps a refused save's message; `SaveRow` shows that message above the big save button,
 * which spins and cannot be tapped twice while the request runs.
 */
import Taro from '@tarojs/taro'
import { useRef, useState } from 'react'
import { errorMessage, newIdempotencyKey } from '@/api'
import { Button } from '@/ui/nutui'
import { FormBanner } from './FormParts'

export interface SaveState {
  error: string | null
  /** A message of the form's own (a box filled wrongly), or null to clear it. */
  setError: (error: string | null) => void
  saving: boolean
  /** Runs `request` and, when it answers, toasts `done` and calls `onDone` with its answer. */
  run: <T>(request: (idempotencyKey: string) => Promise<T>, done: string, onDone?: (answer: T) => void) => Promise<void>
}

export function useSave(): SaveState {
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const key = useRef(newIdempotencyKey())
  async function run<T>(request: (idempotencyKey: string) => Promise<T>, done: string, onDone?: (answer: T) => void) {
    setError(null)
    setSaving(true)
    try {
      const answer = await request(key.current)
      key.current = newIdempotencyKey()
      void Taro.showToast({ title: done, icon: 'success' })
      onDone?.(answer)
    } catch (e) {
      setError(errorMessage(e))
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
  errorTestId,
}: {
  state: SaveState
  onSave: () => void | Promise<void>
  label: string
  primary?: boolean
  testId?: string
  errorTestId?: string
}) {
  return (
    <>
      <FormBanner error={state.error} testId={errorTestId} />
      <Button type={primary ? 'primary' : 'default'} size='large' block loading={state.saving} disabled={state.saving} onClick={() => void onSave()} data-testid={testId}>
        {label}
      </Button>
    </>
  )
}
