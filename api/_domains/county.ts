/**
 * The county's views (issue 17.5): each township's figures side by side in the
 * townships' fixed order, and the roster statistics as a file the county sends
 * upward. One statement for all townships: each organization is mapped once to
 * its township (the committee whose path prefixes its own; townships never nest),
 * then every figure is grouped by township.
 */
import { sql } from 'drizzle-orm';
import * as api from '../../shared/county.js';
import { AGE_BANDS, HIGHER_EDUCATIONS, ROSTER_STATISTICS_COLUMNS, type CountyOverviewResponse, type TownshipFigures } from '../../shared/county.js';
import { BRANCH_KIND, TOWNSHIP_KIND } from '../../shared/common.js';
import { FINAL_STATES } from '../../shared/transfers.js';
import { rowsOf, type Db } from '../../db/client.js';
import { commendations, feedback, members, organizations, registrations, transfers } from '../../db/schema/index.js';
import { literalList } from '../../db/sql.js';
import type { Principal } from '../_app/auth.js';
import { route } from '../_app/context.js';
import { notFound } from '../_app/errors.js';
import { createXlsx } from '../_app/xlsx.js';

type FigureRow = Omit<TownshipFigures, 'roster'> & TownshipFigures['roster'] & { countyName: string };

async function loadFigures(db: Db, p: Principal, today: string, year: number): Promise<CountyOverviewResponse> {
  if (p.organizationId == null) throw notFound('县委组织部');
  const countyId = p.organizationId;
  const age = (band: (typeof AGE_BANDS)[number]) =>
    sql`count(*) filter (where date_part('year', age(${today}::date, ${members.birthDate})) between ${band.min} and ${band.max})::int`;
  const result = await db.execute(sql`
    with county as (select ${organizations.id} as id, ${organizations.name} as name, ${organizations.path} as path
        from ${organizations} where ${organizations.id} = ${countyId}),
      tw as (select ${organizations.id} as id, ${organizations.name} as name, ${organizations.path} as path,
          ${organizations.sortOrder} as sort_order
        from ${organizations}, county where ${organizations.kind} = ${TOWNSHIP_KIND} and ${organizations.path} like county.path || '%'),
      org as (select ${organizations.id} as id, ${organizations.kind} as kind, tw.id as township_id
        from ${organizations} join tw on ${organizations.path} like tw.path || '%'),
      roster as (select org.township_id,
          count(*)::int as members,
          count(*) filter (where ${members.category} = 'full')::int as formal,
          count(*) filter (where ${members.category} = 'probationary')::int as probationary,
          count(*) filter (where ${members.gender} = 'female')::int as female,
          count(*) filter (where ${members.ethnicity} <> '汉族')::int as minority,
          ${age(AGE_BANDS[0])} as age35, ${age(AGE_BANDS[1])} as age36to60, ${age(AGE_BANDS[2])} as age61,
          count(*) filter (where ${members.education} in ${literalList(HIGHER_EDUCATIONS)})::int as higher_education
        from ${members} join org on org.id = ${members.organizationId}
        where ${members.status} = 'active' group by org.township_id),
      regs as (select org.township_id, count(*)::int as n from ${registrations} join org on org.id = ${registrations.organizationId}
        where ${registrations.status} = 'pending' group by org.township_id),
      moves as (select org.township_id, count(distinct ${transfers.id})::int as n from ${transfers}
        join org on org.id = ${transfers.fromOrganizationId} or org.id = ${transfers.toOrganizationId}
        where ${transfers.state} not in ${literalList(FINAL_STATES)} group by org.township_id),
      honours as (select org.township_id,
          count(distinct coalesce('m' || ${commendations.memberId}, 'o' || ${commendations.organizationId}))::int as n
        from ${commendations} join org on org.id = ${commendations.organizationId}
        where ${commendations.deletedAt} is null and ${commendations.year} = ${year} group by org.township_id),
      complaints as (select ${feedback.townshipId} as township_id, count(*)::int as n from ${feedback}
        where ${feedback.state} <> 'closed' group by ${feedback.townshipId}),
      branches as (select township_id, count(*)::int as n from org where kind = ${BRANCH_KIND} group by township_id)
    select tw.id as "organizationId", tw.name, county.name as "countyName",
      coalesce(branches.n, 0) as branches,
      coalesce(roster.members, 0) as members, coalesce(roster.formal, 0) as formal, coalesce(roster.probationary, 0) as probationary,
      coalesce(roster.female, 0) as female, coalesce(roster.minority, 0) as minority,
      coalesce(roster.age35, 0) as age35, coalesce(roster.age36to60, 0) as "age36to60", coalesce(roster.age61, 0) as age61,
      coalesce(roster.higher_education, 0) as "higherEducation",
      coalesce(regs.n, 0) as "registrationsPending", coalesce(moves.n, 0) as "transfersOpen",
      coalesce(honours.n, 0) as commendations, coalesce(complaints.n, 0) as "feedbackOpen"
    from county left join tw on true
      left join roster on roster.township_id = tw.id left join regs on regs.township_id = tw.id
      left join moves on moves.township_id = tw.id left join honours on honours.township_id = tw.id
      left join complaints on complaints.township_id = tw.id left join branches on branches.township_id = tw.id
    -- The townships' fixed order: never by a figure.
    order by tw.sort_order, tw.id`);
  const rows = rowsOf<FigureRow & { organizationId: number | null }>(result);
  const first = rows[0];
  if (!first) throw notFound('县委组织部');
  const townships = rows.filter((r) => r.organizationId != null).map(toFigures);
  return { today, year, county: { organizationId: countyId, name: first.countyName }, townships, total: sumOf(townships) };
}

function toFigures(r: FigureRow): TownshipFigures {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    organizationId: n(r.organizationId),
    name: r.name,
    branches: n(r.branches),
    roster: {
      members: n(r.members),
      formal: n(r.formal),
      probationary: n(r.probationary),
      female: n(r.female),
      minority: n(r.minority),
      age35: n(r.age35),
      age36to60: n(r.age36to60),
      age61: n(r.age61),
      higherEducation: n(r.higherEducation),
    },
    registrationsPending: n(r.registrationsPending),
    transfersOpen: n(r.transfersOpen),
    commendations: n(r.commendations),
    feedbackOpen: n(r.feedbackOpen),
  };
}

/** The county's row: the townships' figures added up (a transfer between two townships is counted by each). */
function sumOf(townships: readonly TownshipFigures[]): CountyOverviewResponse['total'] {
  const add = (pick: (t: TownshipFigures) => number) => townships.reduce((s, t) => s + pick(t), 0);
  const roster = Object.fromEntries(
    (Object.keys(townships[0]?.roster ?? emptyRoster) as (keyof TownshipFigures['roster'])[]).map((k) => [k, add((t) => t.roster[k])]),
  ) as TownshipFigures['roster'];
  return {
    branches: add((t) => t.branches),
    roster,
    registrationsPending: add((t) => t.registrationsPending),
    transfersOpen: add((t) => t.transfersOpen),
    commendations: add((t) => t.commendations),
    feedbackOpen: add((t) => t.feedbackOpen),
  };
}

const emptyRoster: TownshipFigures['roster'] = { members: 0, formal: 0, probationary: 0, female: 0, minority: 0, age35: 0, age36to60: 0, age61: 0, higherEducation: 0 };

export const countyOverview = route(api.countyOverview, async (ctx) => loadFigures(ctx.db, ctx.user, ctx.today, Number(ctx.today.slice(0, 4))));

/** 全县党员统计表: one row per township in the fixed order, then 合计. Counts only, no person's data, so no audited read (unlike the roster or the ledger). */
export const exportCountyRoster = route(api.exportCountyRoster, async (ctx) => {
  const figures = await loadFigures(ctx.db, ctx.user, ctx.today, Number(ctx.today.slice(0, 4)));
  const book = await createXlsx(ctx.now);
  const sheet = book.addTable(`党员统计（截至${ctx.today}）`, [
    { key: 'name', header: '乡镇党委', width: 16, kind: 'text' },
    ...ROSTER_STATISTICS_COLUMNS.map((c) => ({ key: c.key, header: c.header, width: 12, kind: 'number' as const })),
  ]);
  const line = (name: string, f: Pick<TownshipFigures, 'branches' | 'roster'>) => sheet.addRow({ name, branches: f.branches, ...f.roster });
  for (const t of figures.townships) line(t.name, t);
  line('合计', figures.total);
  return book.toFile(`${figures.county.name}党员统计表（${ctx.today}）.xlsx`);
});
