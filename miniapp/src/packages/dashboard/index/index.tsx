import { Dashboard } from '@/components/dashboard/Dashboard'
import { PageShell } from '@/components/PageShell'
import { RequireOfficer } from '@/components/RoleGates'
import { SessionGate } from '@/components/SessionGate'

/** 数据看板 on a page of its own (the same figures lead the 管理 home): staff see the township, a secretary their branch. */
export default function DashboardPage() {
  return (
    <PageShell>
      <SessionGate>
        {(me) => (
          <RequireOfficer me={me}>
            <Dashboard />
          </RequireOfficer>
        )}
      </SessionGate>
    </PageShell>
  )
}
