/** Study oversight contracts: a branch's day, the township's summary. */
import { z } from 'zod';
import { daysBetween, isIsoDate } from '../calendar.js';
import { idParam, isoDate } from '../common.js';
import { endpoint } from '../http.js';
import { SUMMARY_MAX_DAYS } from './rules.js';

// ---------------------------------------------------------------- oversight

export const organizationDay = endpoint({
  method: 'GET',
  path: '/api/study/organizations/:id/day',
  summary: '支部某日学习情况（未满60分钟名单、本月达标天数）',
  access: 'officer',
  params: idParam,
  query: z.object({ date: isoDate.optional() }).strict(),
  response: z.object({
    organization: z.object({ id: z.number().int(), name: z.string() }),
    date: isoDate,
    targetMinutes: z.number().int(),
    /** Days of the month up to `date`, the denominator of each member's completion rate. */
    monthDays: z.number().int(),
    members: z.array(
      z.object({
        memberId: z.number().int(),
        name: z.string(),
        minutes: z.number().int(),
        met: z.boolean(),
        monthMetDays: z.number().int(),
        monthRate: z.number(),
      }),
    ),
    metCount: z.number().int(),
    belowCount: z.number().int(),
  }),
  idempotent: true,
});

const dateRange = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] })
  .refine((q) => !q.from || !q.to || !isIsoDate(q.from) || !isIsoDate(q.to) || daysBetween(q.from, q.to) < SUMMARY_MAX_DAYS, {
    message: `日期范围最长${SUMMARY_MAX_DAYS}天`,
    path: ['to'],
  });

export const summary = endpoint({
  method: 'GET',
  path: '/api/study/summary',
  summary: '全镇学习汇总：各支部达标率、每日趋势、7天以上未学习党员',
  access: 'staff',
  query: dateRange,
  response: z.object({
    from: isoDate,
    to: isoDate,
    targetMinutes: z.number().int(),
    branches: z.array(
      z.object({
        organizationId: z.number().int(),
        name: z.string(),
        memberCount: z.number().int(),
        metMemberDays: z.number().int(),
        memberDays: z.number().int(),
        rate: z.number(),
        totalMinutes: z.number().int(),
      }),
    ),
    trend: z.array(z.object({ day: isoDate, studiedMembers: z.number().int(), metMembers: z.number().int(), rate: z.number() })),
    memberCount: z.number().int(),
    inactive: z.array(
      z.object({
        memberId: z.number().int(),
        name: z.string(),
        organizationName: z.string(),
        lastStudyDay: isoDate.nullable(),
        daysSince: z.number().int().nullable(),
      }),
    ),
    inactiveTotal: z.number().int(),
  }),
  idempotent: true,
});
