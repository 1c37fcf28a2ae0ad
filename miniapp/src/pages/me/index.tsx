import Taro, { useDidShow } from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import type { MeResponse } from '@shared/auth'
import { ROLE_LABELS, MEMBER_CATEGORY_LABELS } from '@shared/common'
import { exportMyData, type MemberProfile, type MyDataExport } from '@shared/members'
import { api, errorMessage } from '@/api'
import { downloadFile } from '@/api/download'
import { logout, refreshMe } from '@/auth/session'
import { writeQueue } from '@/offline'
import { ROUTES } from '@/routes'
import { CareSwitch } from '@/care/CareSwitch'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { MedalLine } from '@/components/honors/MedalLine'
import { MyHonors } from '@/components/honors/MyHonors'
import { UnregisteredCard } from '@/components/RoleGates'
import { Cell, CellGroup, Button } from '@/ui/nutui'
import { beijingDate, formatDateCn, formatPartyStanding } from '@/utils/format'
import './index.scss'

/** A field of the file; `stacked` puts a long value (the masked ID number) on its own line, so 大字 never breaks it. */
function Row({ label, value, testId, stacked = false }: { label: string; value: string; testId?: string; stacked?: boolean }) {
  const shown = <Text data-testid={testId}>{value}</Text>
  return stacked ? <Cell className='dj-me__stacked' title={label} description={shown} /> : <Cell title={label} extra={shown} />
}

/**
 * A row that opens another page. NutUI's Cell passes on no props it does not
 * know (a `data-testid` on it is dropped), so the row sits in a View that carries it.
 */
function Entry({ title, description, testId, url }: { title: string; description: string; testId: string; url: string }) {
  return (
    <View data-testid={testId}>
      <Cell title={title} description={description} clickable onClick={() => void Taro.navigateTo({ url })} />
    </View>
  )
}

/** The member's own file. ID and phone numbers arrive masked from the server and are never shown whole. */
function MemberFile({ member }: { member: MemberProfile }) {
  return (
    <CellGroup title='党员档案'>
      <Row label='姓名' value={member.name} testId='profile-name' />
      <Row label='所在支部' value={member.organizationName} testId='profile-branch' />
      <Row label='人员类别' value={MEMBER_CATEGORY_LABELS[member.category]} testId='profile-category' />
      <Row label='入党日期' value={formatDateCn(member.joinedAt)} testId='profile-joined' />
      <Row label='党龄' value={formatPartyStanding(member.partyStandingYears, member.category)} testId='profile-standing' />
      <MedalLine memberId={member.id} />
      <Row label='身份证号' value={member.idNumberMasked} testId='profile-id' stacked />
      <Row label='手机号' value={member.phoneMasked} testId='profile-phone' />
    </CellGroup>
  )
}

/** What the file holds, kind by kind (only the kinds that have records, so the summary stays short). */
function exportSummary(data: MyDataExport): string {
  return [
    `党员档案：${data.member ? '1份' : '无'}`,
    ...data.sections.filter((s) => s.rows.length > 0).map((s) => `${s.title}：${s.rows.length}条`),
    `档案查阅记录：${data.accessLog.length}条`,
  ].join('\n')
}

/**
 * 下载我的数据 (PIPL right of access), as a table the member can read: a sheet per kind of record, Chinese
 * headings, Beijing time. H5 saves the .xlsx; the mini-program opens it in WeChat's viewer, from where it can be
 * forwarded or saved.
 */
async function downloadMyDataTable() {
  void Taro.showLoading({ title: '正在准备…', mask: true })
  try {
    await downloadFile('/api/me/export?format=xlsx', `我的数据-${beijingDate(new Date())}.xlsx`)
    Taro.hideLoading()
    if (process.env.TARO_ENV === 'h5') void Taro.showToast({ title: '已下载', icon: 'success' })
  } catch (err) {
    Taro.hideLoading()
    void Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 })
  }
}

/**
 * The same data as JSON, for another system to read: H5 saves the file; the mini-program, which cannot save files
 * freely, shows a summary and copies the full JSON.
 */
async function downloadMyDataJson() {
  void Taro.showLoading({ title: '正在准备…', mask: true })
  try {
    const data = await api(exportMyData, { query: { format: 'json' } })
    const text = JSON.stringify(data, null, 2)
    Taro.hideLoading()
    if (process.env.TARO_ENV === 'h5') {
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
      const link = document.createElement('a')
      link.href = url
      link.download = `我的数据-${beijingDate(data.exportedAt)}.json`
      document.body.appendChild(link)
      link.click()
      link.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      void Taro.showToast({ title: '已下载', icon: 'success' })
      return
    }
    await Taro.setClipboardData({ data: text })
    void Taro.showModal({
      title: '我的数据',
      content: `${exportSummary(data)}\n\n完整内容已复制，可粘贴到文件传输助手保存。身份证号、手机号已脱敏。`,
      showCancel: false,
      confirmText: '知道了',
      confirmColor: '#C8161D',
    })
  } catch (err) {
    Taro.hideLoading()
    void Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 })
  }
}

function confirmLogout() {
  const pending = writeQueue.pendingCount()
  void Taro.showModal({
    title: '退出登录',
    // Queued writes belong to this account: they wait on the phone and go out at its next login.
    content: pending > 0
      ? `还有 ${pending} 条学习或签到记录没有上传（待上传）。退出后它们保存在手机上，下次用本账号登录时自动上传。确定退出吗？`
      : '确定要退出登录吗？',
    confirmText: '退出',
    cancelText: '取消',
    confirmColor: '#C8161D',
  }).then((res) => {
    if (res.confirm) logout()
  })
}

function MessagesCell({ unread }: { unread: number }) {
  // The test id sits on a View: NutUI's Cell does not pass data-* attributes on to the page.
  return (
    <View data-testid='me-messages'>
      <CellGroup>
        <Cell
          title='消息'
          description='审核结果、转接进度、答复和到期提醒'
          clickable
          extra={unread > 0 ? <Text className='dj-me__badge' data-testid='me-messages-badge'>{unread > 99 ? '99+' : unread}条未读</Text> : undefined}
          onClick={() => void Taro.navigateTo({ url: ROUTES.messages })}
        />
      </CellGroup>
    </View>
  )
}

function Profile({ me }: { me: MeResponse }) {
  const name = me.member?.name ?? me.account.displayName
  // Back on 我的 (a tab page stays mounted): ask again, so messages that came meanwhile show on the badge.
  useDidShow(() => void refreshMe().catch(() => undefined))
  return (
    <>
      <View className='dj-me__header'>
        <View className='dj-me__avatar'>
          <Text>{name.slice(0, 1)}</Text>
        </View>
        <View>
          <Text className='dj-me__name'>{name}</Text>
          <View className='dj-me__role'>
            <Text className='dj-me__role-badge'>{ROLE_LABELS[me.account.role]}</Text>
          </View>
        </View>
      </View>
      <MessagesCell unread={me.unreadMessages} />
      <CareSwitch />
      {me.member ? (
        <>
          <MemberFile member={me.member} />
          <MyHonors memberId={me.member.id} />
          <CellGroup title='我的事务'>
            <Entry title='我的组织生活' description='参加的会议、学时和民主评议结果' testId='me-orglife' url={ROUTES.orglifeMine} />
            <Entry title='组织关系转接' description='申请转出，镇内、县内跨镇转接，查看办理进度' testId='me-transfers' url={ROUTES.transfers} />
          </CellGroup>
        </>
      ) : me.account.role === 'applicant' ? (
        <>
          <UnregisteredCard />
          <CellGroup title='入党申请'>
            <Entry title='我的入党进度' description='已递交入党申请书的，可在这里查看进度和下一步' testId='me-development' url={ROUTES.developmentMine} />
          </CellGroup>
        </>
      ) : (
        // Committee staff may have an account without a member file of their own.
        <Card title='账号信息'>
          <CellGroup>
            <Row label='姓名' value={me.account.displayName} testId='profile-name' />
            <Row label='所属组织' value={me.account.organization?.name ?? '—'} testId='profile-branch' />
          </CellGroup>
        </Card>
      )}
      <CellGroup>
        <Entry title='投诉建议' description='对小程序或镇村工作的意见，可匿名；查看答复' testId='me-feedback' url={ROUTES.feedback} />
        <Entry title='隐私保护指引' description='收集哪些信息、谁能看到、保存多久；同意或撤回同意' testId='me-privacy' url={ROUTES.privacy} />
      </CellGroup>
      {me.account.role !== 'applicant' && (
        <View className='dj-me__export'>
          <Button size='large' block data-testid='export-my-data' onClick={() => void downloadMyDataTable()}>
            下载我的数据（表格）
          </Button>
          <Text className='dj-me__export-json' data-testid='export-my-data-json' onClick={() => void downloadMyDataJson()}>
            另存为 JSON（供其他系统读取）
          </Text>
        </View>
      )}
      <View className='dj-me__logout'>
        <Button size='large' block onClick={confirmLogout}>
          退出登录
        </Button>
      </View>
    </>
  )
}

export default function MePage() {
  return (
    <SignedInPage>
      {(me) => <Profile me={me} />}
    </SignedInPage>
  )
}
