import { useRouter } from '@tarojs/taro'
import { Dashboard } from '@/components/dashboard/Dashboard'
import { SignedInPage } from '@/components/SignedInPage'

/**
 * 数据看板 on a page of its own (the same figures lead the 管理 home): staff see the township, a secretary their
 * branch; county staff opening a township from 各乡镇概况 (`?townshipId=`) see that township's.
 */
export default function DashboardPage() {
  const townshipId = Number(useRouter().params.townshipId) || undefined
  return (
    <SignedInPage gate='officer'>
      {() => <Dashboard townshipId={townshipId} />}
    </SignedInPage>
  )
}
