import { useRouter } from '@tarojs/taro'
import { Dashboard } from '@/components/dashboard/Dashboard'
import { SignedInPage } from '@/components/SignedInPage'
import { OrglifeFigures } from './OrglifeFigures'

/**
 * 数据看板 on a page of its own (the same figures lead the 管理 home): staff see the township, a secretary their
 * branch; county staff opening a township from 各乡镇概况 (`?townshipId=`) see that township's. Township staff also
 * see each branch's organizational life here (a subpackage section, kept out of the main package).
 */
export default function DashboardPage() {
  const townshipId = Number(useRouter().params.townshipId) || undefined
  return (
    <SignedInPage gate='officer'>
      {(me) => (
        <>
          <Dashboard townshipId={townshipId} />
          {me.account.role === 'staff' ? <OrglifeFigures /> : null}
        </>
      )}
    </SignedInPage>
  )
}
