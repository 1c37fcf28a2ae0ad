import type { ReactNode } from 'react'
import type { MeResponse } from '@shared/auth'
import { PageShell } from './PageShell'
import { RequireMember, RequireOfficer } from './RoleGates'
import { SessionGate } from './SessionGate'

/**
 * The frame of a page for the signed-in: the page shell, the session (login when
 * there is none) and, when asked, the role gate — `member` keeps applicants out,
 * `officer` everyone but secretaries and staff. The server checks again.
 */
export function SignedInPage({ gate, children }: { gate?: 'member' | 'officer'; children: (me: MeResponse) => ReactNode }) {
  return (
    <PageShell>
      <SessionGate>
        {(me) =>
          gate === 'officer' ? (
            <RequireOfficer me={me}>{children(me)}</RequireOfficer>
          ) : gate === 'member' ? (
            <RequireMember me={me}>{children(me)}</RequireMember>
          ) : (
            children(me)
          )
        }
      </SessionGate>
    </PageShell>
  )
}
