/** Self-report (and 代录) check-in, one statement; and the member's own study view. */
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
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
import { statementTemplate, type Values } from '../../../db/statement.js';
import { entryJson, type EntryRow, sessionJson, type SessionRow, ownMemberId, toEntry, toSession } from './sql.js';
import { queryRows } from '../../../db/client.js';

// ---------------------------------------------------------------- check-in (one statement)

interface CheckInResult {
  target: (Pick<typeof members.$inferSelect, 'id' | 'organizationId'> & { allowed: boolean }) | null;
  existing: EntryRow | null;
  inserted: EntryRow | null;
  current: boolean;
}

/** The entry a caller wrote under an Idempotency-Key (the unique index study_entries_idempotency_uq). */
function underKey(e: { accountId: AnyColumn; idempotencyKey: AnyColumn }, accountId: unknown, key: unknown): SQL {
  return sql`${e.accountId} = ${accountId}::int and ${e.idempotencyKey} = ${key}`;
}

/** The check-in as one statement; `reach` limits 代录 to the caller's scope (null: a member's own). */
function checkInStatement(v: Values<CheckInValue>, reach: ((organizationId: SQL) => SQL) | null): SQL {
  const m = alias(members, 'm');
  const e = alias(studyEntries, 'e');
  const d = alias(studyDays, 'd');
  const current = sessionIsCurrent({ accountId: v.accountId, authVersion: v.authVersion });
  return sql`
    with target as (
      select ${m.id} as "id", ${m.organizationId} as "organizationId", (${reach ? reach(sql`${m.organizationId}`) : sql`true`}) as allowed
      from ${members} ${m} where ${m.id} = ${v.memberId}::int and ${m.status} = 'active' and ${current}
    ),
    existing as (
      select * from ${studyEntries} ${e} where ${underKey(e, v.accountId, v.key)}
    ),
    credit as (
      insert into ${studyDays} as ${d} ${cols(d.memberId, d.day, d.organizationId, d.minutes, d.selfReportedMinutes, d.lastCredit)}
      select t."id", ${v.day}::date, t."organizationId", ${v.requested}::int, ${v.requested}::int, ${v.requested}::int
      from target t where t.allowed and ${v.ok}::boolean and not exists (select 1 from existing)
      on conflict ${cols(d.memberId, d.day)} do update set
        ${col(d.lastCredit)} = least(excluded.${col(d.selfReportedMinutes)}, ${v.cap}::int - ${d.selfReportedMinutes}),
        ${col(d.minutes)} = ${d.minutes} + least(excluded.${col(d.selfReportedMinutes)}, ${v.cap}::int - ${d.selfReportedMinutes}),
        ${col(d.selfReportedMinutes)} = ${d.selfReportedMinutes} + least(excluded.${col(d.selfReportedMinutes)}, ${v.cap}::int - ${d.selfReportedMinutes}),
        ${col(d.organizationId)} = excluded.${col(d.organizationId)}
      -- At the cap the check-in is refused: leave the day's row untouched rather than rewrite it with +0.
      where ${d.selfReportedMinutes} < ${v.cap}::int
      returning ${col(d.memberId)}, ${col(d.organizationId)}, ${col(d.lastCredit)}
    ),
    inserted as (
      insert into ${studyEntries} ${cols(
        studyEntries.memberId, studyEntries.organizationId, studyEntries.day, studyEntries.minutes, studyEntries.requestedMinutes,
        studyEntries.way, studyEntries.topic, studyEntries.source, studyEntries.accountId, studyEntries.idempotencyKey,
        studyEntries.requestHash, studyEntries.createdAt, studyEntries.recordedAt, studyEntries.offlineLate,
      )}
      select ${ref('c', d.memberId)}, ${ref('c', d.organizationId)}, ${v.day}::date, ${ref('c', d.lastCredit)}, ${v.requested}::int,
             ${v.way}, ${v.topic}, ${v.source}, ${v.accountId}::int, ${v.key}, ${v.fingerprint}, ${v.now}::timestamptz,
             ${v.recordedAt}::timestamptz, ${v.late}::boolean
      from credit c where ${ref('c', d.lastCredit)} > 0
      returning *
    ),
    audited as (
      insert into ${auditLog} ${cols(auditLog.actorAccountId, auditLog.actorRole, auditLog.action, auditLog.targetType, auditLog.targetId, auditLog.at, auditLog.details)}
      select ${v.accountId}::int, ${v.role}, ${v.action}, 'member', ${ref('i', e.memberId)}::text,
             ${v.now}::timestamptz,
             jsonb_build_object('entryId', ${ref('i', e.id)}, 'day', ${ref('i', e.day)}, 'minutes', ${ref('i', e.minutes)},
                                'requestedMinutes', ${ref('i', e.requestedMinutes)}, 'way', ${ref('i', e.way)}, 'topic', ${ref('i', e.topic)},
                                'offlineLate', ${ref('i', e.offlineLate)}, 'recordedAt', ${ref('i', e.recordedAt)})
      -- 代录 is always audited; a member's own entry only when it came late (离线补传), so the log shows which did.
      from inserted i where ${v.proxy}::boolean or ${v.late}::boolean
      returning ${col(auditLog.id)}
    )
    select (select row_to_json(t) from target t) as target,
           (select ${entryJson('x')} from existing x) as existing,
           (select ${entryJson('x')} from inserted x) as inserted,
           (select count(*) from audited)::int as audited, ${current} as current`;
}


type CheckInValue =
  | 'memberId' | 'accountId' | 'authVersion' | 'role' | 'key' | 'day' | 'ok' | 'requested' | 'cap' | 'way' | 'topic' | 'source'
  | 'fingerprint' | 'now' | 'recordedAt' | 'late' | 'proxy' | 'action';
const CHECK_IN_VALUES: readonly CheckInValue[] = [
  'memberId', 'accountId', 'authVersion', 'role', 'key', 'day', 'ok', 'requested', 'cap', 'way', 'topic', 'source',
  'fingerprint', 'now', 'recordedAt', 'late', 'proxy', 'action',
];
const selfCheckIn = statementTemplate(CHECK_IN_VALUES, (v) => checkInStatement(v, null));

/** The caller's entry under an Idempotency-Key: a lookup by the unique index, no lock taken. */
const entryByKey = statementTemplate(['accountId', 'key'], (v) => {
  const e = alias(studyEntries, 'e');
  return sql`select ${entryJson('e')} as existing from ${studyEntries} ${e} where ${underKey(e, v.accountId, v.key)}`;
});

export const checkIn = route(studyApi.checkIn, async (ctx) => {
  const p = ctx.user;
  const key = requireIdempotencyKey(ctx);
  const fingerprint = requestFingerprint('study.checkin', ctx);
  const proxy = ctx.body.memberId !== undefined && ctx.body.memberId !== p.memberId;
  if (proxy && p.role !== 'secretary' && p.role !== 'staff') throw forbidden('只有支部书记可以为其他党员代录学习');
  const memberId = proxy ? (ctx.body.memberId as number) : ownMemberId(p);
  const reach = proxy ? (organizationId: SQL) => organizationScope(p, organizationId) : null;
  const source: StudySource = proxy ? 'proxy' : 'self_report';
  const requested = ctx.body.minutes;
  const cap = SELF_REPORT_DAILY_CAP_MINUTES;
  // Queued offline: the day it was made, if the claim can be bounded. A claim that cannot writes nothing,
  // but the statement still looks the key up, so a replay of an accepted upload answers as the first time.
  const when = resolveQueuedTime(ctx.body.queued, ctx.now);
  const day = when.ok ? when.day : ctx.today;
  const recordedAt = when.ok && ctx.body.queued ? when.at.toISOString() : null;
  const late = when.ok && when.late;
  const values: Values<CheckInValue> = {
    memberId, accountId: p.accountId, authVersion: p.authVersion, role: p.role, key, day, ok: when.ok, requested, cap,
    way: ctx.body.way, topic: ctx.body.topic, source, fingerprint, now: ctx.now.toISOString(), recordedAt, late, proxy,
    action: proxy ? 'study.proxy_checkin' : 'study.offline_checkin',
  };
  // A member's own check-in (the hot path) from the text rendered once; 代录 builds its scope condition per caller.
  const statement = reach ? checkInStatement(values, reach) : selfCheckIn(values);

  let result: CheckInResult | undefined;
  try {
    [result] = await queryRows<CheckInResult>(ctx.db, statement);
  } catch (err) {
    // Two identical submissions raced past the replay check: the loser's whole
    // statement (its cap update included) rolled back; now it replays.
    if (!isUniqueViolation(err, 'study_entries_idempotency_uq')) throw err;
    [result] = await queryRows<CheckInResult>(ctx.db, statement);
  }
  if (when.ok && result?.current && !result.existing && !result.inserted && result.target?.allowed) {
    // Refused at the cap: a same-key request may have filled the day while this statement waited on
    // the day's row (its entry is newer than our snapshot). Look its key up once more; only refusals
    // pay this, and only a lookup: rerunning the check-in would queue on the day's row again.
    const [again] = await queryRows<{ existing: EntryRow }>(ctx.db, entryByKey({ accountId: p.accountId, key }));
    if (again) result = { ...result, existing: again.existing };
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

interface MyStudyRow {
  today: { minutes: number; selfReportedMinutes: number } | null;
  year_minutes: number;
  calendar: { day: string; minutes: number }[] | null;
  met_days: string[] | null;
  recent: EntryRow[] | null;
  open_session: SessionRow | null;
}

/** The member's own study in one statement, rendered once (db/statement.ts). */
const myStudyStatement = statementTemplate(['memberId', 'today', 'yearStart', 'from', 'to', 'streakWindowStart', 'target'], (v) => {
  const d = alias(studyDays, 'd');
  const e = alias(studyEntries, 'e');
  const s = alias(studySessions, 's');
  const ofMember = sql`${d.memberId} = ${v.memberId}::int`;
  return sql`select
    (select json_build_object('minutes', ${d.minutes}, 'selfReportedMinutes', ${d.selfReportedMinutes})
       from ${studyDays} ${d} where ${ofMember} and ${d.day} = ${v.today}::date) as today,
    (select coalesce(sum(${d.minutes}), 0)::int from ${studyDays} ${d}
       where ${ofMember} and ${d.day} between ${v.yearStart}::date and ${v.today}::date) as year_minutes,
    (select json_agg(json_build_object('day', ${d.day}, 'minutes', ${d.minutes}) order by ${d.day}) from ${studyDays} ${d}
       where ${ofMember} and ${d.day} between ${v.from}::date and ${v.to}::date and ${d.minutes} > 0) as calendar,
    (select json_agg(${d.day} order by ${d.day} desc) from ${studyDays} ${d}
       where ${ofMember} and ${d.day} between ${v.streakWindowStart}::date and ${v.today}::date
         and ${d.minutes} >= ${v.target}::int) as met_days,
    (select json_agg(${entryJson('e')} order by ${e.createdAt} desc, ${e.id} desc) from
       (select * from ${studyEntries} ${e} where ${e.memberId} = ${v.memberId}::int order by ${e.createdAt} desc, ${e.id} desc limit 10) ${e}) as recent,
    (select ${sessionJson('s')} from ${studySessions} ${s} where ${s.memberId} = ${v.memberId}::int and ${s.status} = 'open') as open_session`;
});

export const myStudy = route(studyApi.myStudy, async (ctx) => {
  const memberId = ownMemberId(ctx.user);
  const month = ctx.query.month ?? shanghaiMonth(ctx.now);
  const from = monthStart(month);
  const to = monthEnd(month);
  const yearStart = `${ctx.today.slice(0, 4)}-01-01`;
  // Streaks longer than this are shown as this (over a year of daily study).
  const streakWindowStart = addDays(ctx.today, -400);
  const [row] = await queryRows<MyStudyRow>(ctx.db, myStudyStatement({ memberId, today: ctx.today, yearStart, from, to, streakWindowStart, target: DAILY_TARGET_MINUTES }));
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
