import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react'
import { ApiError, errorMessage } from './errors'

export interface ApiState<T> {
  data: T | undefined
  /** Chinese text ready to show, or null. */
  error: string | null
  /** The error itself, for pages that branch on status or code. */
  cause: ApiError | null
  /** True while the first load or a reload is in flight. */
  loading: boolean
  reload: () => Promise<void>
}

/**
 * Loads data for a page: `const roster = useApi(() => api(listMembers, { query }), [query])`.
 * Keeps the previous data while reloading, and ignores answers that arrive
 * after a newer request started or after the page went away.
 */
export function useApi<T>(load: () => Promise<T>, deps: DependencyList): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(true)
  const latest = useRef(0)
  const mounted = useRef(true)
  const loadRef = useRef(load)
  loadRef.current = load

  const run = useCallback(async () => {
    const id = ++latest.current
    setLoading(true)
    setError(null)
    try {
      const result = await loadRef.current()
      if (mounted.current && id === latest.current) setData(result)
    } catch (e) {
      // Anything but an ApiError is a bug in the page: keep it visible to developers.
      if (!(e instanceof ApiError)) console.error('[useApi]', e)
      if (mounted.current && id === latest.current) setError(e)
    } finally {
      if (mounted.current && id === latest.current) setLoading(false)
    }
  }, [])

  useEffect(() => {
    mounted.current = true
    void run()
    return () => {
      mounted.current = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps decide when to reload
  }, deps)

  return {
    data,
    error: error === null ? null : errorMessage(error),
    cause: error instanceof ApiError ? error : null,
    loading,
    reload: run,
  }
}
