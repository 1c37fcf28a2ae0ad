import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { listCommendations } from '@shared/commendations'
import { shanghaiDate } from '@shared/calendar'
import { health } from '@shared/system'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { PageShell } from '@/components/PageShell'
import { SessionGate } from '@/components/SessionGate'
import { ErrorState, LoadingState } from '@/components/StateViews'
import { CommendationForm } from './CommendationForm'
import '../shared/commendations.scss'

/** Loads the record being edited (if any) and the server's date, which decides the default day and year. */
function FormLoader({ me, id }: { me: MeResponse; id: number }) {
  const state = useApi(async () => {
    const [server, found] = await Promise.all([api(health), id ? api(listCommendations, { query: { id } }) : Promise.resolve(null)])
    return { today: shanghaiDate(new Date(server.now)), existing: found ? (found.commendations[0] ?? null) : null }
  }, [id])
  return (
    <AsyncContent state={state} isEmpty={(d) => id > 0 && d.existing === null} empty={<ErrorState message='这条表彰不存在或已被撤销' />}>
      {(d) => <CommendationForm me={me} existing={d.existing} today={d.today} />}
    </AsyncContent>
  )
}

function StaffOnly({ me, children }: { me: MeResponse; children: React.ReactNode }) {
  if (me.account.role === 'staff') return <>{children}</>
  return <ErrorState message='录入和修改表彰仅限党委工作人员' />
}

export default function CommendationFormPage() {
  const router = useRouter()
  const id = Number(router.params.id ?? 0)
  const [ready, setReady] = useState(false)
  useEffect(() => {
    void Taro.setNavigationBarTitle({ title: id ? '修改表彰' : '录入表彰' })
    setReady(true)
  }, [id])
  return (
    <PageShell>
      {ready ? (
        <SessionGate>
          {(me) => <StaffOnly me={me}><FormLoader me={me} id={id} /></StaffOnly>}
        </SessionGate>
      ) : (
        <LoadingState />
      )}
    </PageShell>
  )
}
