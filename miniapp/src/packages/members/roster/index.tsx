/**
 * 党员花名册: search by name or the last digits of a phone number, filter by
 * branch (staff), category, status and 党龄. Secretaries see their branch only;
 * the server enforces it, the page just does not offer other branches.
 */
import Taro from '@tarojs/taro'
import { View, Text, Input } from '@tarojs/components'
import { useEffect, useMemo, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { MEMBER_STATUS_LABELS, memberCategories, memberStatuses, type MemberCategory, type MemberStatus, GENDER_LABELS, MEMBER_CATEGORY_LABELS } from '@shared/common'
import { listMembers, organizations as organizationsEndpoint, type MemberListItem } from '@shared/members'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { Chips } from '@/components/form/FormParts'
import { MEMBER_ROUTES } from '../shared/routes'
import '../shared/members.scss'

const STANDING_RANGES = [
  { key: 'all', label: '不限党龄' },
  { key: '0-4', label: '5年以下', min: 0, max: 4 },
  { key: '5-19', label: '5–19年', min: 5, max: 19 },
  { key: '20-49', label: '20–49年', min: 20, max: 49 },
  { key: '50-', label: '50年以上', min: 50 },
] as const
type StandingKey = (typeof STANDING_RANGES)[number]['key']

const PAGE_SIZE = 20

function MemberRow({ m }: { m: MemberListItem }) {
  return (
    <View
      className='dj-m-row'
      data-testid='roster-row'
      onClick={() => void Taro.navigateTo({ url: `${MEMBER_ROUTES.detail}?id=${m.id}` })}
    >
      <View className='dj-m-row__main'>
        <Text className='dj-m-row__name'>{m.name}</Text>
        <Text className='dj-m-row__meta'>
          {GENDER_LABELS[m.gender]} · {m.organizationName} · {MEMBER_CATEGORY_LABELS[m.category]}
          {m.status !== 'active' ? ` · ${MEMBER_STATUS_LABELS[m.status]}` : ''}
        </Text>
        <Text className='dj-m-row__meta'>手机 {m.phoneMasked}</Text>
        {m.probationOverdue ? <Text className='dj-m-flag dj-m-flag--red'>预备期逾期未转正</Text> : null}
      </View>
      <View className='dj-m-row__side'>
        <Text>{m.partyStandingYears !== null ? `党龄${m.partyStandingYears}年` : '预备期'}</Text>
      </View>
    </View>
  )
}

function Roster({ me }: { me: MeResponse }) {
  const isStaff = me.account.role === 'staff'
  const [keyword, setKeyword] = useState('')
  const [q, setQ] = useState('')
  const [branch, setBranch] = useState<number | 'all'>('all')
  const [category, setCategory] = useState<MemberCategory | 'all'>('all')
  const [status, setStatus] = useState<MemberStatus | 'all'>('active')
  const [standing, setStanding] = useState<StandingKey>('all')
  const [overdue, setOverdue] = useState(false)
  const [page, setPage] = useState(1)
  const [loaded, setLoaded] = useState<MemberListItem[]>([])

  const range = STANDING_RANGES.find((r) => r.key === standing)
  const query = useMemo(
    () => ({
      q: q || undefined,
      organizationId: branch === 'all' ? undefined : branch,
      category: category === 'all' ? undefined : category,
      status: status === 'all' ? undefined : status,
      standingMin: range && 'min' in range ? range.min : undefined,
      standingMax: range && 'max' in range ? range.max : undefined,
      overdue: overdue ? ('1' as const) : undefined,
      page,
      pageSize: PAGE_SIZE,
    }),
    [q, branch, category, status, range, overdue, page],
  )
  const list = useApi(() => api(listMembers, { query }), [query])
  const orgs = useApi(() => (isStaff ? api(organizationsEndpoint) : Promise.resolve({ organizations: [] })), [isStaff])
  const branches = (orgs.data?.organizations ?? []).filter((o) => o.kind === 'branch')
  const resetPages = () => setPage(1)
  // 加载更多 appends the next page; any new search or filter starts again from page 1.
  useEffect(() => {
    const data = list.data
    if (data) setLoaded((prev) => (data.page === 1 ? data.items : [...prev.filter((p) => !data.items.some((i) => i.id === p.id)), ...data.items]))
  }, [list.data])

  return (
    <View data-testid='roster-page'>
      <View style={{ display: 'flex', gap: '16px', marginBottom: '20px' }}>
        <Input
          className='dj-m-input'
          style={{ flex: 1 }}
          value={keyword}
          placeholder='输入姓名或手机尾号'
          confirmType='search'
          onInput={(e) => setKeyword(e.detail.value)}
          onConfirm={() => (setQ(keyword.trim()), resetPages())}
          data-testid='roster-search'
        />
        <Button type='primary' onClick={() => (setQ(keyword.trim()), resetPages())} data-testid='roster-search-button'>
          搜索
        </Button>
      </View>
      {isStaff && branches.length > 0 ? (
        <View style={{ marginBottom: '16px' }}>
          <Chips
            options={['all' as const, ...branches.map((b) => b.id)]}
            value={branch}
            label={(v) => (v === 'all' ? '全部支部' : (branches.find((b) => b.id === v)?.name ?? ''))}
            onChange={(v) => (setBranch(v), resetPages())}
            testId='filter-branch'
          />
        </View>
      ) : null}
      <View style={{ marginBottom: '16px' }}>
        <Chips
          options={['all' as const, ...memberCategories]}
          value={category}
          label={(v) => (v === 'all' ? '全部类别' : MEMBER_CATEGORY_LABELS[v])}
          onChange={(v) => (setCategory(v), resetPages())}
          testId='filter-category'
        />
      </View>
      <View style={{ marginBottom: '16px' }}>
        <Chips
          options={['all' as const, ...memberStatuses]}
          value={status}
          label={(v) => (v === 'all' ? '全部状态' : MEMBER_STATUS_LABELS[v])}
          onChange={(v) => (setStatus(v), resetPages())}
          testId='filter-status'
        />
      </View>
      <View style={{ marginBottom: '16px' }}>
        <Chips options={STANDING_RANGES.map((r) => r.key)} value={standing} label={(k) => STANDING_RANGES.find((r) => r.key === k)?.label ?? ''} onChange={(v) => (setStanding(v), resetPages())} testId='filter-standing' />
      </View>
      <View style={{ marginBottom: '16px' }}>
        <Chips options={['overdue'] as const} value={overdue ? 'overdue' : null} label={() => '只看预备期逾期'} onChange={() => (setOverdue((o) => !o), resetPages())} />
      </View>
      {isStaff ? (
        <View style={{ marginBottom: '20px' }}>
          <Button size='large' block onClick={() => void Taro.navigateTo({ url: MEMBER_ROUTES.io })} data-testid='open-io'>
            Excel 导入 / 导出
          </Button>
        </View>
      ) : null}
      <AsyncContent
        state={list}
        loadingText='正在加载花名册…'
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState title='没有符合条件的党员' description='可以换个姓名或手机尾号，或放宽筛选条件。' />}
      >
        {(d) => (
          <>
            <Text className='dj-m-summary' data-testid='roster-total'>
              共 {d.total} 人{list.loading ? '（正在刷新…）' : ''}
            </Text>
            {loaded.map((m) => (
              <MemberRow key={m.id} m={m} />
            ))}
            {loaded.length < d.total ? (
              <Button size='large' block loading={list.loading} onClick={() => setPage((p) => p + 1)}>
                加载更多
              </Button>
            ) : null}
          </>
        )}
      </AsyncContent>
    </View>
  )
}

export default function RosterPage() {
  return (
    <SignedInPage gate='officer'>
      {(me) => <Roster me={me} />}
    </SignedInPage>
  )
}
