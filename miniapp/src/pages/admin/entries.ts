import type { Role } from '@shared/common'
import { ROUTES, type Route } from '@/routes'

export interface AdminEntry {
  title: string
  /** One character shown in the tile's badge: quicker to recognise than an icon for many older users. */
  mark: string
  description: string
  url: Route
  /** Who sees the tile. Issues that restrict a feature to staff narrow this list. */
  roles: readonly Role[]
}

const OFFICERS: readonly Role[] = ['secretary', 'staff']

/** The management home, in the order the committee's yearly plan lists the work. */
export const ADMIN_ENTRIES: readonly AdminEntry[] = [
  { title: '注册审核', mark: '审', description: '审核新登记的党员信息', url: ROUTES.memberReview, roles: OFFICERS },
  { title: '党员花名册', mark: '册', description: '查看和导出党员名单', url: ROUTES.memberRoster, roles: OFFICERS },
  { title: '组织生活', mark: '会', description: '三会一课、主题党日日历与会议记录', url: ROUTES.orglifeCalendar, roles: ['secretary'] },
  { title: '各支部组织生活', mark: '查', description: '各支部逾期和即将到期的事项', url: ROUTES.orglifeTownship, roles: ['staff'] },
  { title: '党课责任表', mark: '课', description: '班子成员包村、讲党课和参加支部组织生活情况', url: ROUTES.orglifeDuty, roles: ['staff'] },
  { title: '学习组织', mark: '学', description: '集中学习、本周合计与关怀名单', url: ROUTES.studySupervision, roles: OFFICERS },
  { title: '政治生日', mark: '生', description: '本月政治生日名单', url: ROUTES.birthdays, roles: OFFICERS },
  { title: '组织关系转接', mark: '转', description: '转入转出与回执', url: ROUTES.transfers, roles: OFFICERS },
  { title: '发展党员', mark: '发', description: '入党申请到转正，时间节点提醒', url: ROUTES.development, roles: OFFICERS },
  { title: '表彰管理', mark: '表', description: '“两优一先”评选表彰', url: ROUTES.commendations, roles: OFFICERS },
  { title: '数据看板', mark: '数', description: '全镇党建数据统计', url: ROUTES.dashboard, roles: OFFICERS },
  { title: '本镇设置', mark: '设', description: '政治生日、介绍信、组织生活等设置', url: ROUTES.townshipSettings, roles: ['staff'] },
  { title: '各乡镇概况', mark: '况', description: '各乡镇党员和待办并列查看，导出全县报表', url: ROUTES.countyOverview, roles: ['county'] },
  { title: '县级默认设置', mark: '设', description: '各乡镇未自行设置时按此执行', url: ROUTES.countySettings, roles: ['county'] },
  { title: '节假日安排', mark: '假', description: '放假与调休上班，公示按工作日计算', url: ROUTES.workCalendar, roles: ['county'] },
  { title: '全县发展党员', mark: '发', description: '全县年度发展目标与各乡镇进度', url: ROUTES.countyDevelopment, roles: ['county'] },
  { title: '乡镇管理', mark: '镇', description: '新建乡镇党委和支部，邀请乡镇工作人员', url: ROUTES.onboardingTownships, roles: ['county'] },
  { title: '邀请码', mark: '邀', description: '邀请支部书记和工作人员，查看和撤销邀请码', url: ROUTES.onboardingInvitations, roles: ['staff', 'county'] },
]
