/** One person's 发展党员 timeline: the steps done, the next step's window, and the form for the officer's own step. */
import { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { getDevelopment, type DevelopmentDetail } from '@shared/development'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { StepForm } from '../shared/StepForm'
import { Timeline } from '../shared/Timeline'
import '../shared/development.scss'

function Detail({ me, id }: { me: MeResponse; id: number }) {
  const loaded = useApi(() => api(getDevelopment, { params: { id } }), [id])
  const [saved, setSaved] = useState<DevelopmentDetail | null>(null)
  return (
    <AsyncContent state={loaded} loadingText='正在加载…'>
      {(data) => {
        const record = saved && saved.version >= data.version ? saved : data
        return (
          <>
            <Timeline record={record} />
            <Card title='登记下一步' testId='dev-form-card'>
              <StepForm key={record.version} record={record} role={me.account.role} onSaved={setSaved} />
            </Card>
          </>
        )
      }}
    </AsyncContent>
  )
}

export default function DevelopmentDetailPage() {
  const id = Number(useRouter().params.id)
  return <SignedInPage gate='officer'>{(me) => <Detail me={me} id={id} />}</SignedInPage>
}
