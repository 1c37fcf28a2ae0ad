/** Self-report (and 代录) check-in, one statement; and the member's own study view. */
import { sql } from 'drizzle-orm';
import { addDays, monthEnd, monthStart, shanghaiMonth } from '../../../shared/calendar.js';
import * as studyApi from '../../../shared/study.js';
import { currentStreak, DAILY_TARGET_MINUTES, SELF_REPORT_DAILY_CAP_MINUTES, SESSION_CAP_MINUTES, selfReportRemaining, type StudySource } from '../../../shared/study.js';
import { sessionIsCurrent, staleSession } from '../../_app/auth.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, forbidden, isUniqueViolation, notFound } from '../../_app/errors.js';
import { requestFingerprint, requireIdempotencyKey } from '../../_app/idempotency.js';
import { organizationScope } from '../../_app/scope.js';
import { ENTRY_JSON, type EntryRow, SESSION_JSON, type SessionRow, ownMemberId, queryRows, toEntry, toSession } from './sql.js';

// ---------------------------------------------------------------- check-in (one statement)

interface CheckInResult {
  target: { id: number; organization_id: number; allowed: boolean } | null;
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
  const reach = proxy ? organizationScope(p, sql`m.organization_id`) : sql`true`;
  const source: StudySource = proxy ? 'proxy' : 'self_report';
  const requested = ctx.body.minutes;
  const cap = SELF_REPORT_DAILY_CAP_MINUTES;

  const statement = sql`
    with target as (
      select m.id, m.organization_id, (${reach}) as allowed from members m where m.id = ${memberId}::int and m.status = 'active' and ${sessionIsCurrent(p)}
    ),
    existing as (
      select * from study_entries e where e.account_id = ${p.accountId}::int and e.idempotency_key = ${key}
    ),
    credit as (
      insert into study_days as d (member_id, day, organization_id, minutes, self_reported_minutes, last_credit)
      select t.id, ${ctx.today}::date, t.organization_id, ${requested}::int, ${requested}::int, ${requested}::int
      from target t where t.allowed and not exists (select 1 from existing)
      on conflict (member_id, day) do update set
        last_credit = least(excluded.self_reported_minutes, ${cap}::int - d.self_reported_minutes),
        minutes = d.minutes + least(excluded.self_reported_minutes, ${cap}::int - d.self_reported_minutes),
        self_reported_minutes = d.self_reported_minutes + least(excluded.self_reported_minutes, ${cap}::int - d.self_reported_minutes),
        organization_id = excluded.organization_id
      -- At the cap the check-in is refused: leave the day's row untouched rather than rewrite it with +0.
      where d.self_reported_minutes < ${cap}::int
      returning member_id, organization_id, last_credit
    ),
    inserted as (
      insert into study_entries (member_id, organization_id, day, minutes, requested_minutes, way, topic, source, account_id, idempotency_key, request_hash, created_at)
      select c.member_id, c.organization_id, ${ctx.today}::date, c.last_credit, ${requested}::int, ${ctx.body.way}, ${ctx.body.topic},
             ${source}, ${p.accountId}::int, ${key}, ${fingerprint}, ${ctx.now.toISOString()}::timestamptz
      from credit c where c.last_credit > 0
      returning *
    ),
    audited as (
      insert into audit_log (actor_account_id, actor_role, action, target_type, target_id, at, details)
      select ${p.accountId}::int, ${p.role}, 'study.proxy_checkin', 'member', i.member_id::text, ${ctx.now.toISOString()}::timestamptz,
             jsonb_build_object('entryId', i.id, 'day', i.day, 'minutes', i.minutes, 'requestedMinutes', i.requested_minutes, 'way', i.way, 'topic', i.topic)
      from inserted i where ${proxy}::boolean
      returning id
    )
    select (select row_to_json(t) from target t) as target,
           (select ${ENTRY_JSON('x')} from existing x) as existing,
           (select ${ENTRY_JSON('x')} from inserted x) as inserted,
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
  if (result && !result.existing && !result.inserted && result.target?.allowed) {
    // Refused at the cap: a same-key request may have filled the day while this statement waited on
    // the day's row (its entry is newer than our snapshot). Look once more; only refusals pay this.
    [result] = await queryRows<CheckInResult>(ctx.db, statement);
  }
  if (!result) throw new Error('check-in statement returned no row');
  if (!result.current) throw staleSession(); // the token's role or branch is no longer the account's: nothing was written
  if (result.existing) {
    if (result.existing.request_hash !== fingerprint) {
      throw new ApiError('idempotency_mismatch', '同一个 Idempotency-Key 已用于不同的请求内容');
    }
    return new JsonResponse(201, toEntry(result.existing));
  }
  if (!result.target) throw proxy ? notFound('党员') : forbidden('您的党员档案不在册（已转出或停止党籍），无法记录学习');
  if (!result.target.allowed) throw forbidden('只能为本支部的党员代录学习');
  if (!result.inserted) {
    throw new ApiError(
      'unprocessable',
      `今天自主填报已满${cap}分钟（每天上限），不能再填报；可以用“开始计时”学习，或参加支部集中学习`,
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
  const [row] = await queryRows<{
    today: { minutes: number; self_reported_minutes: number } | null;
    year_minutes: number;
    calendar: { day: string; minutes: number }[] | null;
    met_days: string[] | null;
    recent: EntryRow[] | null;
    open_session: SessionRow | null;
  }>(
    ctx.db,
    sql`select
      (select json_build_object('minutes', d.minutes, 'self_reported_minutes', d.self_reported_minutes)
         from study_days d where d.member_id = ${memberId}::int and d.day = ${ctx.today}::date) as today,
      (select coalesce(sum(d.minutes), 0)::int from study_days d
         where d.member_id = ${memberId}::int and d.day between ${yearStart}::date and ${ctx.today}::date) as year_minutes,
      (select json_agg(json_build_object('day', d.day, 'minutes', d.minutes) order by d.day) from study_days d
         where d.member_id = ${memberId}::int and d.day between ${from}::date and ${to}::date and d.minutes > 0) as calendar,
      (select json_agg(d.day order by d.day desc) from study_days d
         where d.member_id = ${memberId}::int and d.day between ${streakWindowStart}::date and ${ctx.today}::date
           and d.minutes >= ${DAILY_TARGET_MINUTES}::int) as met_days,
      (select json_agg(${ENTRY_JSON('e')} order by e.created_at desc, e.id desc) from
         (select * from study_entries e where e.member_id = ${memberId}::int order by e.created_at desc, e.id desc limit 10) e) as recent,
      (select ${SESSION_JSON('s')} from study_sessions s where s.member_id = ${memberId}::int and s.status = 'open') as open_session`,
  );
  const today = row?.today ?? { minutes: 0, self_reported_minutes: 0 };
  return {
    today: ctx.today,
    targetMinutes: DAILY_TARGET_MINUTES,
    todayMinutes: today.minutes,
    selfReportedToday: today.self_reported_minutes,
    selfReportRemaining: selfReportRemaining(today.self_reported_minutes),
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
