/** Oversight: a branch's day and the township summary (counts, never rankings). */
import { sql, type SQL } from 'drizzle-orm';
import { addDays, daysBetween, monthStart, type IsoDate } from '../../../shared/calendar.js';
import * as studyApi from '../../../shared/study.js';
import { percent } from '../../../shared/common.js';
import { DAILY_TARGET_MINUTES, INACTIVE_AFTER_DAYS } from '../../../shared/study.js';
import { route } from '../../_app/context.js';
import { ApiError, forbidden, notFound } from '../../_app/errors.js';
import { organizationScope, subtreeOf } from '../../_app/scope.js';
import { alias } from 'drizzle-orm/pg-core';
import { members, organizations, studyDays, studyOrgDays } from '../../../db/schema/index.js';
import { queryRows } from './sql.js';

const m = alias(members, 'm');
const o = alias(organizations, 'o');
const d = alias(studyDays, 'd');
const md = alias(studyDays, 'md');
const r = alias(studyOrgDays, 'r');

// ---------------------------------------------------------------- oversight

/** The secretary's day list: every active member of the branch, minutes that day and target days this month. */
export function dayListQuery(organizationId: number, date: IsoDate): SQL {
  const firstOfMonth = monthStart(date.slice(0, 7));
  return sql`select ${m.id} as member_id, ${m.name} as name, coalesce(${d.minutes}, 0)::int as minutes,
               (select count(*) from ${studyDays} ${md} where ${md.memberId} = ${m.id}
                  and ${md.day} between ${firstOfMonth}::date and ${date}::date and ${md.minutes} >= ${DAILY_TARGET_MINUTES}::int)::int as month_met
        from ${members} ${m}
        left join ${studyDays} ${d} on ${d.memberId} = ${m.id} and ${d.day} = ${date}::date
        where ${m.organizationId} = ${organizationId}::int and ${m.status} = 'active'
        order by coalesce(${d.minutes}, 0), ${m.name}, ${m.id}`;
}

export const organizationDay = route(studyApi.organizationDay, async (ctx) => {
  const p = ctx.user;
  const date = ctx.query.date ?? ctx.today;
  if (date > ctx.today) throw new ApiError('validation_failed', '不能查看未来日期');
  if (p.role === 'secretary' && ctx.params.id !== p.organizationId) throw forbidden('只能查看本支部的学习情况');
  const [org] = await queryRows<{ id: number; name: string; allowed: boolean }>(
    ctx.db,
    sql`select ${o.id} as id, ${o.name} as name, (${organizationScope(p, sql`${o.id}`)}) as allowed from ${organizations} ${o} where ${o.id} = ${ctx.params.id}::int`,
  );
  if (!org) throw notFound('组织');
  if (!org.allowed) throw forbidden('只能查看本镇的学习情况');
  const firstOfMonth = monthStart(date.slice(0, 7));
  const monthDays = daysBetween(firstOfMonth, date) + 1;
  const rows = await queryRows<{ member_id: number; name: string; minutes: number; month_met: number }>(ctx.db, dayListQuery(org.id, date));
  const list = rows.map((r) => ({
    memberId: r.member_id,
    name: r.name,
    minutes: r.minutes,
    met: r.minutes >= DAILY_TARGET_MINUTES,
    monthMetDays: r.month_met,
    monthRate: rate(r.month_met, monthDays),
  }));
  const metCount = list.filter((m) => m.met).length;
  return {
    organization: { id: org.id, name: org.name },
    date,
    targetMinutes: DAILY_TARGET_MINUTES,
    monthDays,
    members: list,
    metCount,
    belowCount: list.length - metCount,
  };
});

/**
 * Summary statement 1: per-branch rates and the daily trend, from the
 * branch-day roll-up study_org_days (one row per branch and day, kept by
 * triggers over the rows of active members still in that branch: members who
 * left drop out), so 92 days of a township read about 2,000 rows, not a
 * member-day each; aggregated in one pass by branch and by day (grouping sets).
 */
export function summaryStatsQuery(rootOrganizationId: number, from: IsoDate, to: IsoDate): SQL {
  return sql`
    with branch as (
      select ${o.id} as id, ${o.name} as name, ${o.sortOrder} as sort_order from ${organizations} ${o}
      where ${o.kind} = 'branch' and ${o.id} in ${subtreeOf(rootOrganizationId)}
    ),
    agg as (
      select ${r.organizationId} as organization_id, ${r.day} as day,
             sum(${r.metMembers})::int as met,
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
                'met', coalesce(a.met, 0), 'total_minutes', coalesce(a.total_minutes, 0)) order by br.sort_order, br.id), '[]'::json)
         from branch br
         left join headcount h on h.organization_id = br.id
         left join agg a on a.organization_id = br.id and a.day is null) as branches,
      (select coalesce(json_agg(json_build_object('day', g.day::date, 'studied', coalesce(a.studied, 0), 'met', coalesce(a.met, 0)) order by g.day), '[]'::json)
         from generate_series(${from}::date, ${to}::date, interval '1 day') g(day)
         left join agg a on a.day = g.day::date and a.organization_id is null) as trend,
      (select coalesce(sum(h.n), 0) from headcount h)::int as member_count`;
}

/** Summary statement 2: members with no study for 7+ days (last study day by the primary key, newest first). */
export function inactiveMembersQuery(rootOrganizationId: number, inactiveBefore: IsoDate): SQL {
  return sql`
    select ${m.id} as member_id, ${m.name} as name, ${o.name} as organization_name, last.day::text as last_day, count(*) over ()::int as total
    from ${members} ${m}
    join ${organizations} ${o} on ${o.id} = ${m.organizationId}
    left join lateral (
      select ${d.day} as day from ${studyDays} ${d} where ${d.memberId} = ${m.id} and ${d.minutes} > 0 order by ${d.day} desc limit 1
    ) last on true
    where ${m.status} = 'active' and ${m.organizationId} in ${subtreeOf(rootOrganizationId)}
      and (last.day is null or last.day <= ${inactiveBefore}::date)
    order by last.day nulls first, ${o.sortOrder}, ${m.name}
    limit 200`;
}

export const summary = route(studyApi.summary, async (ctx) => {
  const p = ctx.user;
  if (p.organizationId == null) throw forbidden();
  const to = ctx.query.to ?? ctx.today;
  const from = ctx.query.from ?? addDays(to, -29);
  if (to > ctx.today) throw new ApiError('validation_failed', '结束日期不能晚于今天');
  if (daysBetween(from, to) >= studyApi.SUMMARY_MAX_DAYS) throw new ApiError('validation_failed', `日期范围最长${studyApi.SUMMARY_MAX_DAYS}天`);
  const dayCount = daysBetween(from, to) + 1;
  const inactiveBefore = addDays(ctx.today, -INACTIVE_AFTER_DAYS);

  const statsQuery = summaryStatsQuery(p.organizationId, from, to);
  const inactiveQuery = inactiveMembersQuery(p.organizationId, inactiveBefore);

  const [statsRows, inactiveRows] = await Promise.all([
    queryRows<{
      branches: { id: number; name: string; member_count: number; met: number; total_minutes: number }[];
      trend: { day: string; studied: number; met: number }[];
      member_count: number;
    }>(ctx.db, statsQuery),
    queryRows<{ member_id: number; name: string; organization_name: string; last_day: string | null; total: number }>(ctx.db, inactiveQuery),
  ]);
  const stats = statsRows[0];
  const memberCount = stats?.member_count ?? 0;
  return {
    from,
    to,
    targetMinutes: DAILY_TARGET_MINUTES,
    branches: (stats?.branches ?? []).map((b) => ({
      organizationId: b.id,
      name: b.name,
      memberCount: b.member_count,
      metMemberDays: b.met,
      memberDays: b.member_count * dayCount,
      rate: rate(b.met, b.member_count * dayCount),
      totalMinutes: b.total_minutes,
    })),
    trend: (stats?.trend ?? []).map((t) => ({ day: t.day, studiedMembers: t.studied, metMembers: t.met, rate: rate(t.met, memberCount) })),
    memberCount,
    inactive: inactiveRows.map((r) => ({
      memberId: r.member_id,
      name: r.name,
      organizationName: r.organization_name,
      lastStudyDay: r.last_day,
      daysSince: r.last_day ? daysBetween(r.last_day, ctx.today) : null,
    })),
    inactiveTotal: inactiveRows[0]?.total ?? 0,
  };
});

/** The summary's rates: the app's one percent rule (shared/common.ts), 0 where there is nothing to count. */
function rate(part: number, whole: number): number {
  return percent(part, whole) ?? 0;
}
