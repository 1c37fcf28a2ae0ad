/**
 * 一年一个称号 (shared/commendation-rules.ts): the record already there is
 * looked up to name it in the 409; the partial unique indexes settle a race,
 * after which the winner is looked up the same way.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { duplicateTitleMessage, ONE_TITLE_A_YEAR_CONSTRAINTS } from '../../../shared/commendation-rules.js';
import type { CommendationCategory } from '../../../shared/commendations.js';
import type { Db } from '../../../db/client.js';
import { commendations } from '../../../db/schema/index.js';
import { ApiError, conflict, isUniqueViolation } from '../../_app/errors.js';
import { selectCommendations } from './read.js';

export interface TitleSubject {
  /** Set for 优秀共产党员 / 优秀党务工作者; null for 先进基层党组织. */
  memberId: number | null;
  organizationId: number;
  category: CommendationCategory;
  year: number;
}

async function existingTitle(db: Db, s: TitleSubject, excludeId: number | null) {
  const [row] = await selectCommendations(db)
    .where(
      and(
        eq(commendations.category, s.category),
        eq(commendations.year, s.year),
        isNull(commendations.deletedAt),
        s.memberId != null ? eq(commendations.memberId, s.memberId) : and(isNull(commendations.memberId), eq(commendations.organizationId, s.organizationId)),
        excludeId != null ? sql`${commendations.id} <> ${excludeId}` : undefined,
      ),
    )
    .limit(1);
  return row;
}

async function titleConflict(db: Db, s: TitleSubject, excludeId: number | null): Promise<ApiError | null> {
  const row = await existingTitle(db, s, excludeId);
  if (!row) return null;
  const existing = {
    id: row.id,
    category: row.category,
    year: row.year,
    subjectName: row.memberName ?? row.organizationName,
    title: row.title,
    level: row.level,
    awardedOn: row.awardedOn,
    campaignName: row.campaignName,
  };
  return conflict(duplicateTitleMessage(existing), { existing });
}

/** Refuses a second live record of the same title, subject and year (409 naming the first). */
export async function assertTitleFree(tx: Db, s: TitleSubject, excludeId: number | null): Promise<void> {
  const refused = await titleConflict(tx, s, excludeId);
  if (refused) throw refused;
}

export const isTitleTaken = (err: unknown) => ONE_TITLE_A_YEAR_CONSTRAINTS.some((c) => isUniqueViolation(err, c));

/** After losing a race on the unique index (the transaction is gone): the 409 naming the winner. */
export async function titleTakenError(db: Db, s: TitleSubject, excludeId: number | null): Promise<ApiError> {
  return (await titleConflict(db, s, excludeId)) ?? conflict('该对象在本年度已获得同一称号，不能重复表彰');
}
