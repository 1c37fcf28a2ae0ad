/**
 * The inputs of the due engine and the 学时 ledger, read for many branches at
 * once. Collective study events (the study domain's study_entries with an
 * event) count toward 学时 by query: their minutes are read, never copied.
 */
import { and, eq, inArray, isNotNull, sql, sum } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { accounts, orglifeMeetings, orglifeStudyCredits, studyEntries } from '../../../db/schema/index.js';

export { dueFor } from '../../_app/orglife-due.js';

const yearRange = (column: typeof orglifeMeetings.day | typeof studyEntries.day, year: number) =>
  sql`${column} between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`;

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
