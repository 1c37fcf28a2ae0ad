import type { ReactNode } from 'react'
import type { ApiState } from '@/api/useApi'
import { EmptyState, ErrorState, LoadingState } from './StateViews'

interface AsyncContentProps<T> {
  state: ApiState<T>
  children: (data: T) => ReactNode
  /** Decides when loaded data counts as empty (an empty list). */
  isEmpty?: (data: T) => boolean
  /** What to show when empty; defaults to a plain 暂无数据. */
  empty?: ReactNode
  loadingText?: string
}

/** Loading → error (with retry) → empty → content, for data loaded with useApi. */
export function AsyncContent<T>({ state, children, isEmpty, empty, loadingText }: AsyncContentProps<T>) {
  if (state.error) return <ErrorState message={state.error} onRetry={() => void state.reload()} />
  // Data kept from an earlier load stays on screen while a reload runs.
  if (state.data === undefined) return <LoadingState text={loadingText} />
  if (isEmpty?.(state.data)) return <>{empty ?? <EmptyState title='暂无数据' />}</>
  return <>{children(state.data)}</>
}
