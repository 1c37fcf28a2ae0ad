/** Self-registration of Party members from WeChat, verified by their branch. */
import { z } from 'zod';
import { gender, idParam, isoDate, memberCategories, text } from './common.js';
import { endpoint } from './http.js';
import { memberRecordInput } from './members.js';

export const registrationStatuses = ['pending', 'approved', 'rejected'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];
export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
};

export const registration = z.object({
  id: z.number().int(),
  status: z.enum(registrationStatuses),
  name: z.string(),
  gender,
  ethnicity: z.string(),
  birthDate: isoDate,
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
  organizationId: z.number().int(),
  organizationName: z.string(),
  category: z.enum(memberCategories),
  joinedAt: isoDate,
  confirmedAt: isoDate.nullable(),
  /** 预备期 ended more than PROBATION_OVERDUE_MONTHS ago without 转正: the secretary should look. */
  probationOverdue: z.boolean(),
  /** The ID number matched a record already on the roster (imported): approval links to it. */
  matchesRosterMember: z.boolean(),
  /** Officers only: the roster record's name, to compare with the applicant's. */
  rosterMemberName: z.string().nullable(),
  rejectReason: z.string().nullable(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  memberId: z.number().int().nullable(),
});
export type Registration = z.infer<typeof registration>;

export const submitRegistration = endpoint({
  method: 'POST',
  path: '/api/registrations',
  summary: '党员登记（微信用户提交，待所在支部或党委审核）',
  access: 'authenticated',
  body: memberRecordInput,
  response: registration,
  idempotent: true,
});

export const myRegistration = endpoint({
  method: 'GET',
  path: '/api/registrations/mine',
  summary: '我的登记申请（最近一次）及审核状态',
  access: 'authenticated',
  response: z.object({ registration: registration.nullable() }),
  idempotent: true,
});

export const listRegistrations = endpoint({
  method: 'GET',
  path: '/api/registrations',
  summary: '登记审核列表（支部书记看本支部，党委工作人员看全镇）',
  access: 'officer',
  query: z
    .object({
      status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(registrationStatuses).default('pending')),
    })
    .strict(),
  response: z.object({ items: z.array(registration) }),
  idempotent: true,
});

export const approveRegistration = endpoint({
  method: 'POST',
  path: '/api/registrations/:id/approve',
  summary: '审核通过登记（写入审计日志）',
  access: 'officer',
  params: idParam,
  response: registration,
  idempotent: true,
});

export const rejectBody = z
  .object({
    reason: text(200, '退回原因').min(2, '请填写退回原因（至少2个字），申请人会看到'),
  })
  .strict();

export const rejectRegistration = endpoint({
  method: 'POST',
  path: '/api/registrations/:id/reject',
  summary: '退回登记并说明原因（申请人可见；写入审计日志）',
  access: 'officer',
  params: idParam,
  body: rejectBody,
  response: registration,
  idempotent: true,
});
