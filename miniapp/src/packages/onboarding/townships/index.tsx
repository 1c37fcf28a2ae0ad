/**
 * 乡镇管理 (县委组织部): the county's townships, a new one, its branches (one name
 * a line, pasted from a list or an Excel column), and a one-time code for its
 * staff. Names already there are skipped, so pasting a list again is harmless.
 */
import Taro from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { addBranches, createTownship, inviteTownshipStaff, listTownships, MAX_BRANCHES_AT_ONCE, type Township } from '@shared/onboarding'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { useInputKey } from '@/hooks/useInputKey'
import { ROUTES } from '@/routes'
import { Button } from '@/ui/nutui'
import { IssuedCode, MessageLine, useKeyedAction, type Issued } from '../parts'

function NewTownship({ onCreated }: { onCreated: () => Promise<void> }) {
  const [name, setName] = useState('')
  const { busy, message, setMessage, run } = useKeyedAction()
  const keyed = useInputKey()
  const submit = async () => {
    const body = { name: name.trim() }
    if (body.name.length < 2) return setMessage({ ok: false, text: '请填写乡镇党委名称，如“某某镇党委”' })
    await run(keyed, body, (idempotencyKey) => api(createTownship, { body, idempotencyKey }), () => {
      setName('')
      setMessage({ ok: true, text: `已新建“${body.name}”，请在下面添加支部、邀请工作人员。` })
      return onCreated()
    })
  }
  return (
    <Card accent title='新建乡镇党委' testId='new-township'>
      <Input className='dj-onb__input' value={name} maxlength={40} placeholder='名称，如：某某镇党委' onInput={(e) => setName(e.detail.value)} data-testid='township-name' />
      <MessageLine message={message} testId='new-township-message' />
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()} data-testid='create-township'>
        新建
      </Button>
    </Card>
  )
}

function TownshipCard({ township, onChanged }: { township: Township; onChanged: () => Promise<void> }) {
  const [names, setNames] = useState('')
  const { busy, message, setMessage, run } = useKeyedAction()
  const [issued, setIssued] = useState<Issued | null>(null)
  const keyedBranches = useInputKey()
  const keyedInvite = useInputKey()
  const add = async () => {
    const list = names.split(/[\n\r,，、;；\t]+/).map((n) => n.trim()).filter(Boolean)
    if (list.length === 0) return setMessage({ ok: false, text: '请填写支部名称，每行一个' })
    if (list.length > MAX_BRANCHES_AT_ONCE) return setMessage({ ok: false, text: `一次最多添加${MAX_BRANCHES_AT_ONCE}个支部` })
    const body = { names: list }
    await run(keyedBranches, body, (idempotencyKey) => api(addBranches, { params: { id: township.id }, body, idempotencyKey }), (res) => {
      setNames('')
      const skipped = res.existing.length ? `；${res.existing.length}个已有，未重复添加（${res.existing.join('、')}）` : ''
      setMessage({ ok: true, text: `已添加${res.created.length}个支部${skipped}` })
      return onChanged()
    })
  }
  // The key lives until an answer comes: a retry reuses it (same code), the next tap makes another invitation.
  const invite = () => run(keyedInvite, { organizationId: township.id }, (idempotencyKey) => api(inviteTownshipStaff, { body: { organizationId: township.id }, idempotencyKey }), setIssued)
  return (
    <Card title={township.name} testId='township-card'>
      <Text className='dj-onb__meta'>
        支部 {township.branches.length} 个 · 工作人员 {township.staffCount} 人 · 支部书记 {township.secretaryCount} 人
      </Text>
      <Text className='dj-onb__branches' data-testid='township-branches'>
        {township.branches.length ? township.branches.map((b) => b.name).join('、') : '还没有支部'}
      </Text>
      <Textarea
        className='dj-onb__text'
        value={names}
        maxlength={8000}
        placeholder='添加支部：每行一个名称（可从 Excel 复制一列粘贴）'
        onInput={(e) => setNames(e.detail.value)}
        data-testid='branch-names'
      />
      <MessageLine message={message} testId='township-message' />
      <View className='dj-onb__buttons'>
        <Button size='large' disabled={busy} onClick={() => void add()} data-testid='add-branches'>
          添加支部
        </Button>
        <Button type='primary' size='large' disabled={busy} onClick={() => void invite()} data-testid='invite-staff'>
          邀请工作人员
        </Button>
      </View>
      {issued ? <IssuedCode issued={issued} /> : null}
    </Card>
  )
}

function TownshipsPage() {
  const state = useApi(() => api(listTownships), [])
  return (
    <View className='dj-onb'>
      <NewTownship onCreated={state.reload} />
      <View className='dj-onb__buttons'>
        <Button size='large' block onClick={() => void Taro.navigateTo({ url: ROUTES.onboardingInvitations })}>
          查看全部邀请码
        </Button>
      </View>
      <Text className='dj-onb__heading'>本县乡镇党委</Text>
      <AsyncContent
        state={state}
        isEmpty={(d) => d.townships.length === 0}
        empty={<EmptyState title='还没有乡镇党委' description='在上面新建第一个乡镇党委。' />}
      >
        {(data) => (
          <View data-testid='township-list'>
            {data.townships.map((t) => (
              <TownshipCard key={t.id} township={t} onChanged={state.reload} />
            ))}
          </View>
        )}
      </AsyncContent>
    </View>
  )
}

export default function Page() {
  return <SignedInPage gate='officer'>{(me: MeResponse) => (me.account.role === 'county' ? <TownshipsPage /> : <EmptyState title='仅县委组织部可用' description='乡镇党委工作人员请在“管理”中使用“邀请码”。' />)}</SignedInPage>
}
