/** Reading commendations: the one select every list, answer and export uses. */
import { aliasedTable, and, desc, eq, isNull } from 'drizzle-orm';
import * as api from '../../../shared/commendations.js';
import { subjectOf, type Commendation } from '../../../shared/commendations.js';
import type { Db } from '../../../db/client.js';
import { commendationCampaigns, commendations, members, organizations } from '../../../db/schema/index.js';
import { notFound } from '../../_app/errors.js';
import { route } from '../../_app/context.js';
import { commendationScope } from './scope.js';

export const branch = aliasedTable(organizations, 'branch');

export function selectCommendations(db: Db) {
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

export function toCommendation(row: CommendationRow): Commendation {
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

export async function loadCommendation(db: Db, id: number): Promise<Commendation> {
  const [row] = await selectCommendations(db).where(eq(commendations.id, id));
  if (!row) throw notFound('表彰记录');
  return toCommendation(row);
}

export const newestFirst = [desc(commendations.awardedOn), desc(commendations.id)];

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
