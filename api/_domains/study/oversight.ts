/**
 * Oversight: a branch's week and the township summary. Aggregates only (国办函
 * 〔2026〕12号: 学习时长 is no basis of assessment): no per-member minutes, no
 * ordering by study, branches in their fixed order. The roster and the care list
 * are by name and carry no study figures.
 */
import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { addDays, daysBetween, weekStart, wholeYearsBetween, type IsoDate } from '../../../shared/calendar.js';
import * as studyApi from '../../../shared/study.js';
import { CARE_ABSENCE_DAYS, careReasonsOf } from '../../../shared/study.js';
import { accounts, members, organizations, orglifeAttendance, orglifeMeetings, studyDays, studyEntries, studyEvents, studyOrgDays } from '../../../db/schema/index.js';
import { route } from '../../_app/context.js';
import { ApiError, forbidden, notFound } from '../../_app/errors.js';
import { organizationScope, subtreeOf } from '../../_app/scope.js';
import { queryRows } from '../../../db/client.js';

const m = alias(members, 'm');
const o = alias(organizations, 'o');
const d = alias(studyDays, 'd');
const r = alias(studyOrgDays, 'r');
const a = alias(accounts, 'a');
const ev = alias(studyEvents, 'ev');
const en = alias(studyEntries, 'en');
const mt = alias(orglifeMeetings, 'mt');
const at = alias(orglifeAttendance, 'at');

/**
 * The branch's week in one statement: counts over the week, the roster by name
 * and, per member, only what the care list needs (birth date, a bound account,
 * whether they attended collective study lately).
 */
export function branchWeekQuery(organizationId: number, from: IsoDate, today: IsoDate): SQL {
  const absenceFrom = addDays(today, -CARE_ABSENCE_DAYS);
  return sql`
    with roster as (
      select ${m.id} as id, ${m.name} as name, ${m.birthDate}::text as birth_date,
             exists (select 1 from ${accounts} ${a} where ${a.memberId} = ${m.id}) as has_account,
             (exists (select 1 from ${studyEntries} ${en} join ${studyEvents} ${ev} on ${ev.id} = ${en.eventId}
                      where ${en.memberId} = ${m.id} and ${ev.day} between ${absenceFrom}::date and ${today}::date)
              or exists (select 1 from ${orglifeAttendance} ${at} join ${orglifeMeetings} ${mt} on ${mt.id} = ${at.meetingId}
                      where ${at.memberId} = ${m.id} and ${at.status} = 'present' and ${mt.day} between ${absenceFrom}::date and ${today}::date)) as attended,
             exists (select 1 from ${orglifeAttendance} ${at} join ${orglifeMeetings} ${mt} on ${mt.id} = ${at.meetingId}
                     where ${at.memberId} = ${m.id} and ${at.status} = 'excused' and ${at.leaveReason} = 'migrant_work'
                       and ${mt.day} between ${absenceFrom}::date and ${today}::date) as away
      from ${members} ${m}
      where ${m.organizationId} = ${organizationId}::int and ${m.status} = 'active'
    )
    select
      (select coalesce(json_agg(json_build_object('id', x.id, 'name', x.name, 'birth_date', x.birth_date,
                 'has_account', x.has_account, 'attended', x.attended, 'away', x.away) order by x.name, x.id), '[]'::json) from roster x) as roster,
      (select count(distinct ${d.memberId})::int from ${studyDays} ${d}
         where ${d.memberId} in (select id from roster) and ${d.day} between ${from}::date and ${today}::date and ${d.minutes} > 0) as studied,
      (select coalesce(sum(${d.minutes}), 0)::int from ${studyDays} ${d}
         where ${d.memberId} in (select id from roster) and ${d.day} between ${from}::date and ${today}::date) as minutes,
      (select count(*)::int from ${studyEvents} ${ev}
         where ${ev.organizationId} = ${organizationId}::int and ${ev.day} between ${from}::date and ${today}::date) as events,
      (select count(*)::int from ${studyEntries} ${en} join ${studyEvents} ${ev} on ${ev.id} = ${en.eventId}
         where ${ev.organizationId} = ${organizationId}::int and ${ev.day} between ${from}::date and ${today}::date) as attendances,
      (select count(*)::int from ${studyEvents} ${ev}
         where ${ev.organizationId} = ${organizationId}::int and ${ev.day} between ${absenceFrom}::date and ${today}::date)
      + (select count(*)::int from ${orglifeMeetings} ${mt}
         where ${mt.organizationId} = ${organizationId}::int and ${mt.day} between ${absenceFrom}::date and ${today}::date) as recent_events`;
}

interface WeekRow {
  roster: { id: number; name: string; birth_date: string; has_account: boolean; attended: boolean; away: boolean }[] | string;
  studied: number;
  minutes: number;
  events: number;
  attendances: number;
  recent_events: number;
}

export const organizationWeek = route(studyApi.organizationWeek, async (ctx) => {
  const p = ctx.user;
  if (p.role === 'secretary' && ctx.params.id !== p.organizationId) throw forbidden('只能查看本支部的学习情况');
  const [org] = await queryRows<{ id: number; name: string; allowed: boolean }>(
    ctx.db,
    sql`select ${o.id} as id, ${o.name} as name, (${organizationScope(p, sql`${o.id}`)}) as allowed from ${organizations} ${o} where ${o.id} = ${ctx.params.id}::int`,
  );
  if (!org) throw notFound('组织');
  if (!org.allowed) throw forbidden('只能查看本镇的学习情况');
  const from = weekStart(ctx.today);
  const [row] = await queryRows<WeekRow>(ctx.db, branchWeekQuery(org.id, from, ctx.today));
  const roster = typeof row?.roster === 'string' ? (JSON.parse(row.roster) as Exclude<WeekRow['roster'], string>) : (row?.roster ?? []);
  const branchHeldAny = (row?.recent_events ?? 0) > 0;
  const care = roster.flatMap((x) => {
    const age = wholeYearsBetween(x.birth_date, ctx.today);
    const reasons = careReasonsOf({ age, hasAccount: x.has_account, attended: x.attended, branchHeldAny, excusedForWorkAway: x.away });
    return reasons.length ? [{ memberId: x.id, name: x.name, age, hasAccount: x.has_account, reasons }] : [];
  });
  return {
    organization: { id: org.id, name: org.name },
    weekStart: from,
    today: ctx.today,
    memberCount: roster.length,
    studiedMembers: row?.studied ?? 0,
    totalMinutes: row?.minutes ?? 0,
    events: row?.events ?? 0,
    attendances: row?.attendances ?? 0,
    roster: roster.map((x) => ({ memberId: x.id, name: x.name })),
    care,
  };
});

/**
 * The township summary in one statement, from the branch-day roll-up
 * study_org_days (one row per branch and day, kept by triggers), aggregated in
 * one pass by branch and by day (grouping sets). Branches in sortOrder.
 */
export function summaryStatsQuery(rootOrganizationId: number, from: IsoDate, to: IsoDate): SQL {
  return sql`
    with branch as (
      select ${o.id} as id, ${o.name} as name, ${o.sortOrder} as sort_order from ${organizations} ${o}
      where ${o.kind} = 'branch' and ${o.id} in ${subtreeOf(rootOrganizationId)}
    ),
    agg as (
      select ${r.organizationId} as organization_id, ${r.day} as day,
             sum(${r.studiedMembers})::int as studied,
             sum(${r.totalMinutes})::int as total_minutes
      from ${studyOrgDays} ${r}
      where ${r.organizationId} = any(array(select id from branch)) and ${r.day} between ${from}::date and ${to}::date
      group by grouping sets ((${r.organizationId}), (${r.day}))
    ),
    headcount as (
      select ${m.organizationId} as organization_id, count(*) as n from ${members} ${m}
      where ${m.status} = 'active' and ${m.organizationId} = any(array(select id from branch))
      group by ${m.organizationId}
    )
    select
      (select coalesce(json_agg(json_build_object('id', br.id, 'name', br.name, 'member_count', coalesce(h.n, 0),
                'studied', coalesce(a.studied, 0), 'total_minutes', coalesce(a.total_minutes, 0)) order by br.sort_order, br.id), '[]'::json)
         from branch br
         left join headcount h on h.organization_id = br.id
         left join agg a on a.organization_id = br.id and a.day is null) as branches,
      (select coalesce(json_agg(json_build_object('day', g.day::date, 'studied', coalesce(a.studied, 0)) order by g.day), '[]'::json)
         from generate_series(${from}::date, ${to}::date, interval '1 day') g(day)
         left join agg a on a.day = g.day::date and a.organization_id is null) as trend,
      (select coalesce(sum(h.n), 0) from headcount h)::int as member_count`;
}

export const summary = route(studyApi.summary, async (ctx) => {
  const p = ctx.user;
  if (p.organizationId == null) throw forbidden();
  const to = ctx.query.to ?? ctx.today;
  const from = ctx.query.from ?? addDays(to, -29);
  if (to > ctx.today) throw new ApiError('validation_failed', '结束日期不能晚于今天');
  if (daysBetween(from, to) >= studyApi.SUMMARY_MAX_DAYS) throw new ApiError('validation_failed', `日期范围最长${studyApi.SUMMARY_MAX_DAYS}天`);
  const [stats] = await queryRows<{
    branches: { id: number; name: string; member_count: number; studied: number; total_minutes: number }[];
    trend: { day: string; studied: number }[];
    member_count: number;
  }>(ctx.db, summaryStatsQuery(p.organizationId, from, to));
  return {
    from,
    to,
    branches: (stats?.branches ?? []).map((b) => ({
      organizationId: b.id,
      name: b.name,
      memberCount: b.member_count,
      studiedMemberDays: b.studied,
      totalMinutes: b.total_minutes,
    })),
    trend: (stats?.trend ?? []).map((t) => ({ day: t.day, studiedMembers: t.studied })),
    memberCount: stats?.member_count ?? 0,
  };
});
