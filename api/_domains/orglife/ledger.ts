/**
 * The inputs of the due engine and the 学时 ledger, read for many branches at
 * once. Collective study events (the study domain's study_entries with an
 * event) count toward 学时 by query: their minutes are read, never copied.
 */
import { and, asc, eq, inArray, isNotNull, max, sql, sum } from 'drizzle-orm';
import { dueItems, type DueResult, type MeetingType, type OrglifeSettings } from '../../../shared/orglife.js';
import type { Db } from '../../../db/client.js';
import { accounts, members, orglifeAppraisals, orglifeMeetings, orglifeStudyCredits, orglifeTalks, studyEntries } from '../../../db/schema/index.js';
import type { Branch } from './access.js';

const yearRange = (column: typeof orglifeMeetings.day | typeof studyEntries.day, year: number) =>
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

export interface StudyTotals {
  meetingMinutes: number;
  eventMinutes: number;
}

/** Each member's 学时 minutes in the year: study-bearing meetings (the ledger) plus collective study events attended. */
export async function studyTotals(db: Db, memberIds: readonly number[], year: number): Promise<Map<number, StudyTotals>> {
  const out = new Map<number, StudyTotals>(memberIds.map((id) => [id, { meetingMinutes: 0, eventMinutes: 0 }]));
  if (memberIds.length === 0) return out;
  const ids = [...memberIds];
  const [meetings, events] = await Promise.all([
    db
      .select({ memberId: orglifeStudyCredits.memberId, minutes: sum(orglifeStudyCredits.minutes).mapWith(Number) })
      .from(orglifeStudyCredits)
      .where(and(inArray(orglifeStudyCredits.memberId, ids), eq(orglifeStudyCredits.year, year)))
      .groupBy(orglifeStudyCredits.memberId),
    db
      .select({ memberId: studyEntries.memberId, minutes: sum(studyEntries.minutes).mapWith(Number) })
      .from(studyEntries)
      .where(and(inArray(studyEntries.memberId, ids), isNotNull(studyEntries.eventId), yearRange(studyEntries.day, year)))
      .groupBy(studyEntries.memberId),
  ]);
  for (const r of meetings) {
    const total = out.get(r.memberId);
    if (total) total.meetingMinutes = r.minutes ?? 0;
  }
  for (const r of events) {
    const total = out.get(r.memberId);
    if (total) total.eventMinutes = r.minutes ?? 0;
  }
  return out;
}

/** Members who hold a branch or committee office (secretary or staff account): the 56 学时 figure. */
export async function officerMemberIds(db: Db, memberIds: readonly number[]): Promise<Set<number>> {
  if (memberIds.length === 0) return new Set();
  const rows = await db
    .select({ memberId: accounts.memberId })
    .from(accounts)
    .where(and(inArray(accounts.memberId, [...memberIds]), inArray(accounts.role, ['secretary', 'staff'])));
  return new Set(rows.map((r) => r.memberId).filter((id): id is number => id != null));
}
