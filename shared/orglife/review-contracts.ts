/** Organizational life: the endpoint contracts of 民主评议, 谈心谈话 and the yearly export. */
import { z } from 'zod';
import { bodyId, idParam, isoDate, text, urlId } from '../common.js';
import { endpoint } from '../http.js';
import { yearParam } from './contracts.js';
import { appraisalGrades } from './rules.js';

// ---------------------------------------------------------------- 民主评议

export const appraisal = z.object({
  id: z.number().int(),
  organizationId: z.number().int(),
  year: z.number().int(),
  assessedCount: z.number().int(),
  excellentCount: z.number().int(),
  excellentLimit: z.number().int(),
  completed: z.boolean(),
  members: z.array(
    z.object({ memberId: z.number().int(), name: z.string(), grade: z.enum(appraisalGrades).nullable(), followUp: z.string().nullable() }),
  ),
});
export type Appraisal = z.infer<typeof appraisal>;

export const openAppraisal = endpoint({
  method: 'POST',
  path: '/api/orglife/appraisals',
  summary: '开始本年度民主评议党员（名单为当日在册党员）',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  body: z.object({ organizationId: bodyId.optional(), year: z.number().int().min(2000).max(2100) }).strict(),
  response: appraisal,
  idempotent: true,
});

export const getAppraisal = endpoint({
  method: 'GET',
  path: '/api/orglife/appraisals/:id',
  summary: '民主评议名单与等次',
  access: 'officer',
  ownership: 'branch',
  params: idParam,
  response: appraisal,
  idempotent: true,
});

export const gradeMember = endpoint({
  method: 'PUT',
  path: '/api/orglife/appraisals/:id/grades/:memberId',
  summary: '支部提出评议等次（优秀不超过参评人数的三分之一；不合格须写明处置）',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  params: z.object({ id: urlId, memberId: urlId }),
  body: z
    .object({ grade: z.enum(appraisalGrades), followUp: text(300, '处置意见').optional() })
    .strict()
    .refine((b) => b.grade !== 'unqualified' || (b.followUp ?? '').length > 0, {
      message: '评为不合格须写明处置意见（如限期改正）',
      path: ['followUp'],
    }),
  response: appraisal,
  idempotent: true,
});

// ---------------------------------------------------------------- 谈心谈话

export const recordTalk = endpoint({
  method: 'POST',
  path: '/api/orglife/talks',
  summary: '记录谈心谈话（双方和支部书记可见）',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  body: z
    .object({
      withMemberId: bodyId,
      day: isoDate,
      topic: text(100, '谈话主题').pipe(z.string().min(1, '请填写谈话主题')),
      note: text(500, '谈话要点').optional(),
    })
    .strict(),
  response: z.object({ id: z.number().int(), withMemberId: z.number().int(), day: isoDate, topic: z.string() }),
  idempotent: true,
});

// ---------------------------------------------------------------- reports

export const exportSummary = endpoint({
  method: 'GET',
  path: '/api/orglife/export',
  summary: '导出三会一课季度汇总和学时台账（Excel）',
  access: 'officer',
  ownership: 'branch',
  query: z.object({ year: yearParam.optional(), organizationId: urlId.optional() }).strict(),
  response: null,
  idempotent: true,
});
