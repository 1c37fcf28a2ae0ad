/**
 * The member's own data export made readable (PIPL art. 45; issue 19.6): the Chinese heading of every field the
 * export's sections carry, and how a stored value reads (Beijing time, 是/否). The .xlsx file uses them; the JSON
 * file keeps the schema's names for machines. A field without a heading here fails the privacy test.
 */
import { shanghaiDateTime } from './calendar.js';

export const MY_DATA_FIELD_LABELS: Readonly<Record<string, string>> = {
  id: '编号',
  role: '身份',
  displayName: '显示名称',
  openid: '微信标识（openid）',
  organizationId: '组织编号',
  organizationName: '所在组织',
  memberId: '党员编号',
  createdAt: '建立时间',
  updatedAt: '更新时间',
  lastLoginAt: '最近登录',
  name: '姓名',
  gender: '性别',
  ethnicity: '民族',
  birthDate: '出生日期',
  idMasked: '身份证号（脱敏）',
  phone: '手机号（脱敏）',
  education: '学历',
  category: '人员类别',
  joinedAt: '入党日期',
  confirmedAt: '转正日期',
  status: '状态',
  rejectReason: '退回原因',
  decidedAt: '审核时间',
  way: '学习方式',
  topic: '内容',
  startedAt: '开始时间',
  finishedAt: '结束时间',
  creditedMinutes: '计入分钟',
  creditedDay: '计入日期',
  day: '日期',
  minutes: '分钟',
  requestedMinutes: '填报分钟',
  source: '来源',
  eventId: '集中学习编号',
  recordedAt: '记录时间（离线）',
  offlineLate: '离线补传',
  selfReportedMinutes: '自报分钟',
  year: '年度',
  years: '党龄（年）',
  mode: '方式',
  reflection: '感言',
  signedAt: '签到时间',
  ceremonyHeldOn: '集体活动日期',
  ceremonyTopic: '集体活动主题',
  windowOpens: '提醒开始',
  windowCloses: '提醒结束',
  state: '状态',
  sentAt: '发送时间',
  awardedOn: '颁发日期',
  presentedBy: '颁发人',
  note: '备注',
  kind: '类型',
  memberName: '姓名',
  fromOrganizationName: '转出组织',
  toOrganizationName: '转入组织',
  letterAddressee: '介绍信抬头',
  scope: '转接范围',
  reason: '转接原因',
  reasonNote: '原因说明',
  duesPaidThrough: '党费交至',
  contactPhone: '联系电话（脱敏）',
  appliedOn: '申请日期',
  letterNumber: '介绍信编号',
  letterIssuedOn: '开具日期',
  letterExpiresOn: '有效期至',
  receiptReceivedOn: '回执收到日期',
  reportedOn: '报到日期',
  completedOn: '办结日期',
  closingReason: '结束原因',
  events: '办理经过',
  level: '级别',
  title: '标题',
  issuedBy: '授予单位',
  citation: '事迹',
  meetingId: '会议编号',
  meetingType: '会议类型',
  meetingDay: '会议日期',
  meetingTopic: '会议主题',
  leaveReason: '请假原因',
  leaveNote: '请假说明',
  appraisalId: '评议编号',
  branchId: '所包村（支部）编号',
  endedAt: '结束时间',
  grade: '评议等次',
  followUp: '后续帮扶',
  stage: '阶段',
  steps: '经过步骤',
  body: '内容',
  anonymous: '匿名',
  reply: '答复',
  repliedAt: '答复时间',
  closedAt: '办结时间',
  history: '处理经过',
  readAt: '阅读时间',
  version: '指引版本',
  agreedAt: '同意时间',
  withdrawnAt: '撤回时间',
  action: '事项',
  at: '时间',
  actorRole: '经办人身份',
  details: '详情',
  fromState: '原状态',
  toState: '新状态',
  comment: '意见',
  step: '步骤',
  date: '日期',
  evidence: '材料',
  late: '逾期',
};

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A stored value as a person reads it: instants in Beijing time, yes/no in Chinese, lists one item a line. */
export function readableValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? shanghaiDateTime(new Date(value)) : value;
  if (Array.isArray(value)) return value.map((item) => readableLine(item)).join('\n');
  return readableLine(value);
}

/** One nested item (a step of a transfer, a reply to a complaint): its values in order, headed by their labels. */
function readableLine(item: unknown): string {
  if (item === null || typeof item !== 'object') return String(readableValue(item) ?? '');
  return Object.entries(item as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${MY_DATA_FIELD_LABELS[k] ?? k}：${readableValue(v)}`)
    .join('，');
}
