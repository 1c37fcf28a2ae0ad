/** Writing commendations: record, edit, withdraw. Only committee staff; each write audited in its transaction. */
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import * as api from '../../../shared/commendations.js';
import {
  CATEGORY_UNITS,
  COMMENDATION_CATEGORY_LABELS,
  defaultTitle,
  isMemberCategory,
  subjectOf,
  yearFitsAwardDate,
  type Commendation,
  type CommendationCategory,
} from '../../../shared/commendations.js';
import { MEMBER_STATUS_LABELS } from '../../../shared/common.js';
import type { Db } from '../../../db/client.js';
import { commendationCampaigns, commendations, members, organizations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, conflict, isUniqueViolation, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { organizationScope } from '../../_app/scope.js';
import { assertTitleFree, isTitleTaken, titleTakenError, type TitleSubject } from './one-title.js';
import { loadCommendation } from './read.js';

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
    throw conflict(`“${campaign.name}”的${COMMENDATION_CATEGORY_LABELS[category]}名额（${quota}${CATEGORY_UNITS[category]}）已用完`);
  }
}

export const createCommendation = route(api.createCommendation, async (ctx) => {
  const b = ctx.body;
  const p = ctx.user;
  const year = b.year ?? Number(b.awardedOn.slice(0, 4));
  let subject: TitleSubject | null = null;
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
          .select({ id: organizations.id, kind: organizations.kind })
          .from(organizations)
          .where(and(eq(organizations.id, b.organizationId as number), organizationScope(p, organizations.id)));
        if (!org) throw notFound('党组织');
        if (org.kind !== 'branch') throw new ApiError('unprocessable', '先进基层党组织只能授予党支部，不能授予党委本身');
        organizationId = org.id;
      }
      subject = { memberId: isMemberCategory(b.category) ? (b.memberId as number) : null, organizationId, category: b.category, year };
      if (b.campaignId != null) await assertCampaignPlace(tx, p, b.campaignId, b.category, year, null);
      await assertTitleFree(tx, subject, null);
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
    if (isTitleTaken(err) && subject) throw await titleTakenError(ctx.db, subject, null);
    if (isDuplicate(err)) throw duplicateError();
    throw err;
  }
});

export const updateCommendation = route(api.updateCommendation, async (ctx) => {
  const b = ctx.body;
  const p = ctx.user;
  let subject: TitleSubject | null = null;
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
      if (next.category !== current.category || next.year !== current.year) {
        subject = { memberId: current.memberId, organizationId: current.organizationId, category: next.category, year: next.year };
        await assertTitleFree(tx, subject, current.id);
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
    if (isTitleTaken(err) && subject) throw await titleTakenError(ctx.db, subject, ctx.params.id);
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
