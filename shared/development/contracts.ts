/** 发展党员 API contracts: the branch's records and steps, the township's queue and target, the applicant's own view. */
import { z } from 'zod';
import { bodyId, gender, idNumber, idParam, isoDate, memberStatuses, mobilePhone, personName, text, urlInt, urlId } from '../common.js';
import { endpoint } from '../http.js';
import { onBehalfConsent } from '../privacy/contracts.js';
import { developmentStages, developmentSteps } from './rules.js';

export const developmentStep = z.enum(developmentSteps);
export const developmentStage = z.enum(developmentStages);

export const stepWindowView = z.object({
  step: developmentStep,
  label: z.string(),
  earliest: isoDate,
  latest: isoDate.nullable(),
  hardLatest: isoDate.nullable(),
  rule: z.string(),
  /** Who records it: the branch secretary or the township committee. */
  actor: z.enum(['branch', 'township']),
  /** Today is past `latest` and it is not done. */
  overdue: z.boolean(),
});
export type StepWindowView = z.infer<typeof stepWindowView>;

export const stepDetails = z
  .object({
    contacts: z.array(z.object({ memberId: z.number().int(), name: z.string() })).optional(),
    trainingDays: z.number().optional(),
    trainingHours: z.number().optional(),
    entitled: z.number().int().optional(),
    present: z.number().int().optional(),
    inFavour: z.number().int().optional(),
    months: z.number().int().optional(),
    noticeEndsOn: isoDate.optional(),
    confirmedAt: isoDate.optional(),
    /** 取消预备党员资格: the status the roster row took. */
    rosterStatus: z.enum(memberStatuses).optional(),
  })
  .strict();

export const stepView = z.object({
  id: z.number().int(),
  step: developmentStep,
  label: z.string(),
  date: isoDate,
  evidence: z.string(),
  details: stepDetails,
  late: z.boolean(),
});

export const developmentSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  gender,
  birthMonth: z.string(),
  idNumberMasked: z.string(),
  organizationId: z.number().int(),
  organizationName: z.string(),
  stage: developmentStage,
  stageLabel: z.string(),
  applicationDate: isoDate.nullable(),
  /** 入党日期 (the 支部大会's day), once admitted. */
  joinedAt: isoDate.nullable(),
  next: stepWindowView.nullable(),
  warnings: z.array(z.string()),
  version: z.number().int(),
});
export type DevelopmentSummary = z.infer<typeof developmentSummary>;

export const developmentDetail = developmentSummary.extend({
  memberId: z.number().int().nullable(),
  contacts: z.array(z.object({ memberId: z.number().int(), name: z.string() })),
  steps: z.array(stepView),
  open: z.array(stepWindowView),
});
export type DevelopmentDetail = z.infer<typeof developmentDetail>;

export const listDevelopment = endpoint({
  method: 'GET',
  path: '/api/development/records',
  summary: '发展党员台账（按阶段；支部书记看本支部，党委看全镇），附下一步的时间窗口和提醒',
  access: 'officer',
  ownership: 'none',
  query: z.object({ organizationId: urlId.optional(), stage: developmentStage.optional() }).strict(),
  response: z.object({ items: z.array(developmentSummary) }),
  idempotent: true,
});

export const createDevelopment = endpoint({
  method: 'POST',
  path: '/api/development/records',
  summary: '登记入党申请（支部书记；性别、出生日期由身份证号得出，年满18周岁）',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  body: z
    .object({
      organizationId: bodyId,
      name: personName,
      idNumber,
      phone: mobilePhone,
      applicationDate: isoDate,
      evidence: text(500, '材料说明').pipe(z.string().min(1, '请填写材料说明（如：入党申请书）')),
      /** The secretary types the applicant's ID number: the applicant was told the guide and agreed. */
      memberConsent: onBehalfConsent,
    })
    .strict(),
  response: developmentDetail,
  idempotent: true,
});

export const getDevelopment = endpoint({
  method: 'GET',
  path: '/api/development/records/:id',
  summary: '某人的发展党员时间线：已完成的步骤，下一步及其最早、最迟日期',
  access: 'officer',
  ownership: 'branch',
  params: idParam,
  response: developmentDetail,
  idempotent: true,
});

export const recordStepBody = z
  .object({
    step: developmentStep,
    date: isoDate,
    evidence: text(500, '材料说明').pipe(z.string().min(1, '请填写材料说明')),
    /** The record's version the form was read at (stale forms get 409). */
    version: z.number().int().positive(),
    /** 确定入党积极分子: the two 培养联系人 (full members of the branch). */
    contactMemberIds: z.array(bodyId).length(2, '请选择两名正式党员作为培养联系人').optional(),
    trainingDays: z.number().min(0).max(365).optional(),
    trainingHours: z.number().min(0).max(2000).optional(),
    /** 支部大会: members present with a vote, and votes in favour (the roster gives those entitled). */
    present: z.number().int().min(0).max(10000).optional(),
    inFavour: z.number().int().min(0).max(10000).optional(),
    months: z.number().int().min(1).max(24).optional(),
  })
  .strict();
export type RecordStepBody = z.input<typeof recordStepBody>;

export const recordStep = endpoint({
  method: 'POST',
  path: '/api/development/records/:id/steps',
  summary: '登记一个步骤（支部书记登记支部的步骤，党委工作人员登记预审、审批、转正审批、取消资格）；早于最早日期的拒绝，晚于期限的标出',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  params: idParam,
  body: recordStepBody,
  response: developmentDetail,
  idempotent: true,
});

export const targetProgress = z.object({
  year: z.number().int(),
  target: z.number().int().nullable(),
  /** 预备党员 admitted (支部大会) that year and approved. */
  admitted: z.number().int(),
});

export const developmentQueue = endpoint({
  method: 'GET',
  path: '/api/development/queue',
  summary: '党委待办：待预审、待审批、待转正审批的发展对象和预备党员，及年度发展目标进度',
  access: 'staff',
  ownership: 'township',
  query: z.object({ year: urlInt(2000, 2999, '年份').optional() }).strict(),
  response: z.object({ items: z.array(developmentSummary), progress: targetProgress }),
  idempotent: true,
});

export const setDevelopmentTarget = endpoint({
  method: 'PUT',
  path: '/api/development/targets/:year',
  summary: '设定本镇年度发展党员目标（党委工作人员）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'optional',
  params: z.object({ year: urlInt(2000, 2999, '年份') }),
  body: z.object({ target: z.number().int().min(0).max(10000) }).strict(),
  response: targetProgress,
  idempotent: true,
});

export const exportDevelopment = endpoint({
  method: 'GET',
  path: '/api/development/export',
  summary: '导出发展党员档案清单（Excel，按档案顺序每人一张核对表）',
  access: 'officer',
  ownership: 'none',
  query: z.object({ organizationId: urlId.optional() }).strict(),
  response: null,
});

export const myDevelopment = endpoint({
  method: 'GET',
  path: '/api/development/mine',
  summary: '我的入党进度（只看本人）：已完成的步骤和下一步',
  access: 'authenticated',
  ownership: 'self',
  response: z.object({ record: developmentDetail.omit({ memberId: true }).nullable() }),
  idempotent: true,
});

export const linkMyDevelopment = endpoint({
  method: 'POST',
  path: '/api/development/mine/link',
  summary: '入党申请人关联本人的发展记录（填写姓名和身份证号）',
  access: 'authenticated',
  ownership: 'self',
  idempotencyKey: 'optional',
  body: z.object({ name: personName, idNumber }).strict(),
  response: z.object({ record: developmentDetail.omit({ memberId: true }) }),
  idempotent: true,
});
