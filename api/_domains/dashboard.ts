/**
 * The dashboard in one SQL statement: CTEs per domain, each figure aggregated
 * per organization in scope, returned as one JSON document. The route's budget
 * is three statements; this uses one (auth adds none).
 */
import { sql, type SQL } from 'drizzle-orm';
import { addDays, daysBetween, monthStart } from '../../shared/calendar.js';
import { CATEGORY_UNITS, commendationCategories, progressPercent, type CommendationCategory } from '../../shared/commendations.js';
import * as api from '../../shared/dashboard.js';
import { percent } from '../../shared/common.js';
import { REGISTRATION_OVERDUE_DAYS, TREND_DAYS, type DashboardResponse } from '../../shared/dashboard.js';
import { DAILY_TARGET_MINUTES } from '../../shared/study.js';
import { alias } from 'drizzle-orm/pg-core';
import { rowsOf, type Db } from '../../db/client.js';
import {
  birthdaySignIns,
  commendations,
  commendationTargets,
  feedback,
  members,
  organizations,
  registrations,
  studyOrgDays,
  transfers,
} from '../../db/schema/index.js';
import { literalList } from '../../db/sql.js';
import { memberCategories, type OrganizationKind } from '../../shared/common.js';
import { FINAL_STATES } from '../../shared/transfers.js';
import type { Principal } from '../_app/auth.js';
import { awaitingCallerSql } from '../_app/transfer-awaiting.js';
import { route } from '../_app/context.js';
import { notFound } from '../_app/errors.js';
import { seesSubtree, subtreeOf, townshipFor, townshipOf } from '../_app/scope.js';
import { COUNTED_SUBJECTS } from './commendations/index.js';

interface RawBranch {
  organizationId: number;
  name: string;
  kind: OrganizationKind;
  formal: number;
  probationary: number;
  registrationsPending: number;
  registrationsOverdue: number;
  studyTodayMet: number;
  studyMonthMet: number;
  studyMonthMinutes: number;
  birthdaysDue: number;
  birthdaysSigned: number;
  commendations: number;
}

interface RawDashboard {
  scope: { organizationId: number; name: string } | null;
  branches: RawBranch[] | null;
  transfers: { open: number; awaitingMe: number; overdue: number };
  feedbackOpen: number;
  trend: { day: string; met: number }[];
  targets: { category: CommendationCategory; target: number | null; achieved: number; townshipAchieved: number }[];
}

const o = alias(organizations, 'o');
const m = alias(members, 'm');
const r = alias(studyOrgDays, 'r');
const s = alias(birthdaySignIns, 's');
const rg = alias(registrations, 'rg');
const c = alias(commendations, 'c');
const ct = alias(commendationTargets, 'ct');
const t = alias(transfers, 't');
const fb = alias(feedback, 'fb');
const [FULL, PROBATIONARY] = memberCategories;

/** Organizations whose figures the caller sees: staff the township's subtree, a secretary their branch. */
function scopeOrganizations(p: Principal): SQL {
  if (seesSubtree(p)) return subtreeOf(p.organizationId);
  if (p.role === 'secretary' && p.organizationId != null) return sql`(select ${p.organizationId}::int)`;
  return sql`(select null::int where false)`;
}

/**
 * Open 投诉建议 the dashboard's level handles: a township's (or a secretary's branch's) those the township
 * handles; the county's every one in the county (a township's own and those handled by the county).
 */
function feedbackHandledHere(p: Principal): SQL {
  const inScope = sql`(${fb.townshipId} in (select id from orgs) or ${fb.organizationId} in (select id from orgs))`;
  return p.role === 'county' ? sql`(${inScope} or ${fb.townshipId} is null)` : sql`${fb.handledBy} = 'township' and ${inScope}`;
}

export async function loadDashboard(db: Db, p: Principal, today: string): Promise<DashboardResponse> {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const firstOfMonth = monthStart(today.slice(0, 7));
  const trendStart = addDays(today, -(TREND_DAYS - 1));
  const rangeStart = firstOfMonth < trendStart ? firstOfMonth : trendStart;
  const overdueBefore = addDays(today, -REGISTRATION_OVERDUE_DAYS);
  const township = townshipOf(p) ?? sql`null::int`;
  const categories = sql.join(commendationCategories.map((c) => sql`${c}`), sql`, `);

  const result = await db.execute(sql`
    with orgs as (
      select ${o.id} as id, ${o.name} as name, ${o.kind} as kind, ${o.sortOrder} as sort_order
      from ${organizations} ${o} where ${o.id} in ${scopeOrganizations(p)}
    ),
    active as (
      select ${m.id} as id, ${m.organizationId} as organization_id, ${m.category} as category, ${m.joinedAt} as joined_at
      from ${members} ${m}
      where ${m.status} = 'active' and ${m.organizationId} in (select id from orgs)
    ),
    met as (
      -- The branch-day roll-up (members meeting the target, kept by triggers): a row per branch and day, not per member-day.
      select ${r.organizationId} as organization_id, ${r.day} as day, ${r.metMembers} as n, ${r.totalMinutes} as minutes
      from ${studyOrgDays} ${r}
      where ${r.organizationId} in (select id from orgs) and ${r.day} between ${rangeStart}::date and ${today}::date
    ),
    roster as (
      -- One pass over the roster per organization (not one scan of it per figure and organization).
      select a.organization_id,
        count(*) filter (where a.category = ${FULL})::int as formal,
        count(*) filter (where a.category = ${PROBATIONARY})::int as probationary,
        count(*) filter (where extract(month from a.joined_at) = ${month} and extract(year from a.joined_at) < ${year})::int as birthdays_due,
        count(${s.memberId}) filter (where extract(month from a.joined_at) = ${month} and extract(year from a.joined_at) < ${year})::int as birthdays_signed
      from active a left join ${birthdaySignIns} ${s} on ${s.memberId} = a.id and ${s.year} = ${year}
      group by a.organization_id
    ),
    met_org as (
      -- Each branch's figures from the roll-up in one pass (not a scan of every branch-day per branch and figure).
      select x.organization_id,
        coalesce(sum(x.n) filter (where x.day = ${today}::date), 0)::int as today_met,
        coalesce(sum(x.n) filter (where x.day >= ${firstOfMonth}::date), 0)::int as month_met,
        coalesce(sum(x.minutes) filter (where x.day >= ${firstOfMonth}::date), 0)::int as month_minutes
      from met x group by x.organization_id
    ),
    met_day as (select x.day, sum(x.n)::int as n from met x group by x.day),
    regs as (
      select ${rg.organizationId} as organization_id, count(*)::int as pending,
        (count(*) filter (where ${rg.createdAt} < (${overdueBefore}::date)::timestamp at time zone 'Asia/Shanghai'))::int as overdue
      from ${registrations} ${rg} where ${rg.status} = 'pending' and ${rg.organizationId} in (select id from orgs)
      group by ${rg.organizationId}
    ),
    honours as (
      select ${c.organizationId} as organization_id, count(*)::int as n from ${commendations} ${c}
      where ${c.year} = ${year} and ${c.deletedAt} is null and ${c.organizationId} in (select id from orgs)
      group by ${c.organizationId}
    ),
    per_org as (
      select o.id, o.name, o.kind, o.sort_order,
        coalesce(ro.formal, 0) as formal,
        coalesce(ro.probationary, 0) as probationary,
        coalesce(rg.pending, 0) as registrations_pending,
        coalesce(rg.overdue, 0) as registrations_overdue,
        coalesce(mo.today_met, 0) as study_today_met,
        coalesce(mo.month_met, 0) as study_month_met,
        coalesce(mo.month_minutes, 0) as study_month_minutes,
        coalesce(ro.birthdays_due, 0) as birthdays_due,
        coalesce(ro.birthdays_signed, 0) as birthdays_signed,
        coalesce(h.n, 0) as commendations
      from orgs o left join roster ro on ro.organization_id = o.id left join met_org mo on mo.organization_id = o.id
        left join regs rg on rg.organization_id = o.id left join honours h on h.organization_id = o.id
    )
    select json_build_object(
      'scope', (select json_build_object('organizationId', ${o.id}, 'name', ${o.name}) from ${organizations} ${o}
                where ${o.id} = ${p.role === 'staff' ? township : sql`${p.organizationId}::int`}),
      'branches', (select json_agg(json_build_object(
          'organizationId', x.id, 'name', x.name, 'kind', x.kind, 'formal', x.formal, 'probationary', x.probationary,
          'registrationsPending', x.registrations_pending, 'registrationsOverdue', x.registrations_overdue,
          'studyTodayMet', x.study_today_met, 'studyMonthMet', x.study_month_met, 'studyMonthMinutes', x.study_month_minutes,
          'birthdaysDue', x.birthdays_due, 'birthdaysSigned', x.birthdays_signed, 'commendations', x.commendations)
          order by x.sort_order, x.id)
        from per_org x),
      'transfers', (select json_build_object(
          'open', count(*)::int,
          'awaitingMe', (count(*) filter (where ${awaitingCallerSql(p, t)}))::int,
          'overdue', (count(*) filter (where ${t.state} = 'letter_issued' and ${t.receiptReceivedOn} is null
              and ((${t.letterExpiresOn} is not null and ${today}::date > ${t.letterExpiresOn})
                or (${t.receiptDueOn} is not null and ${today}::date > ${t.receiptDueOn}))))::int)
        from ${transfers} ${t}
        where ${t.state} not in ${literalList(FINAL_STATES)}
          and (${t.fromOrganizationId} in (select id from orgs) or ${t.toOrganizationId} in (select id from orgs))),
      'feedbackOpen', (select count(*)::int from ${feedback} ${fb} where ${fb.state} <> 'closed' and ${feedbackHandledHere(p)}),
      'trend', (select json_agg(json_build_object('day', to_char(g.day, 'YYYY-MM-DD'),
          'met', coalesce(md.n, 0)) order by g.day)
        from generate_series(${trendStart}::date, ${today}::date, interval '1 day') as g(day) left join met_day md on md.day = g.day),
      'targets', (select json_agg(json_build_object(
          'category', cat.category,
          'target', (select ${ct.target} from ${commendationTargets} ${ct}
              where ${ct.organizationId} = ${township} and ${ct.year} = ${year} and ${ct.category} = cat.category),
          'achieved', (select ${COUNTED_SUBJECTS} from ${commendations} ${c} where ${c.deletedAt} is null and ${c.year} = ${year}
              and ${c.category} = cat.category and ${c.organizationId} in (select id from orgs)),
          'townshipAchieved', (select ${COUNTED_SUBJECTS} from ${commendations} ${c} where ${c.deletedAt} is null and ${c.year} = ${year}
              and ${c.category} = cat.category and ${c.organizationId} in ${subtreeOf(township)})
        ) order by cat.ord)
        from unnest(array[${categories}]::text[]) with ordinality as cat(category, ord))
    ) as dashboard`);
  const rows = rowsOf<{ dashboard: RawDashboard | string }>(result);
  const first = rows[0]?.dashboard;
  const raw: RawDashboard = typeof first === 'string' ? (JSON.parse(first) as RawDashboard) : (first as RawDashboard);
  if (!raw?.scope) throw notFound('所属组织');
  return shape(raw, p, today, year, month, firstOfMonth);
}

function shape(raw: RawDashboard, p: Principal, today: string, year: number, month: number, firstOfMonth: string): DashboardResponse {
  // A committee row appears only if members sit directly under it.
  const branches = (raw.branches ?? []).filter((b) => b.kind === 'branch' || b.formal + b.probationary > 0);
  const daysSoFar = daysBetween(firstOfMonth, today) + 1;
  const sum = (pick: (b: RawBranch) => number) => branches.reduce((n, b) => n + pick(b), 0);
  const membersTotal = sum((b) => b.formal + b.probationary);
  const todayMet = sum((b) => b.studyTodayMet);
  const monthMet = sum((b) => b.studyMonthMet);
  const due = sum((b) => b.birthdaysDue);
  const signed = sum((b) => b.birthdaysSigned);
  return {
    scope: { kind: p.role === 'county' ? 'county' : p.role === 'staff' ? 'township' : 'branch', organizationId: raw.scope!.organizationId, name: raw.scope!.name },
    today,
    year,
    month,
    members: { total: membersTotal, formal: sum((b) => b.formal), probationary: sum((b) => b.probationary) },
    registrations: { pending: sum((b) => b.registrationsPending), overdue: sum((b) => b.registrationsOverdue), overdueAfterDays: REGISTRATION_OVERDUE_DAYS },
    transfers: { open: raw.transfers.open, awaitingMe: raw.transfers.awaitingMe, overdue: raw.transfers.overdue },
    study: {
      targetMinutes: DAILY_TARGET_MINUTES,
      todayMet,
      todayPercent: percent(todayMet, membersTotal),
      monthMetMemberDays: monthMet,
      monthMemberDays: membersTotal * daysSoFar,
      monthPercent: percent(monthMet, membersTotal * daysSoFar),
      trend: (raw.trend ?? []).map((d) => ({ day: d.day, met: d.met, percent: percent(d.met, membersTotal) })),
    },
    birthdays: { due, signed, percent: percent(signed, due) },
    feedback: { open: raw.feedbackOpen ?? 0 },
    commendations: {
      year,
      targets: (raw.targets ?? []).map((t) => ({
        category: t.category,
        unit: CATEGORY_UNITS[t.category],
        target: t.target,
        achieved: t.achieved,
        townshipAchieved: t.townshipAchieved,
        percent: progressPercent(t.townshipAchieved, t.target),
      })),
    },
    branches: branches.map((b) => {
      const members = b.formal + b.probationary;
      return {
        organizationId: b.organizationId,
        name: b.name,
        members,
        formal: b.formal,
        probationary: b.probationary,
        registrationsPending: b.registrationsPending,
        studyTodayMet: b.studyTodayMet,
        studyMonthMinutes: b.studyMonthMinutes,
        birthdaysDue: b.birthdaysDue,
        birthdaysSigned: b.birthdaysSigned,
        commendations: b.commendations,
      };
    }),
  };
}

/**
 * County staff drilling down see a township's dashboard exactly as its staff do: the same query under a
 * read-only stand-in principal for that township (writes never reach here: the route is a GET).
 */
export const dashboard = route(api.dashboard, async (ctx) => {
  const p = ctx.user;
  if (p.role !== 'county' || ctx.query.townshipId == null) return loadDashboard(ctx.db, p, ctx.today);
  const rows = rowsOf<{ id: number | null }>(await ctx.db.execute(sql`select ${townshipFor(p, ctx.query.townshipId)} as id`));
  const townshipId = rows[0]?.id;
  if (townshipId == null) throw notFound('乡镇党委');
  return loadDashboard(ctx.db, { ...p, role: 'staff', organizationId: Number(townshipId), memberId: null }, ctx.today);
});
