/** Study contracts for the member: entries, timed sessions, self-report, my study. */
import { z } from 'zod';
import { idParam, isoDate, isoMonth, text } from '../common.js';
import { endpoint } from '../http.js';
import { SELF_REPORT_DAILY_CAP_MINUTES, studySources, studyWay } from './rules.js';
import { queuedClaim } from '../queued-writes.js';

// ---------------------------------------------------------------- schemas

export const topic = text(100, '学习内容').pipe(z.string().min(1, '请填写学习内容'));
export const instant = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601（含时区）' });

export const studyEntry = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  day: isoDate,
  minutes: z.number().int(),
  /** What was asked for (self-report); null for timer and events. */
  requestedMinutes: z.number().int().nullable(),
  way: studyWay,
  topic: z.string(),
  source: z.enum(studySources),
  sessionId: z.number().int().nullable(),
  eventId: z.number().int().nullable(),
  createdAt: z.string(),
  /** When the member acted, for a write queued offline; null when sent at once. */
  recordedAt: z.string().nullable(),
  /** 离线补传: made offline, arrived later (within OFFLINE_BOUND_HOURS). */
  offlineLate: z.boolean(),
});
export type StudyEntry = z.infer<typeof studyEntry>;

export const studySession = z.object({
  id: z.number().int(),
  way: studyWay,
  topic: z.string(),
  startedAt: z.string(),
  /** After this instant the session stops counting (cap reached). */
  expiresAt: z.string(),
  /** Credit stops here unless the open page confirms presence again (shared/study-timer.ts). */
  creditEndsAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(['open', 'finished', 'expired']),
  creditedMinutes: z.number().int().nullable(),
  creditedDay: isoDate.nullable(),
});
export type StudySession = z.infer<typeof studySession>;

// ---------------------------------------------------------------- member

export const startSession = endpoint({
  method: 'POST',
  path: '/api/study/sessions',
  summary: '开始计时学习（以服务器时间为准）',
  access: 'member',
  ownership: 'self',
  idempotencyKey: 'required',
  // .strict(): a client-sent duration or start time is refused, never trusted.
  body: z.object({ way: studyWay, topic }).strict(),
  response: z.object({ session: studySession }),
  idempotent: true,
});

export const finishSession = endpoint({
  method: 'POST',
  path: '/api/study/sessions/:id/finish',
  summary: '结束计时学习：计入在场的时间（最后一次在场确认后5分钟内），跨零点按天拆分，单次最多120分钟',
  access: 'member',
  ownership: 'personal',
  idempotencyKey: 'required',
  params: idParam,
  /** `queued`: finished offline; the session closes at the bounded claim (shared/queued-writes.ts), not at upload. */
  body: z.object({ queued: queuedClaim.optional() }).strict(),
  /** One entry per Shanghai day the credited time spans (a session past midnight has two). */
  response: z.object({ session: studySession, entries: z.array(studyEntry) }),
  idempotent: true,
});

export const checkIn = endpoint({
  method: 'POST',
  path: '/api/study/checkins',
  summary: '自主填报学习分钟；支部书记可填 memberId 为本支部党员代录',
  access: 'member',
  ownership: 'self',
  idempotencyKey: 'required',
  body: z
    .object({
      way: studyWay,
      topic,
      minutes: z.number().int('分钟数应为整数').min(1, '分钟数至少为1').max(SELF_REPORT_DAILY_CAP_MINUTES, `每天自报最多${SELF_REPORT_DAILY_CAP_MINUTES}分钟`),
      /** 代录: officers only. */
      memberId: z.number().int().positive().max(2_147_483_647).optional(),
      /** Made offline and queued: lands on the Shanghai day it was made, within the bound (shared/queued-writes.ts). */
      queued: queuedClaim.optional(),
    })
    .strict(),
  response: studyEntry,
  idempotent: true,
  // One statement that is its own flood guard: the per-day cap and the idempotency key bound it.
  rateLimit: false,
});

export const myStudy = endpoint({
  method: 'GET',
  path: '/api/study/me',
  summary: '我的学习：今日进度、连续达标天数、月历、全年学时、最近记录',
  access: 'member',
  ownership: 'self',
  query: z.object({ month: isoMonth.optional() }).strict(),
  response: z.object({
    today: isoDate,
    targetMinutes: z.number().int(),
    todayMinutes: z.number().int(),
    selfReportedToday: z.number().int(),
    selfReportRemaining: z.number().int(),
    streakDays: z.number().int(),
    yearMinutes: z.number().int(),
    month: isoMonth,
    calendar: z.array(z.object({ day: isoDate, minutes: z.number().int() })),
    recent: z.array(studyEntry),
    openSession: studySession.nullable(),
    sessionCapMinutes: z.number().int(),
    /** The server's clock, so the app shows a running timer in server time. */
    serverNow: z.string(),
  }),
  idempotent: true,
});
