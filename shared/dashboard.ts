/**
 * The township dashboard (数据看板): one request, the same shape for staff
 * (the township) and a secretary (their branch).
 */
import { z } from 'zod';
import { commendationCategory } from './commendations/records.js';
import { isoDate, urlId } from './common.js';
import { endpoint } from './http.js';

/** A registration still pending after this many days counts as overdue (the branch should verify within a week). */
export const REGISTRATION_OVERDUE_DAYS = 7;
/** Days in the study trend, today included. */
export const TREND_DAYS = 30;

const count = z.number().int();
const percentField = z.number().int().nullable();

/** Branches come in their fixed order (sortOrder, id), never ordered or ranked by a figure. */
export const branchFigures = z.object({
  organizationId: z.number().int(),
  name: z.string(),
  /** Active members (在册). */
  members: count,
  formal: count,
  probationary: count,
  registrationsPending: count,
  studyTodayMet: count,
  /** Minutes recorded this month: an aggregate, never a rate to compare branches by (国办函〔2026〕12号). */
  studyMonthMinutes: count,
  birthdaysDue: count,
  birthdaysSigned: count,
  commendations: count,
});
export type BranchFigures = z.infer<typeof branchFigures>;

export const dashboardResponse = z.object({
  /** `county`: county staff's whole county; with `?townshipId=` they see that township's dashboard as its staff do. */
  scope: z.object({ kind: z.enum(['county', 'township', 'branch']), organizationId: z.number().int(), name: z.string() }),
  today: isoDate,
  year: z.number().int(),
  /** 1–12. */
  month: z.number().int(),
  members: z.object({ total: count, formal: count, probationary: count }),
  registrations: z.object({ pending: count, overdue: count, overdueAfterDays: count }),
  transfers: z.object({
    /** Not yet completed, rejected or withdrawn. */
    open: count,
    /** Waiting for the caller's own step (the transfers inbox's 待我办理, same rule: `awaitingSteps`). */
    awaitingMe: count,
    /** Letter expired or 回执 more than a month late. */
    overdue: count,
  }),
  study: z.object({
    targetMinutes: count,
    todayMet: count,
    todayPercent: percentField,
    monthMetMemberDays: count,
    monthMemberDays: count,
    monthPercent: percentField,
    /** Oldest first, TREND_DAYS days ending today. */
    trend: z.array(z.object({ day: isoDate, met: count, percent: percentField })),
  }),
  birthdays: z.object({ due: count, signed: count, percent: percentField }),
  /** 投诉建议 not yet closed: the township's for staff, those sent from the branch for a secretary (a count, never who). */
  feedback: z.object({ open: count }),
  commendations: z.object({
    year: z.number().int(),
    targets: z.array(
      z.object({
        category: commendationCategory,
        unit: z.string(),
        /** The township's target (null: none set). */
        target: z.number().int().nullable(),
        /** Commendations in the caller's scope (the branch for a secretary). */
        achieved: count,
        /** The whole township's, which the target is about. */
        townshipAchieved: count,
        percent: percentField,
      }),
    ),
  }),
  branches: z.array(branchFigures),
});
export type DashboardResponse = z.infer<typeof dashboardResponse>;

export const dashboard = endpoint({
  method: 'GET',
  path: '/api/dashboard',
  summary: '党建数据看板（党委看全镇，书记看本支部，县委组织部看全县或用 townshipId 查看某个乡镇）',
  access: 'officer',
  ownership: 'none',
  query: z.object({ townshipId: urlId.optional() }).strict(),
  response: dashboardResponse,
  idempotent: true,
});
