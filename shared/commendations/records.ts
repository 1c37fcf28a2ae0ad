/**
 * Commendations (两优一先): the vocabulary, the rules and the records'
 * contracts. Schemas and pure rules only (imported by api and miniapp).
 */
import { z } from 'zod';
import { codeEnum, isoDate, idParam, okResponse, percent, text, urlId, urlInt } from '../common.js';
import { endpoint } from '../http.js';

export const OUTSTANDING_MEMBER = 'outstanding_member';
export const OUTSTANDING_WORKER = 'outstanding_worker';
export const ADVANCED_ORGANIZATION = 'advanced_organization';
export const commendationCategories = [OUTSTANDING_MEMBER, OUTSTANDING_WORKER, ADVANCED_ORGANIZATION] as const;
export type CommendationCategory = (typeof commendationCategories)[number];
export const COMMENDATION_CATEGORY_LABELS: Record<CommendationCategory, string> = {
  outstanding_member: '优秀共产党员',
  outstanding_worker: '优秀党务工作者',
  advanced_organization: '先进基层党组织',
};
export const commendationCategory = codeEnum(commendationCategories, COMMENDATION_CATEGORY_LABELS, { message: '请选择表彰类别' });

/** 两优 commend a person, 一先 an organization. */
export const MEMBER_CATEGORIES: readonly CommendationCategory[] = [OUTSTANDING_MEMBER, OUTSTANDING_WORKER];
export const isMemberCategory = (c: CommendationCategory): boolean => MEMBER_CATEGORIES.includes(c);
export type CommendationSubject = 'member' | 'organization';
export const subjectOf = (c: CommendationCategory): CommendationSubject => (isMemberCategory(c) ? 'member' : 'organization');

export const commendationLevels = ['township', 'county', 'city', 'province', 'national'] as const;
export type CommendationLevel = (typeof commendationLevels)[number];
export const COMMENDATION_LEVEL_LABELS: Record<CommendationLevel, string> = {
  township: '镇级',
  county: '县级',
  city: '市级',
  province: '省级',
  national: '全国',
};
export const commendationLevel = codeEnum(commendationLevels, COMMENDATION_LEVEL_LABELS, { message: '请选择表彰级别' });

/** What a target counts in: people for 两优, organizations for 一先. */
export const CATEGORY_UNITS: Record<CommendationCategory, string> = {
  outstanding_member: '人次',
  outstanding_worker: '人次',
  advanced_organization: '个',
};

export const commendationYear = urlInt(2000, 2100, '年份');

/** The certificate's wording when staff leave the title empty: "2026年度优秀共产党员". */
export function defaultTitle(year: number, category: CommendationCategory): string {
  return `${year}年度${COMMENDATION_CATEGORY_LABELS[category]}`;
}

/**
 * The honor year is the awarding year or the one before (2025年度 honors are
 * often handed out at 七一 2026); anything else is a typing slip.
 */
export function yearFitsAwardDate(year: number, awardedOn: string): boolean {
  const awardedYear = Number(awardedOn.slice(0, 4));
  return year === awardedYear || year === awardedYear - 1;
}

/** Progress against a target, as the shared whole percent capped at 100 for bars; null without a target. */
export function progressPercent(achieved: number, target: number | null): number | null {
  if (target == null) return null;
  const p = percent(achieved, target);
  return p == null ? null : Math.min(100, p);
}

export const commendation = z.object({
  id: z.number().int(),
  category: commendationCategory,
  subject: z.enum(['member', 'organization']),
  memberId: z.number().int().nullable(),
  /** The person's name, or the organization's for 先进基层党组织. */
  subjectName: z.string(),
  /** The branch: the member's branch, or the commended organization itself. */
  organizationId: z.number().int(),
  organizationName: z.string(),
  level: commendationLevel,
  year: z.number().int(),
  title: z.string(),
  awardedOn: isoDate,
  issuedBy: z.string(),
  citation: z.string(),
  campaignId: z.number().int().nullable(),
  campaignName: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Commendation = z.infer<typeof commendation>;

const titleText = text(60, '荣誉称号');
const issuedByText = text(60, '授予单位').pipe(z.string().min(1, '请填写授予单位'));
const citationText = text(500, '事迹简介');

export const createCommendationBody = z
  .object({
    category: commendationCategory,
    /** Required for 优秀共产党员 / 优秀党务工作者. */
    memberId: z.number().int().positive().max(2_147_483_647).optional(),
    /** Required for 先进基层党组织 (a branch). */
    organizationId: z.number().int().positive().max(2_147_483_647).optional(),
    level: commendationLevel,
    year: commendationYear.optional(),
    title: titleText.optional(),
    awardedOn: isoDate,
    issuedBy: issuedByText,
    citation: citationText.default(''),
    campaignId: z.number().int().positive().max(2_147_483_647).nullable().optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (isMemberCategory(b.category)) {
      if (b.memberId == null) ctx.addIssue({ code: 'custom', path: ['memberId'], message: '请选择受表彰的党员' });
      if (b.organizationId != null) ctx.addIssue({ code: 'custom', path: ['organizationId'], message: '表彰党员时不需要选择组织' });
    } else {
      if (b.organizationId == null) ctx.addIssue({ code: 'custom', path: ['organizationId'], message: '请选择受表彰的党组织' });
      if (b.memberId != null) ctx.addIssue({ code: 'custom', path: ['memberId'], message: '表彰党组织时不需要选择党员' });
    }
    if (b.year != null && !yearFitsAwardDate(b.year, b.awardedOn)) {
      ctx.addIssue({ code: 'custom', path: ['year'], message: '表彰年度应为授予日期的当年或上一年' });
    }
  });
export type CreateCommendationBody = z.input<typeof createCommendationBody>;

/** Edits keep the subject (person or organization): a wrong subject is deleted and recorded again. */
export const updateCommendationBody = z
  .object({
    /** The version the editor loaded: a stale edit is refused instead of silently overwriting. */
    version: z.number().int().positive().max(2_147_483_647),
    category: commendationCategory.optional(),
    level: commendationLevel.optional(),
    year: commendationYear.optional(),
    title: titleText.pipe(z.string().min(1, '请填写荣誉称号')).optional(),
    awardedOn: isoDate.optional(),
    issuedBy: issuedByText.optional(),
    citation: citationText.optional(),
    campaignId: z.number().int().positive().max(2_147_483_647).nullable().optional(),
  })
  .strict();
export type UpdateCommendationBody = z.input<typeof updateCommendationBody>;

export const commendationQuery = z.object({
  id: urlId.optional(),
  year: commendationYear.optional(),
  category: commendationCategory.optional(),
  memberId: urlId.optional(),
  campaignId: urlId.optional(),
});

export const listCommendations = endpoint({
  method: 'GET',
  path: '/api/commendations',
  summary: '表彰记录（党员看本人，书记看本支部，党委看全镇）',
  access: 'member',
  ownership: 'none',
  query: commendationQuery,
  response: z.object({ commendations: z.array(commendation) }),
  idempotent: true,
});

export const createCommendation = endpoint({
  method: 'POST',
  path: '/api/commendations',
  summary: '录入表彰（党委工作人员；需 Idempotency-Key）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  body: createCommendationBody,
  response: commendation,
  idempotent: true,
});

export const updateCommendation = endpoint({
  method: 'PATCH',
  path: '/api/commendations/:id',
  summary: '修改表彰（党委工作人员）',
  access: 'staff',
  ownership: 'township',
  params: idParam,
  body: updateCommendationBody,
  response: commendation,
});

export const deleteCommendation = endpoint({
  method: 'DELETE',
  path: '/api/commendations/:id',
  summary: '撤销表彰记录（党委工作人员；保留留痕）',
  access: 'staff',
  ownership: 'township',
  params: idParam,
  response: okResponse,
  idempotent: true,
});
