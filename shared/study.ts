/**
 * Daily one-hour study (每天学习1小时): the rules and the API contract.
 *
 * A study day is an Asia/Shanghai calendar day. Minutes come from three sources,
 * and the server decides every number:
 * - timed self-study: minutes the member was there, by the server's own
 *   clock (presence confirmed by the open page, split at midnight), at most
 *   SESSION_CAP_MINUTES per session: shared/study-timer.ts;
 * - self-reported entries (and 代录 by a secretary): at most
 *   SELF_REPORT_DAILY_CAP_MINUTES per member per day, all such entries together;
 * - collective study events: each attendee (QR sign-in or ticked by the
 *   secretary) is credited the event's duration once.
 */
import { z } from 'zod';
import { addDays, daysBetween, isIsoDate, type IsoDate } from './calendar.js';
import { idParam, isoDate, isoMonth, text, urlId } from './common.js';
import { endpoint } from './http.js';

/** 60 minutes a day meets the target. */
export const DAILY_TARGET_MINUTES = 60;
/** A timed session never credits more than this, however long it stayed open. */
export const SESSION_CAP_MINUTES = 120;
/** Self-reported plus 代录 minutes, per member per day. */
export const SELF_REPORT_DAILY_CAP_MINUTES = 60;
/** A collective study event lasts at most this long. */
export const EVENT_MAX_MINUTES = 8 * 60;
/** Sign-in QR tokens are short-lived; the officer's screen refreshes well before expiry. */
export const QR_TOKEN_TTL_SECONDS = 180;
export const QR_REFRESH_SECONDS = 60;
/** Members may sign in from this long before an event starts until this long after it ends. */
export const SIGN_IN_MARGIN_MINUTES = 60;
/** Members with no study for this many days are listed for staff. */
export const INACTIVE_AFTER_DAYS = 7;
/** Longest day range for the staff summary. */
export const SUMMARY_MAX_DAYS = 92;

/** 五学: the five ways of study in the committee's plan. */
export const studyWays = ['中心组引领学', '教育基地实践学', '支部集中学', '青年读书会交流学', '平台自主学'] as const;
export type StudyWay = (typeof studyWays)[number];
export const studyWay = z.enum(studyWays, { message: '请选择学习方式（五学之一）' });

/** Where an entry's minutes came from. */
export const studySources = ['timer', 'self_report', 'proxy', 'event_scan', 'event_ticked'] as const;
export type StudySource = (typeof studySources)[number];
export const STUDY_SOURCE_LABELS: Record<StudySource, string> = {
  timer: '计时学习',
  self_report: '自主填报',
  proxy: '书记代录',
  event_scan: '集中学习·扫码签到',
  event_ticked: '集中学习·书记登记',
};

/** The instant an open session stops counting at the latest (the cap); presence may end it earlier (shared/study-timer.ts). */
export function sessionExpiresAt(startedAt: Date, cap = SESSION_CAP_MINUTES): Date {
  return new Date(startedAt.getTime() + cap * 60_000);
}

/** Minutes still allowed as self-report today. */
export function selfReportRemaining(selfReportedToday: number): number {
  return Math.max(0, SELF_REPORT_DAILY_CAP_MINUTES - selfReportedToday);
}

/**
 * The current streak of target days (≥ 60 minutes), counted back from today;
 * today not yet met does not break it (the day is not over), so it counts from
 * yesterday then. Months do not matter: days are plain calendar dates.
 */
export function currentStreak(metDays: Iterable<IsoDate>, today: IsoDate): number {
  const met = new Set(metDays);
  let day = met.has(today) ? today : addDays(today, -1);
  let streak = 0;
  while (met.has(day)) {
    streak += 1;
    day = addDays(day, -1);
  }
  return streak;
}

/** Colour step for the month calendar: 0 none, 1 some, 2 half, 3 target met. */
export function calendarLevel(minutes: number): 0 | 1 | 2 | 3 {
  if (minutes <= 0) return 0;
  if (minutes >= DAILY_TARGET_MINUTES) return 3;
  if (minutes >= DAILY_TARGET_MINUTES / 2) return 2;
  return 1;
}

/** What the sign-in QR code encodes: a prefix the app recognises, the event id and the signed token. */
const QR_PREFIX = 'dangjian:study-sign-in:';
export function signInQrText(eventId: number, token: string): string {
  return `${QR_PREFIX}${eventId}:${token}`;
}
export function parseSignInQrText(value: string): { eventId: number; token: string } | null {
  if (!value.startsWith(QR_PREFIX)) return null;
  const rest = value.slice(QR_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return null;
  const eventId = Number(rest.slice(0, colon));
  const token = rest.slice(colon + 1);
  if (!Number.isInteger(eventId) || eventId <= 0 || token.length < 20) return null;
  return { eventId, token };
}

/** "1小时20分钟", "45分钟": how older members read durations. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}分钟`;
  return m === 0 ? `${h}小时` : `${h}小时${m}分钟`;
}

export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

// ---------------------------------------------------------------- schemas

const topic = text(100, '学习内容').pipe(z.string().min(1, '请填写学习内容'));
const instant = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601（含时区）' });

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
  body: z.object({}).strict(),
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

// ---------------------------------------------------------------- events

export const studyEvent = z.object({
  id: z.number().int(),
  organizationId: z.number().int(),
  organizationName: z.string(),
  way: studyWay,
  topic: z.string(),
  place: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  day: isoDate,
  minutes: z.number().int(),
  attendeeCount: z.number().int(),
  /** Whether the caller is credited for it. */
  attended: z.boolean(),
  /** Officers only: who attended and how. */
  attendees: z.array(z.object({ memberId: z.number().int(), name: z.string(), source: z.enum(studySources) })).nullable(),
});
export type StudyEvent = z.infer<typeof studyEvent>;

export const createEvent = endpoint({
  method: 'POST',
  path: '/api/study/events',
  summary: '创建集中学习活动（支部书记：本支部；党委工作人员：全镇或任一支部）',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  body: z
    .object({
      organizationId: z.number().int().positive().max(2_147_483_647).optional(),
      way: studyWay,
      topic,
      place: text(60, '地点').pipe(z.string().min(1, '请填写地点')),
      startsAt: instant,
      endsAt: instant,
    })
    .strict(),
  response: studyEvent,
  idempotent: true,
});

export const listEvents = endpoint({
  method: 'GET',
  path: '/api/study/events',
  summary: '集中学习活动列表（含签到人数）',
  access: 'member',
  ownership: 'none',
  query: z.object({ organizationId: urlId.optional() }).strict(),
  response: z.object({ events: z.array(studyEvent) }),
  idempotent: true,
});

export const eventQr = endpoint({
  method: 'GET',
  path: '/api/study/events/:id/qr',
  summary: '活动签到二维码（短时有效的签名令牌，页面定时刷新）',
  access: 'officer',
  ownership: 'branch',
  params: idParam,
  response: z.object({
    token: z.string(),
    qrText: z.string(),
    /** data:image/svg+xml;base64,… */
    qrImage: z.string(),
    expiresAt: z.string(),
    refreshSeconds: z.number().int(),
  }),
  idempotent: true,
});

export const signIn = endpoint({
  method: 'POST',
  path: '/api/study/events/:id/sign-in',
  summary: '扫码签到集中学习',
  access: 'member',
  ownership: 'branch',
  idempotencyKey: 'required',
  params: idParam,
  body: z.object({ token: z.string().min(20).max(2000) }).strict(),
  response: z.object({ entry: studyEntry, alreadySignedIn: z.boolean() }),
  idempotent: true,
});

export const tickAttendees = endpoint({
  method: 'POST',
  path: '/api/study/events/:id/attendees',
  summary: '书记勾选参加集中学习的党员（每人每次活动只计一次）',
  access: 'officer',
  ownership: 'branch',
  idempotencyKey: 'required',
  params: idParam,
  body: z
    .object({ memberIds: z.array(z.number().int().positive().max(2_147_483_647)).min(1, '请至少勾选一名党员').max(500) })
    .strict(),
  response: z.object({ minutes: z.number().int(), credited: z.array(z.number().int()), alreadyCredited: z.array(z.number().int()) }),
  idempotent: true,
});

// ---------------------------------------------------------------- oversight

export const organizationDay = endpoint({
  method: 'GET',
  path: '/api/study/organizations/:id/day',
  summary: '支部某日学习情况（未满60分钟名单、本月达标天数）',
  access: 'officer',
  ownership: 'branch',
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
  ownership: 'township',
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
