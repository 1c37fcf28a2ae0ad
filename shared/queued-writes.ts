/**
 * Writes made without signal (村里会议室、田间), queued on the phone and sent
 * later: the study check-in, the timer finish, the collective-study sign-in and
 * the political-birthday sign-in. The rule that dates them lives here, once.
 *
 * The phone's clock cannot be trusted on its own (it may be wrong or set by
 * hand). So the phone records, at its last successful contact with the server,
 * the server's time and its own time; at the act it records its own time again.
 * The act happened at `serverTimeAtSync + (recordedAt − deviceTimeAtSync)` in
 * server time, which needs only the phone's clock to run steadily between the
 * two readings. The server then bounds the claim:
 * - the sync it names is in the past and within OFFLINE_BOUND_HOURS of now (a
 *   claim older than that, or naming no sync, cannot be bounded: refused);
 * - the act falls between that sync and now (a clock set back or forward in
 *   between is refused rather than guessed at).
 * So no path dates a write more than OFFLINE_BOUND_HOURS before it arrives.
 */
import { z } from 'zod';
import { shanghaiDate, type IsoDate } from './calendar.js';

/**
 * Why 24 hours: a member in a field or a meeting room without signal is back
 * in range the same day or the next morning; a day is what a "今天学了" or an
 * "我参加了" can honestly wait, and it keeps a forgotten phone from rewriting
 * last week's record (the branch's figures for a day settle after a day).
 */
export const OFFLINE_BOUND_HOURS = 24;
/** Clocks of phone and server disagree by a little even right after a sync (the request's own travel time). */
export const OFFLINE_CLOCK_SLACK_SECONDS = 120;
/** A write that reached the server later than this after the act is marked 离线补传. */
export const OFFLINE_LATE_AFTER_SECONDS = 120;
export const OFFLINE_LATE_LABEL = '离线补传';

const instant = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601（含时区）' });

/** What a queued write carries besides its own body (`queued` on the four routes' bodies). */
export const queuedClaim = z
  .object({
    /** The phone's clock when the member acted. */
    recordedAt: instant,
    /** The server's time as the phone last heard it (`serverNow` of a read)… */
    serverTimeAtSync: instant,
    /** …and the phone's own clock at that moment. */
    deviceTimeAtSync: instant,
  })
  .strict();
export type QueuedClaim = z.infer<typeof queuedClaim>;

export type QueuedTime =
  | { ok: true; at: Date; day: IsoDate; late: boolean }
  | { ok: false; reason: 'no_sync' | 'too_old' | 'clock'; message: string };

const second = 1000;

/** When a write happened, in server time: `now` when sent at once, the bounded claim when queued. */
export function resolveQueuedTime(claim: QueuedClaim | undefined, now: Date): QueuedTime {
  if (!claim) return { ok: true, at: now, day: shanghaiDate(now), late: false };
  const sync = new Date(claim.serverTimeAtSync).getTime();
  const slack = OFFLINE_CLOCK_SLACK_SECONDS * second;
  const bound = OFFLINE_BOUND_HOURS * 3600 * second;
  if (!Number.isFinite(sync) || sync > now.getTime() + slack) {
    return { ok: false, reason: 'no_sync', message: '这条记录带的同步时间不对，无法核实是什么时候记的，请重新填报' };
  }
  const at = sync + (new Date(claim.recordedAt).getTime() - new Date(claim.deviceTimeAtSync).getTime());
  if (now.getTime() - sync > bound || now.getTime() - at > bound) {
    return {
      ok: false,
      reason: 'too_old',
      message: `这条记录是离线时记下的，${OFFLINE_BOUND_HOURS}小时内没有上传成功，已无法核实时间，不能补记；请按实际情况重新填报今天的学习，或请支部书记登记`,
    };
  }
  if (at < sync - slack || at > now.getTime() + slack) {
    return { ok: false, reason: 'clock', message: '手机时间在离线期间被调整过，无法核实这条记录的时间，请重新填报' };
  }
  const when = new Date(Math.min(Math.max(at, sync), now.getTime()));
  return { ok: true, at: when, day: shanghaiDate(when), late: now.getTime() - when.getTime() > OFFLINE_LATE_AFTER_SECONDS * second };
}
