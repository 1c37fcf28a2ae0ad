import { Text } from '@tarojs/components'
import type { MeResponse } from '@shared/auth'
import { Card } from './Card'
import { PageShell } from './PageShell'
import { RequireOfficer } from './RoleGates'
import { SessionGate } from './SessionGate'
import './PlaceholderPage.scss'

interface PlaceholderPageProps {
  title: string
  description: string
  /** Management pages hide their content from members and applicants. */
  officerOnly?: boolean
}

/**
 * A page whose feature is still being built: signed-in users see what will be
 * here. Feature work replaces the page body, keeping the gates.
 */
export function PlaceholderPage({ title, description, officerOnly = false }: PlaceholderPageProps) {
  const body = (
    <Card title={title} accent testId='placeholder'>
      <Text className='dj-placeholder__text'>{description}</Text>
      <Text className='dj-placeholder__note'>该功能正在建设中，敬请期待。</Text>
    </Card>
  )
  return (
    <PageShell>
      <SessionGate>
        {(me: MeResponse) => (officerOnly ? <RequireOfficer me={me}>{body}</RequireOfficer> : body)}
      </SessionGate>
    </PageShell>
  )
}
