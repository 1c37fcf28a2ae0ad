/** Commendation campaigns with quotas, and the yearly targets. */
import { z } from 'zod';
import { codeList, isoDate, text } from '../common.js';
import { endpoint } from '../http.js';
import { COMMENDATION_CATEGORY_LABELS, commendationCategory, commendationYear } from './records.js';

// --- Campaigns -------------------------------------------------------------

export const quotas = z
  .object({
    outstanding_member: z.number().int().min(0).max(1000).optional(),
    outstanding_worker: z.number().int().min(0).max(1000).optional(),
    advanced_organization: z.number().int().min(0).max(1000).optional(),
  })
  .strict()
  .describe(`Places per category code (${codeList(COMMENDATION_CATEGORY_LABELS)})`);
export type Quotas = z.infer<typeof quotas>;

export const campaign = z.object({
  id: z.number().int(),
  name: z.string(),
  year: z.number().int(),
  heldOn: isoDate.nullable(),
  /** Places per category; a category without a quota is unlimited. */
  quotas,
  /** Places used so far per category. */
  used: z.record(z.string(), z.number().int()),
});
export type Campaign = z.infer<typeof campaign>;

export const createCampaignBody = z
  .object({
    name: text(40, '表彰活动名称').pipe(z.string().min(2, '请填写表彰活动名称，如“2026年七一表彰”')),
    year: commendationYear,
    heldOn: isoDate.nullable().optional(),
    quotas: quotas.default({}),
  })
  .strict();

export const listCampaigns = endpoint({
  method: 'GET',
  path: '/api/commendation-campaigns',
  summary: '表彰活动及名额使用情况',
  access: 'officer',
  ownership: 'none',
  query: z.object({ year: commendationYear.optional() }),
  response: z.object({ campaigns: z.array(campaign) }),
  idempotent: true,
});

export const createCampaign = endpoint({
  method: 'POST',
  path: '/api/commendation-campaigns',
  summary: '新建表彰活动（党委工作人员；需 Idempotency-Key）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  body: createCampaignBody,
  response: campaign,
  idempotent: true,
});

// --- Targets ---------------------------------------------------------------

export const targetProgress = z.object({
  category: commendationCategory,
  unit: z.string(),
  /** Null when no target is set for the year. */
  target: z.number().int().nullable(),
  /** Commendations recorded that year in the township (person-times / organizations). */
  achieved: z.number().int(),
  percent: z.number().int().nullable(),
});
export type TargetProgress = z.infer<typeof targetProgress>;

export const targetsResponse = z.object({ year: z.number().int(), targets: z.array(targetProgress) });

export const putTargetsBody = z
  .object({
    targets: z
      .array(z.object({ category: commendationCategory, target: z.number().int().min(0, '目标不能为负数').max(10_000) }).strict())
      .min(1, '请至少填写一项目标')
      .max(3)
      .refine((list) => new Set(list.map((t) => t.category)).size === list.length, { message: '同一类别只能填写一次' }),
  })
  .strict();

export const getTargets = endpoint({
  method: 'GET',
  path: '/api/commendation-targets',
  summary: '年度表彰目标与完成进度',
  access: 'officer',
  ownership: 'none',
  query: z.object({ year: commendationYear.optional() }),
  response: targetsResponse,
  idempotent: true,
});

export const putTargets = endpoint({
  method: 'PUT',
  path: '/api/commendation-targets',
  summary: '设置年度表彰目标（党委工作人员）',
  access: 'staff',
  ownership: 'township',
  query: z.object({ year: commendationYear }),
  body: putTargetsBody,
  response: targetsResponse,
  idempotent: true,
});
