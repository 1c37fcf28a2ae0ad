/**
 * 计时学习 credits the time the member was there, not the time the timer was
 * left open. The open timer page confirms presence every PRESENCE_INTERVAL_SECONDS;
 * credit ends at the last confirmation plus PRESENCE_GRACE_MINUTES (or at the
 * finish, or at SESSION_CAP_MINUTES after the start, whichever comes first). A
 * confirmation that arrives after the grace has run out does not revive the
 * session: the gap was not study. Minutes are split across Asia/Shanghai days
 * at midnight (23:30 → 00:40 credits 30 minutes to the first day, 40 to the
 * second). The session cap bounds the session as a whole; a timed session has
 * no other daily cap.
 *
 * The timer is the member's own tool: presence is never shown to anyone else.
 */
import { z } from 'zod';
import { addDays, shanghaiDate, shanghaiDayStart, type IsoDate } from './calendar.js';
import { idParam } from './common.js';
import { endpoint } from './http.js';
import { SESSION_CAP_MINUTES, studyEntry, studySession } from './study.js';

/** How often the open timer page confirms that the member is still there. */
export const PRESENCE_INTERVAL_SECONDS = 180;
/** Credit runs on this long after the last confirmation (a late confirmation, a short look away). */
export const PRESENCE_GRACE_MINUTES = 5;

export interface TimerFacts {
  startedAt: Date;
  /** The last presence confirmation; the start itself counts as one. */
  lastSeenAt: Date | null;
}

const minute = 60_000;

/** The instant credit stops if no further confirmation arrives. */
export function creditDeadline(s: TimerFacts, cap = SESSION_CAP_MINUTES): Date {
  const seen = Math.max(s.startedAt.getTime(), (s.lastSeenAt ?? s.startedAt).getTime());
  return new Date(Math.min(seen + PRESENCE_GRACE_MINUTES * minute, s.startedAt.getTime() + cap * minute));
}

/** Still counting at `now`: neither the cap nor the presence grace has run out. */
export function isCounting(s: TimerFacts, now: Date, cap = SESSION_CAP_MINUTES): boolean {
  return now.getTime() <= creditDeadline(s, cap).getTime();
}

/** Where credit ends when the session is closed at `closedAt`. */
export function creditEnd(s: TimerFacts, closedAt: Date, cap = SESSION_CAP_MINUTES): Date {
  const end = Math.min(closedAt.getTime(), creditDeadline(s, cap).getTime());
  return new Date(Math.max(end, s.startedAt.getTime()));
}

export interface DayCredit {
  day: IsoDate;
  minutes: number;
}

/**
 * Whole minutes from `start` to `end`, split at Shanghai midnights. Each day
 * gets the minutes elapsed by its end minus those elapsed by its start, so the
 * parts always add up to the whole; days with no minute are left out.
 */
export function splitAtMidnight(start: Date, end: Date): DayCredit[] {
  const total = Math.max(0, Math.floor((end.getTime() - start.getTime()) / minute));
  // Midnight falls at the nearest whole minute of the session (a start at 23:30:00.4 gives day one its 30).
  const elapsedBy = (t: number) => Math.min(total, Math.max(0, Math.round((t - start.getTime()) / minute)));
  const out: DayCredit[] = [];
  let day = shanghaiDate(start);
  const lastDay = shanghaiDate(end);
  let from = 0;
  for (;;) {
    const isLast = day >= lastDay;
    const to = isLast ? total : elapsedBy(shanghaiDayStart(addDays(day, 1)).getTime());
    if (to > from) out.push({ day, minutes: to - from });
    if (isLast) break;
    from = to;
    day = addDays(day, 1);
  }
  return out;
}

export interface SessionCredit {
  /** Where credit ended. */
  endsAt: Date;
  /** Closed before its credit ran out (finished), or after (the cap or the presence grace ran out first). */
  status: 'finished' | 'expired';
  minutes: number;
  days: DayCredit[];
}

/** What closing a session at `closedAt` credits. */
export function sessionCredit(s: TimerFacts, closedAt: Date, cap = SESSION_CAP_MINUTES): SessionCredit {
  const endsAt = creditEnd(s, closedAt, cap);
  const days = splitAtMidnight(s.startedAt, endsAt);
  return {
    endsAt,
    status: closedAt.getTime() > creditDeadline(s, cap).getTime() ? 'expired' : 'finished',
    minutes: days.reduce((n, d) => n + d.minutes, 0),
    days,
  };
}

// ---------------------------------------------------------------- contract

export const confirmPresence = endpoint({
  method: 'POST',
  path: '/api/study/sessions/:id/presence',
  summary: '计时页面确认本人仍在学习（约每3分钟一次；只用于本人计时，不向任何人展示）；确认间隔超过5分钟则本次计时按最后一次确认结束',
  access: 'member',
  ownership: 'personal',
  params: idParam,
  body: z.object({}).strict(),
  response: z.object({
    session: studySession,
    /** Non-empty when the confirmation came too late and the session was closed at the last one. */
    entries: z.array(studyEntry),
    /** What finishing now would credit. */
    minutesSoFar: z.number().int(),
  }),
  idempotent: true,
  // Sent every few minutes by the open page; bounded by the one open session.
  rateLimit: false,
});
