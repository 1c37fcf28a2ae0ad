/**
 * The due engine's inputs for many branches at once, and the township settings
 * it runs with: read by the organizational-life domain (calendar, township
 * view) and by the message centre's 事前提醒, so both see the same due state.
 */
import { and, asc, eq, inArray, max, sql } from 'drizzle-orm';
import { shanghaiDate, type IsoDate } from '../../shared/calendar.js';
import { branchEstablishedOn, dueItems, orglifeSettings, type DueResult, type MeetingType, type OrglifeSettings } from '../../shared/orglife.js';
import type { Db } from '../../db/client.js';
import { members, organizations, orglifeAppraisals, orglifeMeetings, orglifeTalks } from '../../db/schema/index.js';
import type { Principal } from './auth.js';
import { settingsFor as effectiveSettingsFor } from './settings.js';

export interface Branch {
  id: number;
  name: string;
  createdOn: IsoDate;
}

export const BRANCH_COLUMNS = { id: organizations.id, name: organizations.name, createdAt: organizations.createdAt, settings: organizations.settings };

export function toBranch(row: { id: number; name: string; createdAt: Date; settings: Record<string, unknown> }): Branch {
  return { id: row.id, name: row.name, createdOn: branchEstablishedOn(row.settings, shanghaiDate(row.createdAt)) };
}

/** The township's organizational-life settings (frequencies, 主题党日's fixed day), over the county's defaults. */
export async function settingsFor(db: Db, p: Principal): Promise<OrglifeSettings> {
  return orglifeSettings(await effectiveSettingsFor(db, p));
}

const yearRange = (column: typeof orglifeMeetings.day, year: number) =>
  sql`${column} between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`;

/** The due engine's answer for each branch (4 statements whatever the number of branches). */
export async function dueFor(db: Db, branches: readonly Branch[], year: number, today: string, settings: OrglifeSettings): Promise<Map<number, DueResult>> {
  const ids = branches.map((b) => b.id);
  const out = new Map<number, DueResult>();
  if (ids.length === 0) return out;
  const [meetingRows, appraisalRows, memberRows] = await Promise.all([
    db
      .select({ organizationId: orglifeMeetings.organizationId, type: orglifeMeetings.type, day: orglifeMeetings.day })
      .from(orglifeMeetings)
      .where(and(inArray(orglifeMeetings.organizationId, ids), yearRange(orglifeMeetings.day, year))),
    db
      .select({ organizationId: orglifeAppraisals.organizationId, completedOn: orglifeAppraisals.completedOn })
      .from(orglifeAppraisals)
      .where(and(inArray(orglifeAppraisals.organizationId, ids), eq(orglifeAppraisals.year, year))),
    db
      .select({
        memberId: members.id,
        name: members.name,
        joinedAt: members.joinedAt,
        organizationId: members.organizationId,
      })
      .from(members)
      .where(and(inArray(members.organizationId, ids), eq(members.status, 'active'), sql`${members.joinedAt} <= ${today}::date`))
      .orderBy(asc(members.name)),
  ]);
  const memberIds = memberRows.map((r) => r.memberId);
  const talks = memberIds.length
    ? await db
        .select({ memberId: orglifeTalks.withMemberId, day: max(orglifeTalks.day) })
        .from(orglifeTalks)
        .where(and(inArray(orglifeTalks.withMemberId, memberIds), sql`${orglifeTalks.day} between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`))
        .groupBy(orglifeTalks.withMemberId)
    : [];
  const talkedOn = new Map(talks.map((r) => [r.memberId, r.day]));
  for (const b of branches) {
    out.set(
      b.id,
      dueItems({
        today,
        year,
        settings,
        branchCreatedOn: b.createdOn,
        meetings: meetingRows.filter((r) => r.organizationId === b.id).map((r) => ({ type: r.type as MeetingType, day: r.day })),
        appraisalCompletedOn: appraisalRows.find((r) => r.organizationId === b.id)?.completedOn ?? null,
        members: memberRows.filter((r) => r.organizationId === b.id).map((r) => ({ ...r, talkedOn: talkedOn.get(r.memberId) ?? null })),
      }),
    );
  }
  return out;
}

