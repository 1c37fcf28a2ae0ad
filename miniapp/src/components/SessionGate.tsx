import type { ReactNode } from 'react'
import type { MeResponse } from '@shared/auth'
import { useSession } from '@/auth/session'
import { ErrorState, LoadingState } from './StateViews'

/**
 * Renders its children with the signed-in account, after loading it; sends
 * the user to the login page when there is no session.
 */
export function SessionGate({ children }: { children: (me: MeResponse) => ReactNode }) {
  const { me, error, reload } = useSession()
  if (me) return <>{children(me)}</>
  if (error) return <ErrorState message={error} onRetry={reload} />
  return <LoadingState />
}
