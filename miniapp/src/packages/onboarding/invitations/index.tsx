/**
 * 邀请码: township staff invite their branches' secretaries (or another staff
 * member) with a one-time code; everyone who issues codes sees them listed with
 * their state (未使用/已使用/已过期/已撤销) and revokes an unused one. County
 * staff issue township staff's codes from 乡镇管理, their own colleagues' here,
 * and see the whole county's here.
 */
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { listMembers, organizations } from '@shared/members'
import {
  invite,
  inviteTownshipStaff,
  INVITATION_ROLE_LABELS,
  INVITATION_STATE_LABELS,
  listInvitations,
  revokeCountyInvitation,
  revokeInvitation,
  type Invitation,
} from '@shared/onboarding'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { Chips } from '@/components/form/FormParts'
import { MemberPicker, type PickableMember } from '@/components/form/MemberPicker'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { useInputKey } from '@/hooks/useInputKey'
import { Button } from '@/ui/nutui'
import { beijingDateTime } from '@/utils/format'
import { IssuedCode, MessageLine, useKeyedAction, type Issued } from '../parts'

function InviteForm({ townshipId, onIssued }: { townshipId: number; onIssued: () => Promise<void> }) {
  const orgs = useApi(() => api(organizations), [])
  const branches = (orgs.data?.organizations ?? []).filter((o) => o.kind === 'branch' && o.parentId === townshipId)
  const [branchId, setBranchId] = useState<number | null>(null)
  const [person, setPerson] = useState<PickableMember | null>(null)
  const searchBranch = async (q: string): Promise<PickableMember[]> =>
    branchId === null
      ? []
      : (await api(listMembers, { query: { q, organizationId: branchId, status: 'active', pageSize: 20 } })).items.map((m) => ({ memberId: m.id, name: m.name, organizationName: m.organizationName }))
  const { busy, message, run } = useKeyedAction()
  const [issued, setIssued] = useState<Issued | null>(null)
  const keyed = useInputKey()
  const send = (body: { role: 'secretary' | 'staff'; organizationId: number; memberId?: number }) =>
    run(keyed, body, (idempotencyKey) => api(invite, { body, idempotencyKey }), (code) => {
      setIssued(code)
      return onIssued()
    })
  return (
    <Card accent title='邀请支部书记' testId='invite-form'>
      <Text className='dj-onb__meta'>选择支部，生成邀请码交给该支部书记本人。</Text>
      {branches.length ? (
        <Chips
          options={branches.map((b) => b.id)}
          value={branchId}
          onChange={(id) => {
            setBranchId(id)
            setPerson(null)
          }}
          label={(id) => branches.find((b) => b.id === id)?.name ?? ''}
          testId='invite-branch'
        />
      ) : (
        <Text className='dj-onb__meta'>{orgs.loading ? '正在读取支部…' : '本镇还没有支部，请联系县委组织部添加。'}</Text>
      )}
      {branchId !== null ? (
        <View data-testid='invite-person'>
          <Text className='dj-onb__meta'>书记是本支部党员的，可选择他的花名册记录（可不选）：登录后直接关联他本人的学习、政治生日等记录。</Text>
          <MemberPicker key={branchId} value={person} onChange={setPerson} search={searchBranch} placeholder='输入书记姓名查找本支部党员' />
        </View>
      ) : null}
      <MessageLine message={message} testId='invite-error' />
      <View className='dj-onb__buttons'>
        <Button
          type='primary'
          size='large'
          disabled={busy || branchId === null}
          onClick={() => branchId !== null && void send({ role: 'secretary', organizationId: branchId, ...(person ? { memberId: person.memberId } : {}) })}
          data-testid='invite-secretary'
        >
          生成书记邀请码
        </Button>
        <Button size='large' disabled={busy} onClick={() => void send({ role: 'staff', organizationId: townshipId })} data-testid='invite-more-staff'>
          邀请党委工作人员
        </Button>
      </View>
      {issued ? <IssuedCode issued={issued} /> : null}
    </Card>
  )
}

/** County staff add a colleague: a code that makes the account that redeems it 县委组织部工作人员. */
function InviteCountyStaff({ countyId, onIssued }: { countyId: number; onIssued: () => Promise<void> }) {
  const { busy, message, run } = useKeyedAction()
  const [issued, setIssued] = useState<Issued | null>(null)
  const keyed = useInputKey()
  const send = () => {
    const body = { role: 'county' as const, organizationId: countyId }
    return run(keyed, body, (idempotencyKey) => api(inviteTownshipStaff, { body, idempotencyKey }), (code) => {
      setIssued(code)
      return onIssued()
    })
  }
  return (
    <Card accent title='邀请县委组织部工作人员' testId='invite-county-form'>
      <Text className='dj-onb__meta'>生成邀请码交给同事本人，用它登录的微信账号即成为县委组织部工作人员。乡镇工作人员请在“乡镇管理”中邀请。</Text>
      <MessageLine message={message} testId='invite-error' />
      <View className='dj-onb__buttons'>
        <Button type='primary' size='large' disabled={busy} onClick={() => void send()} data-testid='invite-county-staff'>
          生成县委组织部邀请码
        </Button>
      </View>
      {issued ? <IssuedCode issued={issued} /> : null}
    </Card>
  )
}

function Row({ inv, county, onChanged }: { inv: Invitation; county: boolean; onChanged: () => Promise<void> }) {
  const { busy, message, run } = useKeyedAction()
  const keyed = useInputKey()
  const revoke = () => run(keyed, { id: inv.id }, (idempotencyKey) => api(county ? revokeCountyInvitation : revokeInvitation, { params: { id: inv.id }, body: {}, idempotencyKey }), onChanged)
  return (
    <Card
      title={`${INVITATION_ROLE_LABELS[inv.role]} · ${inv.organizationName}${inv.memberName ? ` · ${inv.memberName}` : ''}`}
      testId='invitation-row'
      extra={<Text className={`dj-onb__state dj-onb__state--${inv.state}`} data-testid='invitation-state'>{INVITATION_STATE_LABELS[inv.state]}</Text>}
    >
      {inv.townshipName && inv.townshipName !== inv.organizationName ? <Text className='dj-onb__meta'>{inv.townshipName}</Text> : null}
      <Text className='dj-onb__meta'>
        {beijingDateTime(inv.createdAt)} 生成{inv.createdByName ? `（${inv.createdByName}）` : ''} · 有效至 {beijingDateTime(inv.expiresAt)}
      </Text>
      {inv.usedAt ? <Text className='dj-onb__meta'>{beijingDateTime(inv.usedAt)} 已由 {inv.usedByName ?? '用户'} 使用</Text> : null}
      {inv.revokedAt ? <Text className='dj-onb__meta'>{beijingDateTime(inv.revokedAt)} 已撤销</Text> : null}
      <MessageLine message={message} />
      {inv.state === 'unused' ? (
        <Button size='large' disabled={busy} onClick={() => void revoke()} data-testid='revoke-invitation'>
          撤销
        </Button>
      ) : null}
    </Card>
  )
}

function InvitationsPage({ me }: { me: MeResponse }) {
  const county = me.account.role === 'county'
  const state = useApi(() => api(listInvitations), [])
  useReloadOnShow(state.reload)
  const ownOrganizationId = me.account.organization?.id
  return (
    <View className='dj-onb'>
      {!county && ownOrganizationId ? <InviteForm townshipId={ownOrganizationId} onIssued={state.reload} /> : null}
      {county && ownOrganizationId ? <InviteCountyStaff countyId={ownOrganizationId} onIssued={state.reload} /> : null}
      <Text className='dj-onb__heading'>{county ? '全县的邀请码' : '本镇的邀请码'}</Text>
      <AsyncContent
        state={state}
        isEmpty={(d) => d.invitations.length === 0}
        empty={<EmptyState title='还没有邀请码' description={county ? '在“乡镇管理”中为乡镇邀请工作人员。' : '在上面选择支部，生成书记邀请码。'} />}
      >
        {(data) => (
          <View data-testid='invitation-list'>
            {data.invitations.map((inv) => (
              <Row key={inv.id} inv={inv} county={county} onChanged={state.reload} />
            ))}
          </View>
        )}
      </AsyncContent>
    </View>
  )
}

export default function Page() {
  return (
    <SignedInPage gate='officer'>
      {(me) => (me.account.role === 'staff' || me.account.role === 'county' ? <InvitationsPage me={me} /> : <EmptyState title='仅乡镇党委工作人员和县委组织部可用' description='如需邀请码，请联系乡镇党委。' />)}
    </SignedInPage>
  )
}
