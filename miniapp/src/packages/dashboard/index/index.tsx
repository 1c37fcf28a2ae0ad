import { Dashboard } from '@/components/dashboard/Dashboard'
import { SignedInPage } from '@/components/SignedInPage'

/** 数据看板 on a page of its own (the same figures lead the 管理 home): staff see the township, a secretary their branch. */
export default function DashboardPage() {
  return (
    <SignedInPage gate='officer'>
      {() => <Dashboard />}
    </SignedInPage>
  )
}
