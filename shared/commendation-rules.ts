/**
 * 一年一个称号: a member (优秀共产党员, 优秀党务工作者) or an organization
 * (先进基层党组织) holds a given title at most once per honor year, whatever
 * the level and whether or not a campaign is named. The database settles it
 * (`commendations_member_year_uq`, `commendations_org_year_uq`); this module
 * words the refusal and says who counts toward a target.
 */
import { COMMENDATION_CATEGORY_LABELS, COMMENDATION_LEVEL_LABELS, type CommendationCategory, type CommendationLevel } from './commendations.js';

export interface ExistingTitle {
  id: number;
  category: CommendationCategory;
  year: number;
  subjectName: string;
  title: string;
  level: CommendationLevel;
  awardedOn: string;
  campaignName: string | null;
}

/** The 409 message: names the record already there, so staff can open or withdraw it. */
export function duplicateTitleMessage(e: ExistingTitle): string {
  const campaign = e.campaignName ? `，表彰活动“${e.campaignName}”` : '';
  return `${e.subjectName}已获得${e.year}年度${COMMENDATION_CATEGORY_LABELS[e.category]}（记录编号${e.id}：“${e.title}”，${COMMENDATION_LEVEL_LABELS[e.level]}，${e.awardedOn}授予${campaign}），同一年度不能重复表彰`;
}

/** The unique indexes that carry the rule. */
export const ONE_TITLE_A_YEAR_CONSTRAINTS = ['commendations_member_year_uq', 'commendations_org_year_uq'] as const;
