/**
 * The one Idempotency-Key helper every form uses: a retry of the same input (the answer was lost, the
 * button tapped again) sends the same key, so the server records the action once; a changed input
 * or a write that went through starts a new action with a new key.
 */
import { renderHook } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useInputKey } from '@/hooks/useInputKey'

describe('useInputKey', () => {
  it('keeps the key while the same input is retried', () => {
    const { result } = renderHook(() => useInputKey())
    const first = result.current.keyFor({ topic: '学习党章', minutes: 30 })
    expect(result.current.keyFor({ topic: '学习党章', minutes: 30 })).toBe(first)
  })
  it('keeps it across re-renders, as a page re-renders while the request runs', () => {
    const { result, rerender } = renderHook(() => useInputKey())
    const first = result.current.keyFor([1, 2])
    rerender()
    expect(result.current.keyFor([1, 2])).toBe(first)
  })
  it('a changed input is a new action', () => {
    const { result } = renderHook(() => useInputKey())
    const first = result.current.keyFor({ minutes: 30 })
    expect(result.current.keyFor({ minutes: 40 })).not.toBe(first)
  })
  it('once the write went through, the same input again is a new action', () => {
    const { result } = renderHook(() => useInputKey())
    const first = result.current.keyFor({ minutes: 30 })
    result.current.done()
    expect(result.current.keyFor({ minutes: 30 })).not.toBe(first)
  })
})
