/**
 * Commendations (两优一先): records, campaigns with quotas, yearly targets, the
 * honor roll and the Excel export. Only committee staff write; every write is
 * audited in its own transaction.
 */
import { aliasedTable, and, asc, count, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import * as api from '../../shared/commendations.js';
import {
  CATEGORY_UNITS,
  commendationCategories,
  defaultTitle,
  isMemberCategory,
  progressPercent,
  subjectOf,
  yearFitsAwardDate,
  type Commendation,
  type CommendationCategory,
  type Quotas,
  type TargetProgress,
} from '../../shared/commendations.js';
import { MEMBER_STATUS_LABELS } from '../../shared/common.js';
import type { Db } from '../../db/client.js';
import { commendationCampaigns, commendations, commendationTargets, members, organizations } from '../../db/schema/index.js';
import type { Principal } from '../_app/auth.js';
import { writeAudit } from '../_app/audit.js';
import { JsonResponse, route } from '../_app/context.js';
import { ApiError, conflict, isUniqueViolation, notFound } from '../_app/errors.js';
import { withIdempotency } from '../_app/idempotency.js';
import { organizationScope, subtreeOf } from '../_app/scope.js';
import { createXlsx } from '../_app/xlsx.js';

// --- Scope -------------------------------------------------------------------

/**
 * The committee a caller belongs to, as a subquery: staff's own organization;
 * for a secretary or member the nearest committee above their branch. Null for
 * an applicant, who belongs nowhere yet.
 */
export function townshipOf(p: Principal): SQL | null {
  const own =
    p.organizationId != null
      ? sql`${p.organizationId}`
      : p.memberId != null
        ? sql`(select m.organization_id from members m where m.id = ${p.memberId})`
        : null;
  if (!own) return null;
  return sql`(select t.id from organizations t where t.kind = 'committee'
    and (select s.path from organizations s where s.id = ${own}) like t.path || '%'
    order by length(t.path) desc limit 1)`;
}

/** Staff: the township; secretary: their branch; anyone: their own honors. */
function commendationScope(p: Principal): SQL {
  const own = p.memberId != null ? sql`${commendations.memberId} = ${p.memberId}` : sql`false`;
  if (p.role === 'staff' || p.role === 'secretary') return or(organizationScope(p, commendations.organizationId), own) as SQL;
  return own;
}

function townshipCommendations(township: SQL): SQL {
  return sql`${commendations.organizationId} in (select o.id from organizations o where o.path like (select r.path from organizations r where r.id = ${township}) || '%')`;
}

// --- Reading -------------------------------------------------------------------

const branch = aliasedTable(organizations, 'branch');

function selectCommendations(db: Db) {
  return db
    .select({
      id: commendations.id,
      category: commendations.category,
      memberId: commendations.memberId,
      memberName: members.name,
      organizationId: commendations.organizationId,
      organizationName: branch.name,
      level: commendations.level,
      year: commendations.year,
      title: commendations.title,
      awardedOn: commendations.awardedOn,
      issuedBy: commendations.issuedBy,
      citation: commendations.citation,
      campaignId: commendations.campaignId,
      campaignName: commendationCampaigns.name,
      version: commendations.version,
      createdAt: commendations.createdAt,
      updatedAt: commendations.updatedAt,
    })
    .from(commendations)
    .innerJoin(branch, eq(branch.id, commendations.organizationId))
    .leftJoin(members, eq(members.id, commendations.memberId))
    .leftJoin(commendationCampaigns, eq(commendationCampaigns.id, commendations.campaignId));
}

type CommendationRow = Awaited<ReturnType<typeof selectCommendations>>[number];

function toCommendation(row: CommendationRow): Commendation {
  return {
    id: row.id,
    category: row.category,
    subject: subjectOf(row.category),
    memberId: row.memberId,
    subjectName: row.memberName ?? row.organizationName,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    level: row.level,
    year: row.year,
    title: row.title,
    awardedOn: row.awardedOn,
    issuedBy: row.issuedBy,
    citation: row.citation,
    campaignId: row.campaignId,
    campaignName: row.campaignName,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function loadCommendation(db: Db, id: number): Promise<Commendation> {
  const [row] = await selectCommendations(db).where(eq(commendations.id, id));
  if (!row) throw notFound('表彰记录');
  return toCommendation(row);
}

const newestFirst = [desc(commendations.awardedOn), desc(commendations.id)];

export const listCommendations = route(api.listCommendations, async (ctx) => {
  const q = ctx.query;
  const rows = await selectCommendations(ctx.db)
    .where(
      and(
        commendationScope(ctx.user),
        isNull(commendations.deletedAt),
        q.id != null ? eq(commendations.id, q.id) : undefined,
        q.year != null ? eq(commendations.year, q.year) : undefined,
        q.category ? eq(commendations.category, q.category) : undefined,
        q.memberId != null ? eq(commendations.memberId, q.memberId) : undefined,
        q.campaignId != null ? eq(commendations.campaignId, q.campaignId) : undefined,
      ),
    )
    .orderBy(...newestFirst)
    .limit(2000);
  return { commendations: rows.map(toCommendation) };
});

// --- Writing -------------------------------------------------------------------

const DUPLICATE_CONSTRAINTS = ['commendations_campaign_member_uq', 'commendations_campaign_org_uq'];
const isDuplicate = (err: unknown) => DUPLICATE_CONSTRAINTS.some((c) => isUniqueViolation(err, c));
const duplicateError = () => conflict('该对象已在本次表彰活动中获得过同一荣誉，不能重复表彰');

/**
 * The campaign must be the township's and of the same year, and still have a
 * place in the category. The campaign row is locked so two staff filling the
 * last place at once cannot both succeed.
 */
async function assertCampaignPlace(
  tx: Db,
  p: Principal,
  campaignId: number,
  category: CommendationCategory,
  year: number,
  excludeCommendationId: number | null,
): Promise<void> {
  const [campaign] = await tx
    .select()
    .from(commendationCampaigns)
    .where(and(eq(commendationCampaigns.id, campaignId), organizationScope(p, commendationCampaigns.organizationId)))
    .for('update');
  if (!campaign) throw notFound('表彰活动');
  if (campaign.year !== year) {
    throw new ApiError('unprocessable', `表彰活动“${campaign.name}”属于${campaign.year}年度，与本条表彰的年度（${year}年）不一致`);
  }
  const quota = campaign.quotas[category];
  if (quota == null) return;
  const [used] = await tx
    .select({ n: count() })
    .from(commendations)
    .where(
      and(
        eq(commendations.campaignId, campaignId),
        eq(commendations.category, category),
        isNull(commendations.deletedAt),
        excludeCommendationId != null ? sql`${commendations.id} <> ${excludeCommendationId}` : undefined,
      ),
    );
  if ((used?.n ?? 0) >= quota) {
    throw conflict(`“${campaign.name}”的${category}名额（${quota}${CATEGORY_UNITS[category]}）已用完`);
  }
}

export const createCommendation = route(api.createCommendation, async (ctx) => {
  const b = ctx.body;
  const p = ctx.user;
  const year = b.year ?? Number(b.awardedOn.slice(0, 4));
  try {
    return await withIdempotency<Commendation>(ctx, 'commendations.create', async (tx) => {
      let organizationId: number;
      if (isMemberCategory(b.category)) {
        // Locked for share: the member cannot be transferred out while this is recorded.
        const [member] = await tx
          .select({ id: members.id, name: members.name, status: members.status, organizationId: members.organizationId })
          .from(members)
          .where(and(eq(members.id, b.memberId as number), organizationScope(p, members.organizationId)))
          .for('share');
        if (!member) throw notFound('党员');
        if (member.status !== 'active') {
          throw new ApiError('unprocessable', `${member.name}目前为“${MEMBER_STATUS_LABELS[member.status]}”状态，只能表彰在册党员`);
        }
        organizationId = member.organizationId;
      } else {
        const [org] = await tx
          .select({ id: organizations.id })
          .from(organizations)
          .where(and(eq(organizations.id, b.organizationId as number), organizationScope(p, organizations.id)));
        if (!org) throw notFound('党组织');
        organizationId = org.id;
      }
      if (b.campaignId != null) await assertCampaignPlace(tx, p, b.campaignId, b.category, year, null);
      const [inserted] = await tx
        .insert(commendations)
        .values({
          category: b.category,
          memberId: isMemberCategory(b.category) ? (b.memberId as number) : null,
          organizationId,
          level: b.level,
          year,
          title: b.title || defaultTitle(year, b.category),
          awardedOn: b.awardedOn,
          issuedBy: b.issuedBy,
          citation: b.citation,
          campaignId: b.campaignId ?? null,
          createdByAccountId: p.accountId,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning({ id: commendations.id });
      if (!inserted) throw new Error('commendation insert returned nothing');
      await writeAudit(
        tx,
        p,
        {
          action: 'commendation.create',
          targetType: 'commendation',
          targetId: inserted.id,
          details: { category: b.category, memberId: b.memberId ?? null, organizationId, level: b.level, year, campaignId: b.campaignId ?? null },
        },
        ctx.now,
      );
      return new JsonResponse(201, await loadCommendation(tx, inserted.id));
    });
  } catch (err) {
    if (isDuplicate(err)) throw duplicateError();
    throw err;
  }
});

export const updateCommendation = route(api.updateCommendation, async (ctx) => {
  const b = ctx.body;
  const p = ctx.user;
  try {
    return await ctx.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(commendations)
        .where(and(eq(commendations.id, ctx.params.id), organizationScope(p, commendations.organizationId), isNull(commendations.deletedAt)))
        .for('update');
      if (!current) throw notFound('表彰记录');
      if (current.version !== b.version) {
        throw new ApiError('stale_version', '这条表彰刚被其他人修改过，请刷新后再改', { currentVersion: current.version });
      }
      const next = {
        category: b.category ?? current.category,
        level: b.level ?? current.level,
        year: b.year ?? current.year,
        title: b.title ?? current.title,
        awardedOn: b.awardedOn ?? current.awardedOn,
        issuedBy: b.issuedBy ?? current.issuedBy,
        citation: b.citation ?? current.citation,
        campaignId: b.campaignId === undefined ? current.campaignId : b.campaignId,
      };
      if (subjectOf(next.category) !== subjectOf(current.category)) {
        throw new ApiError('unprocessable', '不能把党员表彰改为党组织表彰（或反之），请撤销后重新录入');
      }
      if (!yearFitsAwardDate(next.year, next.awardedOn)) {
        throw new ApiError('validation_failed', '表彰年度应为授予日期的当年或上一年', { in: 'body', issues: [{ path: ['year'], message: '表彰年度应为授予日期的当年或上一年' }] });
      }
      const placeChanged = next.campaignId !== current.campaignId || next.category !== current.category || next.year !== current.year;
      if (next.campaignId != null && placeChanged) await assertCampaignPlace(tx, p, next.campaignId, next.category, next.year, current.id);
      const changed = Object.fromEntries(
        Object.entries(next).filter(([k, v]) => current[k as keyof typeof current] !== v).map(([k, v]) => [k, { from: current[k as keyof typeof current], to: v }]),
      );
      await tx
        .update(commendations)
        .set({ ...next, version: current.version + 1, updatedAt: ctx.now })
        .where(eq(commendations.id, current.id));
      await writeAudit(tx, p, { action: 'commendation.update', targetType: 'commendation', targetId: current.id, details: { changed } }, ctx.now);
      return loadCommendation(tx, current.id);
    });
  } catch (err) {
    if (isDuplicate(err)) throw duplicateError();
    throw err;
  }
});

/**
 * Soft delete: the row stays (with who and when) and the audit entry keeps a
 * copy of what was withdrawn. Deleting twice answers ok, so a retry is harmless.
 */
export const deleteCommendation = route(api.deleteCommendation, async (ctx) => {
  const p = ctx.user;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(commendations)
      .where(and(eq(commendations.id, ctx.params.id), organizationScope(p, commendations.organizationId)))
      .for('update');
    if (!row) throw notFound('表彰记录');
    if (row.deletedAt) return { ok: true as const };
    await tx
      .update(commendations)
      .set({ deletedAt: ctx.now, deletedByAccountId: p.accountId, updatedAt: ctx.now, version: row.version + 1 })
      .where(eq(commendations.id, row.id));
    const { createdAt, updatedAt, deletedAt, ...snapshot } = row;
    void createdAt;
    void updatedAt;
    void deletedAt;
    await writeAudit(tx, p, { action: 'commendation.delete', targetType: 'commendation', targetId: row.id, details: { withdrawn: snapshot } }, ctx.now);
    return { ok: true as const };
  });
});

// --- Campaigns -------------------------------------------------------------------

// The outer column is written out in full: drizzle renders a column unqualified inside raw SQL,
// where it would bind to the inner table's own `id`.
const usedByCategory = sql<Record<string, number>>`coalesce((
  select jsonb_object_agg(u.category, u.n) from (
    select c.category, count(*)::int as n from commendations c
    where c.campaign_id = "commendation_campaigns"."id" and c.deleted_at is null group by c.category
  ) u), '{}'::jsonb)`;

function selectCampaigns(db: Db) {
  return db
    .select({
      id: commendationCampaigns.id,
      name: commendationCampaigns.name,
      year: commendationCampaigns.year,
      heldOn: commendationCampaigns.heldOn,
      quotas: commendationCampaigns.quotas,
      used: usedByCategory,
    })
    .from(commendationCampaigns);
}

export const listCampaigns = route(api.listCampaigns, async (ctx) => {
  const township = townshipOf(ctx.user);
  if (!township) return { campaigns: [] };
  const rows = await selectCampaigns(ctx.db)
    .where(and(eq(commendationCampaigns.organizationId, township), ctx.query.year != null ? eq(commendationCampaigns.year, ctx.query.year) : undefined))
    .orderBy(desc(commendationCampaigns.year), desc(commendationCampaigns.id));
  return { campaigns: rows };
});

export const createCampaign = route(api.createCampaign, async (ctx) => {
  const b = ctx.body;
  const p = ctx.user;
  try {
    return await withIdempotency(ctx, 'commendation-campaigns.create', async (tx) => {
      const [row] = await tx
        .insert(commendationCampaigns)
        .values({
          organizationId: p.organizationId as number,
          name: b.name,
          year: b.year,
          heldOn: b.heldOn ?? null,
          quotas: b.quotas as Quotas,
          createdByAccountId: p.accountId,
          createdAt: ctx.now,
        })
        .returning();
      if (!row) throw new Error('campaign insert returned nothing');
      await writeAudit(tx, p, { action: 'commendation_campaign.create', targetType: 'commendation_campaign', targetId: row.id, details: { name: b.name, year: b.year, quotas: b.quotas } }, ctx.now);
      return new JsonResponse(201, { id: row.id, name: row.name, year: row.year, heldOn: row.heldOn, quotas: row.quotas, used: {} });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'commendation_campaigns_org_name_uq')) throw conflict(`已有名为“${b.name}”的表彰活动`);
    throw err;
  }
});

// --- Targets -------------------------------------------------------------------

/**
 * Targets and progress of a township for a year in one statement: each
 * category with its target (if set) and the commendations counted that year.
 */
export async function loadTargets(db: Db, township: SQL, year: number): Promise<TargetProgress[]> {
  const rows = await db
    .select({
      category: sql<CommendationCategory>`cat.category`,
      target: sql<number | null>`(select t.target from commendation_targets t where t.organization_id = ${township} and t.year = ${year} and t.category = cat.category)`,
      achieved: sql<number>`(select count(*)::int from commendations c
        where c.deleted_at is null and c.year = ${year} and c.category = cat.category
        and c.organization_id in (select o.id from organizations o where o.path like (select r.path from organizations r where r.id = ${township}) || '%'))`,
    })
    .from(sql`unnest(array[${sql.join(commendationCategories.map((c) => sql`${c}`), sql`, `)}]::text[]) with ordinality as cat(category, ord)`)
    .orderBy(sql`cat.ord`);
  return rows.map((r) => {
    const target = r.target == null ? null : Number(r.target);
    const achieved = Number(r.achieved);
    return { category: r.category, unit: CATEGORY_UNITS[r.category], target, achieved, percent: progressPercent(achieved, target) };
  });
}

export const getTargets = route(api.getTargets, async (ctx) => {
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  const township = townshipOf(ctx.user);
  if (!township) throw notFound('所属党委');
  return { year, targets: await loadTargets(ctx.db, township, year) };
});

/** PUT replaces the named categories' targets; sending the same targets again changes nothing. */
export const putTargets = route(api.putTargets, async (ctx) => {
  const year = ctx.query.year;
  const p = ctx.user;
  const committeeId = p.organizationId as number;
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(commendationTargets)
      .values(ctx.body.targets.map((t) => ({ organizationId: committeeId, year, category: t.category, target: t.target, updatedByAccountId: p.accountId, updatedAt: ctx.now })))
      .onConflictDoUpdate({
        target: [commendationTargets.organizationId, commendationTargets.year, commendationTargets.category],
        set: { target: sql`excluded.target`, updatedByAccountId: sql`excluded.updated_by_account_id`, updatedAt: sql`excluded.updated_at` },
      });
    await writeAudit(tx, p, { action: 'commendation_target.set', targetType: 'commendation_target', targetId: `${committeeId}:${year}`, details: { year, targets: ctx.body.targets } }, ctx.now);
  });
  return { year, targets: await loadTargets(ctx.db, sql`${committeeId}`, year) };
});

// --- Honor roll and export -------------------------------------------------------

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
      .orderBy(asc(commendations.category), asc(commendations.awardedOn), asc(commendations.id)),
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
      category: r.category,
      subject: r.memberName ?? r.organizationName,
      organization: r.organizationName,
      title: r.title,
      level: r.level,
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
    summary.addRow({ category: t.category, target: t.target ?? '未设目标', achieved: t.achieved, unit: t.unit, percent: t.percent == null ? '—' : `${t.percent}%` });
  }
  return book.toFile(`${year}年度表彰名单.xlsx`);
});

function subtreeScope(committeeId: number): SQL {
  return sql`${commendations.organizationId} in ${subtreeOf(committeeId)}`;
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
