/**
 * Daily one-hour study (每天学习1小时): the rules.
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
import { addDays, type IsoDate } from '../calendar.js';
import { codeEnum } from '../common.js';

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
/** When members may sign in to an event (and its QR code is shown): SIGN_IN_MARGIN_MINUTES either side of it. */
export function signInWindow(startsAt: string | Date, endsAt: string | Date): { opensAt: Date; closesAt: Date } {
  const margin = SIGN_IN_MARGIN_MINUTES * 60_000;
  return { opensAt: new Date(new Date(startsAt).getTime() - margin), closesAt: new Date(new Date(endsAt).getTime() + margin) };
}

export type SignInPhase = 'not_open' | 'open' | 'closed';
export function signInPhase(startsAt: string | Date, endsAt: string | Date, now: Date): SignInPhase {
  const { opensAt, closesAt } = signInWindow(startsAt, endsAt);
  if (now.getTime() < opensAt.getTime()) return 'not_open';
  return now.getTime() > closesAt.getTime() ? 'closed' : 'open';
}
/** Longest day range for the staff summary. */
export const SUMMARY_MAX_DAYS = 92;

/** 五学: the five ways of study in the committee's plan. */
export const STUDY_WAY_CENTRAL_GROUP = 'central_group';
export const STUDY_WAY_EDUCATION_BASE = 'education_base';
export const STUDY_WAY_BRANCH = 'branch';
export const STUDY_WAY_YOUTH_READING = 'youth_reading';
export const STUDY_WAY_PLATFORM = 'platform';
export const studyWays = [STUDY_WAY_CENTRAL_GROUP, STUDY_WAY_EDUCATION_BASE, STUDY_WAY_BRANCH, STUDY_WAY_YOUTH_READING, STUDY_WAY_PLATFORM] as const;
export type StudyWay = (typeof studyWays)[number];
export const STUDY_WAY_LABELS: Record<StudyWay, string> = {
  central_group: '中心组引领学',
  education_base: '教育基地实践学',
  branch: '支部集中学',
  youth_reading: '青年读书会交流学',
  platform: '平台自主学',
};
export const studyWay = codeEnum(studyWays, STUDY_WAY_LABELS, { message: '请选择学习方式（五学之一）' });

/**
 * What a member picks on the study page, in plain words; the entry is still
 * recorded under the plan's 五学 category it maps to. Keyed by the tuple, so
 * the stored values can change without touching this.
 */
export const STUDY_WAY_PLAIN_LABELS: Record<StudyWay, string> = {
  [studyWays[4]]: '自己学（手机、书报、广播）',
  [studyWays[2]]: '支部开会、上党课',
  [studyWays[1]]: '去红色教育基地参观',
  [studyWays[3]]: '读书会、座谈交流',
  [studyWays[0]]: '中心组学习（党委班子）',
} as Record<StudyWay, string>;
/** The order a member sees the choices: the everyday one first. */
export const STUDY_WAY_PLAIN_ORDER: readonly StudyWay[] = [studyWays[4], studyWays[2], studyWays[1], studyWays[3], studyWays[0]];

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

