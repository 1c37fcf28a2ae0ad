/** Self-report (and 代录) check-in, one statement; and the member's own study view. */
import { sql } from 'drizzle-orm';
import { addDays, monthEnd, monthStart, shanghaiMonth } from '../../../shared/calendar.js';
import * as studyApi from '../../../shared/study.js';
import { currentStreak, DAILY_TARGET_MINUTES, SELF_REPORT_DAILY_CAP_MINUTES, SESSION_CAP_MINUTES, selfReportRemaining, type StudySource } from '../../../shared/study.js';
import { resolveQueuedTime } from '../../../shared/queued-writes.js';
import { sessionIsCurrent, staleSession } from '../../_app/auth.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, forbidden, isUniqueViolation, notFound } from '../../_app/errors.js';
import { requestFingerprint, requireIdempotencyKey } from '../../_app/idempotency.js';
import { organizationScope } from '../../_app/scope.js';
import { alias } from 'drizzle-orm/pg-core';
import { auditLog, members, studyDays, studyEntries, studySessions } from '../../../db/schema/index.js';
import { col, cols, ref } from '../../../db/sql.js';
import { entryJson, type EntryRow, sessionJson, type SessionRow, ownMemberId, queryRows, toEntry, toSession } from './sql.js';

// ---------------------------------------------------------------- check-in (one statement)

interface CheckInResult {
  target: (Pick<typeof members.$inferSelect, 'id' | 'organizationId'> & { allowed: boolean }) | null;
  existing: EntryRow | null;
  inserted: EntryRow | null;
  current: boolean;
}

export const checkIn = route(studyApi.checkIn, async (ctx) => {
  const p = ctx.user;
  const key = requireIdempotencyKey(ctx);
  const fingerprint = requestFingerprint('study.checkin', ctx);
  const proxy = ctx.body.memberId !== undefined && ctx.body.memberId !== p.memberId;
  if (proxy && p.role !== 'secretary' && p.role !== 'staff') throw forbidden('只有支部书记可以为其他党员代录学习');
  const memberId = proxy ? (ctx.body.memberId as number) : ownMemberId(p);
  const m = alias(members, 'm');
  const e = alias(studyEntries, 'e');
  const d = alias(studyDays, 'd');
  const reach = proxy ? organizationScope(p, sql`${m.organizationId}`) : sql`true`;
  const source: StudySource = proxy ? 'proxy' : 'self_report';
  const requested = ctx.body.minutes;
  const cap = SELF_REPORT_DAILY_CAP_MINUTES;
  // Queued offline: the day it was made, if the claim can be bounded. A claim that cannot writes nothing,
  // but the statement still looks the key up, so a replay of an accepted upload answers as the first time.
  const when = resolveQueuedTime(ctx.body.queued, ctx.now);
  const day = when.ok ? when.day : ctx.today;
  const recordedAt = when.ok && ctx.body.queued ? when.at.toISOString() : null;
  const late = when.ok && when.late;

  const statement = sql`
    with target as (
      select ${m.id} as "id", ${m.organizationId} as "organizationId", (${reach}) as allowed
      from ${members} ${m} where ${m.id} = ${memberId}::int and ${m.status} = 'active' and ${sessionIsCurrent(p)}
    ),
    existing as (
      select * from ${studyEntries} ${e} where ${e.accountId} = ${p.accountId}::int and ${e.idempotencyKey} = ${key}
    ),
    credit as (
      insert into ${studyDays} as ${d} ${cols(d.memberId, d.day, d.organizationId, d.minutes, d.selfReportedMinutes, d.lastCredit)}
      select t."id", ${day}::date, t."organizationId", ${requested}::int, ${requested}::int, ${requested}::int
      from target t where t.allowed and ${when.ok}::boolean and not exists (select 1 from existing)
      on conflict ${cols(d.memberId, d.day)} do update set
        ${col(d.lastCredit)} = least(excluded.${col(d.selfReportedMinutes)}, ${cap}::int - ${d.selfReportedMinutes}),
        ${col(d.minutes)} = ${d.minutes} + least(excluded.${col(d.selfReportedMinutes)}, ${cap}::int - ${d.selfReportedMinutes}),
        ${col(d.selfReportedMinutes)} = ${d.selfReportedMinutes} + least(excluded.${col(d.selfReportedMinutes)}, ${cap}::int - ${d.selfReportedMinutes}),
        ${col(d.organizationId)} = excluded.${col(d.organizationId)}
      -- At the cap the check-in is refused: leave the day's row untouched rather than rewrite it with +0.
      where ${d.selfReportedMinutes} < ${cap}::int
      returning ${col(d.memberId)}, ${col(d.organizationId)}, ${col(d.lastCredit)}
    ),
    inserted as (
      insert into ${studyEntries} ${cols(
        studyEntries.memberId, studyEntries.organizationId, studyEntries.day, studyEntries.minutes, studyEntries.requestedMinutes,
        studyEntries.way, studyEntries.topic, studyEntries.source, studyEntries.accountId, studyEntries.idempotencyKey,
        studyEntries.requestHash, studyEntries.createdAt, studyEntries.recordedAt, studyEntries.offlineLate,
      )}
      select ${ref('c', d.memberId)}, ${ref('c', d.organizationId)}, ${day}::date, ${ref('c', d.lastCredit)}, ${requested}::int,
             ${ctx.body.way}, ${ctx.body.topic}, ${source}, ${p.accountId}::int, ${key}, ${fingerprint}, ${ctx.now.toISOString()}::timestamptz,
             ${recordedAt}::timestamptz, ${late}::boolean
      from credit c where ${ref('c', d.lastCredit)} > 0
      returning *
    ),
    audited as (
      insert into ${auditLog} ${cols(auditLog.actorAccountId, auditLog.actorRole, auditLog.action, auditLog.targetType, auditLog.targetId, auditLog.at, auditLog.details)}
      select ${p.accountId}::int, ${p.role}, ${proxy ? 'study.proxy_checkin' : 'study.offline_checkin'}, 'member', ${ref('i', e.memberId)}::text,
             ${ctx.now.toISOString()}::timestamptz,
             jsonb_build_object('entryId', ${ref('i', e.id)}, 'day', ${ref('i', e.day)}, 'minutes', ${ref('i', e.minutes)},
                                'requestedMinutes', ${ref('i', e.requestedMinutes)}, 'way', ${ref('i', e.way)}, 'topic', ${ref('i', e.topic)},
                                'offlineLate', ${ref('i', e.offlineLate)}, 'recordedAt', ${ref('i', e.recordedAt)})
      -- 代录 is always audited; a member's own entry only when it came late (离线补传), so the log shows which did.
      from inserted i where ${proxy}::boolean or ${late}::boolean
      returning ${col(auditLog.id)}
    )
    select (select row_to_json(t) from target t) as target,
           (select ${entryJson('x')} from existing x) as existing,
           (select ${entryJson('x')} from inserted x) as inserted,
           (select count(*) from audited)::int as audited, ${sessionIsCurrent(p)} as current`;

  let result: CheckInResult | undefined;
  try {
    [result] = await queryRows<CheckInResult>(ctx.db, statement);
  } catch (err) {
    // Two identical submissions raced past the replay check: the loser's whole
    // statement (its cap update included) rolled back; now it replays.
    if (!isUniqueViolation(err, 'study_entries_idempotency_uq')) throw err;
    [result] = await queryRows<CheckInResult>(ctx.db, statement);
  }
  if (when.ok && result && !result.existing && !result.inserted && result.target?.allowed) {
    // Refused at the cap: a same-key request may have filled the day while this statement waited on
    // the day's row (its entry is newer than our snapshot). Look once more; only refusals pay this.
    [result] = await queryRows<CheckInResult>(ctx.db, statement);
  }
  if (!result) throw new Error('check-in statement returned no row');
  if (!result.current) throw staleSession(); // the token's role or branch is no longer the account's: nothing was written
  if (result.existing) {
    if (result.existing.requestHash !== fingerprint) {
      throw new ApiError('idempotency_mismatch', '同一个 Idempotency-Key 已用于不同的请求内容');
    }
    return new JsonResponse(201, toEntry(result.existing));
  }
  if (!when.ok) throw new ApiError('unprocessable', when.message, { reason: when.reason });
  if (!result.target) throw proxy ? notFound('党员') : forbidden('您的党员档案不在册（已转出或停止党籍），无法记录学习');
  if (!result.target.allowed) throw forbidden('只能为本支部的党员代录学习');
  if (!result.inserted) {
    throw new ApiError(
      'unprocessable',
      day === ctx.today
        ? `今天自主填报已满${cap}分钟（每天上限），不能再填报；可以用“开始计时”学习，或参加支部集中学习`
        : `${day} 那天自主填报已满${cap}分钟（每天上限），这条离线记录没有再计入`,
      { selfReportCapMinutes: cap },
    );
  }
  return new JsonResponse(201, toEntry(result.inserted));
}, { sessionCheckedInStatement: true });

// ---------------------------------------------------------------- my study (one statement)

export const myStudy = route(studyApi.myStudy, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  const month = ctx.query.month ?? shanghaiMonth(ctx.now);
  const from = monthStart(month);
  const to = monthEnd(month);
  const yearStart = `${ctx.today.slice(0, 4)}-01-01`;
  // Streaks longer than this are shown as this (over a year of daily study).
  const streakWindowStart = addDays(ctx.today, -400);
  const d = alias(studyDays, 'd');
  const e = alias(studyEntries, 'e');
  const s = alias(studySessions, 's');
  const ofMember = sql`${d.memberId} = ${memberId}::int`;
  const [row] = await queryRows<{
    today: { minutes: number; selfReportedMinutes: number } | null;
    year_minutes: number;
    calendar: { day: string; minutes: number }[] | null;
    met_days: string[] | null;
    recent: EntryRow[] | null;
    open_session: SessionRow | null;
  }>(
    ctx.db,
    sql`select
      (select json_build_object('minutes', ${d.minutes}, 'selfReportedMinutes', ${d.selfReportedMinutes})
         from ${studyDays} ${d} where ${ofMember} and ${d.day} = ${ctx.today}::date) as today,
      (select coalesce(sum(${d.minutes}), 0)::int from ${studyDays} ${d}
         where ${ofMember} and ${d.day} between ${yearStart}::date and ${ctx.today}::date) as year_minutes,
      (select json_agg(json_build_object('day', ${d.day}, 'minutes', ${d.minutes}) order by ${d.day}) from ${studyDays} ${d}
         where ${ofMember} and ${d.day} between ${from}::date and ${to}::date and ${d.minutes} > 0) as calendar,
      (select json_agg(${d.day} order by ${d.day} desc) from ${studyDays} ${d}
         where ${ofMember} and ${d.day} between ${streakWindowStart}::date and ${ctx.today}::date
           and ${d.minutes} >= ${DAILY_TARGET_MINUTES}::int) as met_days,
      (select json_agg(${entryJson('e')} order by ${e.createdAt} desc, ${e.id} desc) from
         (select * from ${studyEntries} ${e} where ${e.memberId} = ${memberId}::int order by ${e.createdAt} desc, ${e.id} desc limit 10) ${e}) as recent,
      (select ${sessionJson('s')} from ${studySessions} ${s} where ${s.memberId} = ${memberId}::int and ${s.status} = 'open') as open_session`,
  );
  const today = row?.today ?? { minutes: 0, selfReportedMinutes: 0 };
  return {
    today: ctx.today,
    targetMinutes: DAILY_TARGET_MINUTES,
    todayMinutes: today.minutes,
    selfReportedToday: today.selfReportedMinutes,
    selfReportRemaining: selfReportRemaining(today.selfReportedMinutes),
    streakDays: currentStreak(row?.met_days ?? [], ctx.today),
    yearMinutes: row?.year_minutes ?? 0,
    month,
    calendar: row?.calendar ?? [],
    recent: (row?.recent ?? []).map(toEntry),
    openSession: row?.open_session ? toSession(row.open_session) : null,
    sessionCapMinutes: SESSION_CAP_MINUTES,
    serverNow: ctx.now.toISOString(),
  };
});
