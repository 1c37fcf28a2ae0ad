/** Self-registration of Party members from WeChat, verified by their branch. */
import { z } from 'zod';
import { gender, idParam, isoDate, isoMonth, memberCategory, text } from './common.js';
import { endpoint } from './http.js';
import { memberRecordInput } from './members.js';

export const registrationStatuses = ['pending', 'approved', 'rejected'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];
export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
};

/** One pending registration per account at a time, and at most this many submissions a day (Asia/Shanghai). */
export const REGISTRATIONS_PER_DAY = 3;

/**
 * What the applicant sees of their own registration: what they typed, the
 * branch they chose, and the decision. Nothing in it depends on whom the ID
 * number belongs to (a roster member, someone bound to another WeChat account,
 * another pending registration, nobody): the answer is no membership oracle.
 */
export const applicantRegistration = z.object({
  id: z.number().int(),
  status: z.enum(registrationStatuses),
  name: z.string(),
  gender,
  ethnicity: z.string(),
  birthDate: isoDate,
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
  /** The branch the applicant chose. */
  organizationId: z.number().int(),
  organizationName: z.string(),
  category: memberCategory,
  joinedAt: isoDate,
  confirmedAt: isoDate.nullable(),
  rejectReason: z.string().nullable(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  memberId: z.number().int().nullable(),
});
export type ApplicantRegistration = z.infer<typeof applicantRegistration>;

/** What the reviewing officer should check before approving (shown to officers only). */
export const registrationConflicts = ['account_bound', 'duplicate_pending'] as const;
export type RegistrationConflict = (typeof registrationConflicts)[number];
export const REGISTRATION_CONFLICT_LABELS: Record<RegistrationConflict, string> = {
  account_bound: '该身份证号的党员档案已绑定其他微信账号，请核实是否本人申请',
  duplicate_pending: '该身份证号另有待审核的登记申请，请核实后只通过其中一份',
};

/** The reviewing officer's view (the registration's branch secretary, or staff). */
export const registration = applicantRegistration.omit({ birthDate: true }).extend({
  /** 出生年月 only (see `disclosedIdentity` in idcard.ts). */
  birthMonth: isoMonth,
  /** The branch that reviews it: the roster record's branch when the ID number matched one. */
  organizationId: z.number().int(),
  organizationName: z.string(),
  /** The branch the applicant chose (differs when the roster keeps them elsewhere). */
  requestedOrganizationId: z.number().int(),
  requestedOrganizationName: z.string(),
  /** 预备期 ended more than PROBATION_OVERDUE_MONTHS ago without 转正: the secretary should look. */
  probationOverdue: z.boolean(),
  /** The ID number matched a record already on the roster (imported): approval links to it. */
  matchesRosterMember: z.boolean(),
  /** The roster record's name, to compare with the applicant's. */
  rosterMemberName: z.string().nullable(),
  conflicts: z.array(z.enum(registrationConflicts)),
});
export type Registration = z.infer<typeof registration>;

export const submitRegistration = endpoint({
  method: 'POST',
  path: '/api/registrations',
  summary: `党员登记（微信用户提交，待所在支部或党委审核；每个账号同时只能有一份待审核，每天最多提交${REGISTRATIONS_PER_DAY}次）`,
  access: 'authenticated',
  ownership: 'self',
  idempotencyKey: 'optional',
  body: memberRecordInput,
  response: applicantRegistration,
  idempotent: true,
});

export const myRegistration = endpoint({
  method: 'GET',
  path: '/api/registrations/mine',
  summary: '我的登记申请（最近一次）及审核状态',
  access: 'authenticated',
  ownership: 'self',
  response: z.object({ registration: applicantRegistration.nullable() }),
  idempotent: true,
});

export const listRegistrations = endpoint({
  method: 'GET',
  path: '/api/registrations',
  summary: '登记审核列表（支部书记看本支部，党委工作人员看全镇）',
  access: 'officer',
  ownership: 'none',
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
  ownership: 'branch',
  idempotencyKey: 'optional',
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
  ownership: 'branch',
  idempotencyKey: 'optional',
  params: idParam,
  body: rejectBody,
  response: registration,
  idempotent: true,
});
