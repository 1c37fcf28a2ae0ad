/**
 * The county's side of 发展党员: the holiday list it keeps for the 公示 working days (one year at a
 * time), and its yearly target with every township's progress beside it, in the townships' fixed
 * order (never ranked).
 */
import { z } from 'zod';
import { codeEnum, isoDate, text, urlInt } from '../common.js';
import { endpoint } from '../http.js';
import { targetProgress } from './contracts.js';
import { isWeekend, WORK_CALENDAR_KIND_LABELS, workCalendarKinds } from './workdays.js';

const year = urlInt(2000, 2999, '年份');

export const workCalendarDay = z.object({
  day: isoDate,
  kind: codeEnum(workCalendarKinds, WORK_CALENDAR_KIND_LABELS, { message: '请选择“放假”或“调休上班”' }),
  note: text(20, '说明'),
});

export const workCalendarResponse = z.object({
  year: z.number().int(),
  /** The year's holidays and make-up working days, by date. */
  days: z.array(workCalendarDay),
  /** Every year that has a list (a year without one counts Monday to Friday only). */
  listedYears: z.array(z.number().int()),
});
export type WorkCalendarResponse = z.infer<typeof workCalendarResponse>;

/** The whole list of one year: every day in that year, each once; a 调休上班 day is a Saturday or Sunday. */
export const putWorkCalendarBody = (forYear: number) =>
  z
    .object({ days: z.array(workCalendarDay).max(80, '一年最多录入80天') })
    .strict()
    .superRefine((b, issue) => {
      const seen = new Set<string>();
      b.days.forEach((d, i) => {
        if (Number(d.day.slice(0, 4)) !== forYear) issue.addIssue({ code: 'custom', path: ['days', i, 'day'], message: `${d.day}不在${forYear}年` });
        if (seen.has(d.day)) issue.addIssue({ code: 'custom', path: ['days', i, 'day'], message: `${d.day}重复录入` });
        if (d.kind === 'workday' && !isWeekend(d.day)) issue.addIssue({ code: 'custom', path: ['days', i, 'kind'], message: `${d.day}本来就是工作日，“调休上班”只能是周六或周日` });
        seen.add(d.day);
      });
    });

/** The body as the contract declares it (the year check runs in the handler, which knows the path's year). */
const workCalendarBody = z.object({ days: z.array(workCalendarDay).max(80, '一年最多录入80天') }).strict();

export const getWorkCalendar = endpoint({
  method: 'GET',
  path: '/api/work-calendar',
  summary: '节假日与调休上班安排（县委组织部维护；公示按工作日计算）',
  access: 'officer',
  ownership: 'none',
  query: z.object({ year: year.optional() }).strict(),
  response: workCalendarResponse,
  idempotent: true,
});

export const putWorkCalendar = endpoint({
  method: 'PUT',
  path: '/api/work-calendar/:year',
  summary: '保存某年的节假日与调休上班安排（县委组织部；整年替换；需 Idempotency-Key）',
  access: 'county',
  ownership: 'none',
  idempotencyKey: 'required',
  params: z.object({ year }),
  body: workCalendarBody,
  response: workCalendarResponse,
  idempotent: true,
});

export const countyDevelopmentResponse = z.object({
  year: z.number().int(),
  /** The county's own target and the admissions of all its townships. */
  county: targetProgress,
  /** Each township's target and admissions, in the townships' fixed order. */
  townships: z.array(targetProgress.extend({ organizationId: z.number().int(), name: z.string() })),
});
export type CountyDevelopmentResponse = z.infer<typeof countyDevelopmentResponse>;

export const countyDevelopment = endpoint({
  method: 'GET',
  path: '/api/county/development',
  summary: '全县年度发展党员目标与各乡镇进度（县委组织部；按乡镇固定顺序列出）',
  access: 'county',
  ownership: 'none',
  query: z.object({ year: year.optional() }).strict(),
  response: countyDevelopmentResponse,
  idempotent: true,
});

export const setCountyDevelopmentTarget = endpoint({
  method: 'PUT',
  path: '/api/county/development/targets/:year',
  summary: '设定全县年度发展党员目标（县委组织部；需 Idempotency-Key）',
  access: 'county',
  ownership: 'none',
  idempotencyKey: 'required',
  params: z.object({ year }),
  body: z.object({ target: z.number().int().min(0).max(10000) }).strict(),
  response: countyDevelopmentResponse,
  idempotent: true,
});
