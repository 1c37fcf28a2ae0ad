/**
 * Every page of the app, in one place. Navigate with these constants rather
 * than string literals; `tests/miniapp/routes.test.ts` checks that each one is
 * registered in app.config.ts (pages or subPackages).
 */
export const TAB_ROUTES = {
  home: '/pages/home/index',
  study: '/pages/study/index',
  me: '/pages/me/index',
  admin: '/pages/admin/index',
} as const

export const ROUTES = {
  ...TAB_ROUTES,
  login: '/pages/login/index',
  /** Applicant self-registration form (filled by the registration issue). */
  memberRegister: '/packages/members/register/index',
  /** 注册审核: officers review registrations. */
  memberReview: '/packages/members/review/index',
  /** 党员花名册 */
  memberRoster: '/packages/members/roster/index',
  /** 党员详情 (?id=) */
  memberDetail: '/packages/members/detail/index',
  /** 花名册 Excel 导入导出 (H5) */
  memberImportExport: '/packages/members/io/index',
  /** 学习组织（本周合计、关怀名单、集中学习） */
  studySupervision: '/packages/study/supervision/index',
  /** 集中学习：签到二维码与登记参加人员 (?id=) */
  studyEvent: '/packages/study/event/index',
  /** 新建集中学习 */
  studyEventForm: '/packages/study/event-form/index',
  /** 政治生日 */
  birthdays: '/packages/birthdays/index/index',
  /** 政治生日签到（重温入党誓词） */
  birthdaySignIn: '/packages/birthdays/sign-in/index',
  /** 集体过政治生日（书记记录） */
  birthdayCeremony: '/packages/birthdays/ceremony/index',
  /** 光荣在党50年名单（党委） */
  birthdayMedal: '/packages/birthdays/medal/index',
  /** 组织关系转接 */
  transfers: '/packages/transfers/index/index',
  /** 表彰年度目标与活动（党委） */
  commendationTargets: '/packages/commendations/targets/index',
  /** 本镇设置（党委工作人员） */
  townshipSettings: '/packages/settings/township/index',
  /** 县级默认设置（县委组织部） */
  countySettings: '/packages/settings/county/index',
  /** 表彰管理 */
  commendations: '/packages/commendations/index/index',
  /** 投诉建议：提交、查看答复；党委工作人员办理 */
  feedback: '/packages/feedback/index/index',
  /** 消息中心：事件消息与到期提醒 */
  messages: '/packages/messages/index/index',
  /** 隐私保护指引：全文、同意与撤回（登录页和“我的”都能打开） */
  privacy: '/packages/privacy/index/index',
  /** 数据看板 */
  dashboard: '/packages/dashboard/index/index',
  countyOverview: '/packages/dashboard/county/index',
  /** 发展党员台账 (by stage) */
  development: '/packages/development/index/index',
  /** 发展党员时间线 (?id=) */
  developmentDetail: '/packages/development/detail/index',
  /** 镇党委待办与年度目标 */
  developmentQueue: '/packages/development/queue/index',
  /** 节假日与调休上班安排（县委组织部维护） */
  workCalendar: '/packages/development/work-calendar/index',
  /** 全县发展党员目标与各乡镇进度（县委组织部） */
  countyDevelopment: '/packages/development/county/index',
  /** 我的入党进度 (applicant) */
  developmentMine: '/packages/development/mine/index',
  /** 组织生活日历（书记；党委 ?organizationId=） */
  orglifeCalendar: '/packages/orglife/calendar/index',
  /** 记录会议（三会一课、主题党日等）与出席情况 */
  orglifeMeetingForm: '/packages/orglife/meeting-form/index',
  /** 会议记录 (?id=) */
  orglifeMeeting: '/packages/orglife/meeting/index',
  /** 我的组织生活 */
  orglifeMine: '/packages/orglife/mine/index',
  /** 各支部组织生活未完成事项（党委） */
  orglifeTownship: '/packages/orglife/township/index',
  /** 党课责任表：包村、党课完成情况、双重组织生活（党委） */
  orglifeDuty: '/packages/orglife/duty/index',
  /** 乡镇管理（县委组织部）：乡镇、支部、工作人员邀请码 */
  onboardingTownships: '/packages/onboarding/townships/index',
  /** 邀请码：生成、列表与撤销（乡镇党委工作人员、县委组织部） */
  onboardingInvitations: '/packages/onboarding/invitations/index',
  /** 使用邀请码（新用户登录后） */
  onboardingRedeem: '/packages/onboarding/redeem/index',
} as const

export type Route = (typeof ROUTES)[keyof typeof ROUTES]
