/**
 * Demo commendations: last year's 七一 campaign (complete), this year's campaign
 * (places still open), a county-level honor, and yearly targets for both years,
 * so the honor roll, progress bars and export have something true to show.
 */
import { inArray } from 'drizzle-orm';
import { addDays, shanghaiDate, type IsoDate } from '../../shared/calendar.js';
import { defaultTitle, type CommendationCategory, type CommendationLevel } from '../../shared/commendations.js';
import { commendationCampaigns, commendations, commendationTargets, members } from '../schema/index.js';
import type { SeedContext } from './index.js';

interface Plan {
  category: CommendationCategory;
  /** Index into the seeded members, or into the branches for 先进基层党组织. */
  index: number;
  level: CommendationLevel;
  issuedBy: string;
  citation: string;
  inCampaign: boolean;
}

const COMMITTEE_ISSUER = '中共红旗镇委员会';

const LAST_YEAR: Plan[] = [
  { category: 'outstanding_member', index: 3, level: 'township', issuedBy: COMMITTEE_ISSUER, citation: '带头发展大棚蔬菜，帮助12户村民增收。', inCampaign: true },
  { category: 'outstanding_member', index: 7, level: 'township', issuedBy: COMMITTEE_ISSUER, citation: '防汛期间连续值守十余天，转移群众30余人。', inCampaign: true },
  { category: 'outstanding_worker', index: 1, level: 'township', issuedBy: COMMITTEE_ISSUER, citation: '支部“三会一课”记录规范完整，党费收缴及时。', inCampaign: true },
  { category: 'advanced_organization', index: 0, level: 'township', issuedBy: COMMITTEE_ISSUER, citation: '村集体经济收入翻番，人居环境整治成效明显。', inCampaign: true },
  { category: 'outstanding_member', index: 11, level: 'county', issuedBy: '中共青山县委员会', citation: '扎根乡村教育三十年，资助困难学生20余名。', inCampaign: false },
];

const THIS_YEAR: Plan[] = [
  { category: 'outstanding_member', index: 9, level: 'township', issuedBy: COMMITTEE_ISSUER, citation: '组织党员志愿服务队，常年照顾村里独居老人。', inCampaign: true },
  { category: 'outstanding_member', index: 14, level: 'township', issuedBy: COMMITTEE_ISSUER, citation: '带领村民修通3公里产业路。', inCampaign: true },
  { category: 'outstanding_worker', index: 2, level: 'township', issuedBy: COMMITTEE_ISSUER, citation: '建立党员积分管理台账，支部学习参与率全镇第一。', inCampaign: true },
  { category: 'advanced_organization', index: 3, level: 'township', issuedBy: COMMITTEE_ISSUER, citation: '“党建+合作社”带动全村户均增收5000元。', inCampaign: true },
  { category: 'outstanding_member', index: 20, level: 'county', issuedBy: '中共青山县委员会', citation: '疫情防控和秸秆禁烧工作中表现突出。', inCampaign: false },
];

/** A day this year at least `daysAgo` before today, never slipping into last year. */
function earlierThisYear(today: IsoDate, daysAgo: number): IsoDate {
  const candidate = addDays(today, -daysAgo);
  const janSecond = `${today.slice(0, 4)}-01-02`;
  return candidate < janSecond ? janSecond : candidate;
}

export async function seedCommendations({ db, now, core }: SeedContext): Promise<void> {
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  const staffAccountId = core.staffAccountIds[0] ?? null;

  const [lastCampaign, thisCampaign] = await db
    .insert(commendationCampaigns)
    .values([
      {
        organizationId: core.townshipId,
        name: `${year - 1}年七一表彰`,
        year: year - 1,
        heldOn: `${year - 1}-06-28`,
        quotas: { outstanding_member: 3, outstanding_worker: 1, advanced_organization: 1 },
        createdByAccountId: staffAccountId,
      },
      {
        organizationId: core.townshipId,
        name: `${year}年度“两优一先”表彰`,
        year,
        heldOn: earlierThisYear(today, 10),
        quotas: { outstanding_member: 6, outstanding_worker: 2, advanced_organization: 2 },
        createdByAccountId: staffAccountId,
      },
    ])
    .returning();
  if (!lastCampaign || !thisCampaign) throw new Error('seed: campaigns not created');

  const memberIds = [...LAST_YEAR, ...THIS_YEAR].filter((p) => p.category !== 'advanced_organization').map((p) => core.memberIds[p.index] as number);
  const memberBranch = new Map(
    (await db.select({ id: members.id, organizationId: members.organizationId }).from(members).where(inArray(members.id, memberIds))).map((m) => [m.id, m.organizationId]),
  );

  const rows = (plans: Plan[], honorYear: number, campaignId: number, awardedOn: (i: number) => IsoDate) =>
    plans.map((p, i) => {
      const isOrg = p.category === 'advanced_organization';
      const memberId = isOrg ? null : (core.memberIds[p.index] as number);
      return {
        category: p.category,
        memberId,
        organizationId: isOrg ? (core.branchIds[p.index] as number) : (memberBranch.get(memberId as number) as number),
        level: p.level,
        year: honorYear,
        title: defaultTitle(honorYear, p.category),
        awardedOn: awardedOn(i),
        issuedBy: p.issuedBy,
        citation: p.citation,
        campaignId: p.inCampaign ? campaignId : null,
        createdByAccountId: staffAccountId,
      };
    });

  await db.insert(commendations).values([
    ...rows(LAST_YEAR, year - 1, lastCampaign.id, (i) => (i < 4 ? `${year - 1}-06-28` : `${year - 1}-09-10`)),
    ...rows(THIS_YEAR, year, thisCampaign.id, (i) => (i < 4 ? (thisCampaign.heldOn as IsoDate) : earlierThisYear(today, 40))),
  ]);

  await db.insert(commendationTargets).values([
    { organizationId: core.townshipId, year: year - 1, category: 'outstanding_member', target: 4, updatedByAccountId: staffAccountId },
    { organizationId: core.townshipId, year: year - 1, category: 'outstanding_worker', target: 1, updatedByAccountId: staffAccountId },
    { organizationId: core.townshipId, year: year - 1, category: 'advanced_organization', target: 1, updatedByAccountId: staffAccountId },
    { organizationId: core.townshipId, year, category: 'outstanding_member', target: 8, updatedByAccountId: staffAccountId },
    { organizationId: core.townshipId, year, category: 'outstanding_worker', target: 3, updatedByAccountId: staffAccountId },
    { organizationId: core.townshipId, year, category: 'advanced_organization', target: 2, updatedByAccountId: staffAccountId },
  ]);
}
