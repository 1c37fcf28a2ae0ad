/** The honor roll everyone sees, the staff's Excel export and the member picker. */
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import * as api from '../../../shared/commendations.js';
import { COMMENDATION_CATEGORY_LABELS, COMMENDATION_LEVEL_LABELS, commendationCategories, subjectOf } from '../../../shared/commendations.js';
import { commendations, members, organizations } from '../../../db/schema/index.js';
import { route } from '../../_app/context.js';
import { createXlsx } from '../../_app/xlsx.js';
import { organizationScope, subtreeOf, townshipOf } from '../../_app/scope.js';
import { newestFirst, selectCommendations } from './read.js';
import { townshipCommendations } from './scope.js';
import { loadTargets } from './targets.js';

/**
 * The township's honors of the year for everyone signed in. An applicant has no
 * township yet and sees the deployment's (one township per deployment).
 */
export const honorRoll = route(api.honorRoll, async (ctx) => {
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  const township = townshipOf(ctx.user);
  const rows = await selectCommendations(ctx.db)
    .where(and(eq(commendations.year, year), isNull(commendations.deletedAt), township ? townshipCommendations(township) : undefined))
    .orderBy(...newestFirst)
    .limit(500);
  return {
    year,
    entries: rows.map((r) => ({
      id: r.id,
      category: r.category,
      subject: subjectOf(r.category),
      subjectName: r.memberName ?? r.organizationName,
      organizationName: r.organizationName,
      level: r.level,
      title: r.title,
      awardedOn: r.awardedOn,
      issuedBy: r.issuedBy,
      citation: r.citation,
      campaignName: r.campaignName,
    })),
  };
});

export const exportCommendations = route(api.exportCommendations, async (ctx) => {
  const year = ctx.query.year;
  const township = sql`${ctx.user.organizationId as number}`;
  const [rows, targets] = await Promise.all([
    selectCommendations(ctx.db)
      .where(and(eq(commendations.year, year), isNull(commendations.deletedAt), subtreeScope(ctx.user.organizationId as number)))
      .orderBy(categoryOrder, asc(commendations.awardedOn), asc(commendations.id)),
    loadTargets(ctx.db, township, year),
  ]);
  const book = await createXlsx(ctx.now);
  const sheet = book.addTable(`${year}年度表彰名单`, [
    { header: '序号', key: 'no', width: 6, kind: 'number' },
    { header: '表彰类别', key: 'category', width: 16, kind: 'text' },
    { header: '受表彰对象', key: 'subject', width: 16, kind: 'text' },
    { header: '所在党组织', key: 'organization', width: 18, kind: 'text' },
    { header: '荣誉称号', key: 'title', width: 24, kind: 'text' },
    { header: '级别', key: 'level', width: 8, kind: 'text' },
    { header: '年度', key: 'year', width: 8, kind: 'number' },
    { header: '授予日期', key: 'awardedOn', width: 12, kind: 'date' },
    { header: '授予单位', key: 'issuedBy', width: 18, kind: 'text' },
    { header: '表彰活动', key: 'campaign', width: 18, kind: 'text' },
    { header: '事迹简介', key: 'citation', width: 50, kind: 'text' },
  ] as const);
  rows.forEach((r, i) => {
    sheet.addRow({
      no: i + 1,
      category: COMMENDATION_CATEGORY_LABELS[r.category],
      subject: r.memberName ?? r.organizationName,
      organization: r.organizationName,
      title: r.title,
      level: COMMENDATION_LEVEL_LABELS[r.level],
      year: r.year,
      awardedOn: r.awardedOn,
      issuedBy: r.issuedBy,
      campaign: r.campaignName ?? '',
      citation: r.citation,
    });
  });
  const summary = book.addTable('目标完成情况', [
    { header: '表彰类别', key: 'category', width: 16, kind: 'text' },
    { header: '年度目标', key: 'target', width: 10, kind: 'general' },
    { header: '已表彰', key: 'achieved', width: 10, kind: 'number' },
    { header: '单位', key: 'unit', width: 8, kind: 'text' },
    { header: '完成率', key: 'percent', width: 10, kind: 'text' },
  ] as const);
  for (const t of targets) {
    summary.addRow({ category: COMMENDATION_CATEGORY_LABELS[t.category], target: t.target ?? '未设目标', achieved: t.achieved, unit: t.unit, percent: t.percent == null ? '—' : `${t.percent}%` });
  }
  return book.toFile(`${year}年度表彰名单.xlsx`);
});

/** The sheet lists the categories in the plan's order (两优 then 一先), not by their stored codes. */
const categoryOrder = sql`array_position(array[${sql.join(
  commendationCategories.map((c) => sql`${c}`),
  sql`, `,
)}]::text[], ${commendations.category})`;

function subtreeScope(townshipId: number): SQL {
  return sql`${commendations.organizationId} in ${subtreeOf(townshipId)}`;
}

/** Active members of the township by name, for the staff form's picker (at most 50). */
export const listCandidates = route(api.listCandidates, async (ctx) => {
  const q = ctx.query.q?.trim();
  const rows = await ctx.db
    .select({
      memberId: members.id,
      name: members.name,
      organizationId: members.organizationId,
      organizationName: organizations.name,
      category: members.category,
    })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(
      and(
        eq(members.status, 'active'),
        organizationScope(ctx.user, members.organizationId),
        q ? sql`strpos(${members.name}, ${q}) > 0` : undefined,
        ctx.query.organizationId != null ? eq(members.organizationId, ctx.query.organizationId) : undefined,
      ),
    )
    .orderBy(asc(organizations.sortOrder), asc(members.name), asc(members.id))
    .limit(50);
  return { candidates: rows };
});
