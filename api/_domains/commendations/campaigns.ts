/** 表彰活动: the township's campaigns with their quotas and places used. */
import { and, desc, eq, sql } from 'drizzle-orm';
import * as api from '../../../shared/commendations.js';
import type { Quotas } from '../../../shared/commendations.js';
import type { Db } from '../../../db/client.js';
import { commendationCampaigns } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route } from '../../_app/context.js';
import { conflict, isUniqueViolation } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { townshipOf } from '../../_app/scope.js';

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
