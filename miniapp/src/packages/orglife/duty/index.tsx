/**
 * 党课责任表 (township staff): who is assigned which villages (包村), how many 党课 each has given
 * there this year against the township's quota, and their part in their own branch's organizational
 * life (双重组织生活). Everything shown is derived from the meeting records; leaders are listed by
 * name, never ranked. The table goes to Excel with the township's 组织生活台账 in one tap.
 */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { listMembers } from '@shared/members'
import { lectureDuty, type DutyLeader, type LectureDutyResponse } from '@shared/orglife'
import { api, errorMessage, useApi } from '@/api'
import { downloadFile } from '@/api/download'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { MemberPicker, type PickableMember } from '@/components/form/MemberPicker'
import { SignedInPage } from '@/components/SignedInPage'
import { Button } from '@/ui/nutui'
import { VillagesEditor } from './VillagesEditor'
import '../shared/orglife.scss'

const searchTownship = async (q: string): Promise<PickableMember[]> =>
  (await api(listMembers, { query: { q, status: 'active', pageSize: 20 } })).items.map((m) => ({ memberId: m.id, name: m.name, organizationName: m.organizationName }))

function LeaderCard({ leader, branches, onSaved }: { leader: DutyLeader; branches: LectureDutyResponse['branches']; onSaved: (d: LectureDutyResponse) => void }) {
  const [editing, setEditing] = useState(false)
  const own = leader.ownBranchMeetings
  return (
    <Card title={`${leader.name}（${leader.ownBranch.name}）`} testId='duty-leader'>
      <Text className='dj-ol__line'>包村：{leader.villages.map((v) => v.name).join('、')}</Text>
      <Text className='dj-ol__line' data-testid='duty-progress'>
        今年在所包村讲党课 {leader.delivered}/{leader.quota} 次{leader.met ? '，已完成' : ''}
      </Text>
      {leader.elsewhere > 0 ? <Text className='dj-ol__hint'>另在其他支部讲 {leader.elsewhere} 次（不计入）</Text> : null}
      <Text className='dj-ol__line' data-testid='duty-own-branch'>
        参加本支部组织生活：应到 {own.expected} 次，实到 {own.attended} 次
      </Text>
      {editing ? (
        <VillagesEditor memberId={leader.memberId} branches={branches} initial={leader.villages.map((v) => v.organizationId)} onSaved={(d) => (setEditing(false), onSaved(d))} />
      ) : (
        <View className='dj-ol__chip' onClick={() => setEditing(true)}>
          修改包村
        </View>
      )}
    </Card>
  )
}

function AddLeader({ branches, onSaved }: { branches: LectureDutyResponse['branches']; onSaved: (d: LectureDutyResponse) => void }) {
  const [person, setPerson] = useState<PickableMember | null>(null)
  return (
    <Card accent title='添加包村人员' testId='duty-add'>
      <Text className='dj-ol__hint'>选择班子成员或支部书记，再勾选他（她）包的村。</Text>
      <MemberPicker value={person} onChange={setPerson} search={searchTownship} placeholder='输入姓名查找本镇党员' />
      {person ? <VillagesEditor key={person.memberId} memberId={person.memberId} branches={branches} initial={[]} onSaved={(d) => (setPerson(null), onSaved(d))} /> : null}
    </Card>
  )
}

function DutyPage() {
  const state = useApi(() => api(lectureDuty, { query: {} }), [])
  const [saved, setSaved] = useState<LectureDutyResponse | null>(null)
  const [exporting, setExporting] = useState(false)
  const data = saved ?? state.data

  const exportFile = async (year: number) => {
    setExporting(true)
    try {
      await downloadFile(`/api/orglife/export?year=${year}`, `${year}年组织生活台账.xlsx`)
    } catch (e) {
      void Taro.showModal({ title: '导出失败', content: errorMessage(e), showCancel: false, confirmColor: '#C8161D' })
    } finally {
      setExporting(false)
    }
  }

  return (
    <AsyncContent state={{ ...state, data }}>
      {(d) => (
        <View data-testid='lecture-duty'>
          <Text className='dj-ol__hint'>
            {d.year}年，班子成员和支部书记每人至少到所包村讲 {d.quota} 次党课（本镇设置可改）。按姓名排列。
          </Text>
          {d.leaders.length === 0 ? <Text className='dj-ol__hint'>还没有登记包村人员。</Text> : null}
          {d.leaders.map((l) => (
            <LeaderCard key={l.memberId} leader={l} branches={d.branches} onSaved={setSaved} />
          ))}
          <AddLeader branches={d.branches} onSaved={setSaved} />
          <Button type='default' size='large' block loading={exporting} disabled={exporting} onClick={() => void exportFile(d.year)}>
            导出Excel（含党课责任表）
          </Button>
        </View>
      )}
    </AsyncContent>
  )
}

export default function Page() {
  return <SignedInPage gate='officer'>{() => <DutyPage />}</SignedInPage>
}
