/**
 * Per-branch organizational-life figures for the township view and the dashboard:
 * meetings held this year and, from the 学时 ledger, how many members have reached
 * their yearly figure. Counts per branch only; no member is named here.
 */
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { meetsStudyHours } from '../../../shared/orglife.js';
import type { Db } from '../../../db/client.js';
import { members, orglifeMeetings } from '../../../db/schema/index.js';
import { officerMemberIds, studyTotals } from './ledger.js';

export interface BranchOrglifeFigures {
  meetingsHeld: number;
  study: { members: number; met: number };
}

export async function branchFigures(db: Db, branchIds: readonly number[], year: number): Promise<Map<number, BranchOrglifeFigures>> {
  const out = new Map<number, BranchOrglifeFigures>(branchIds.map((id) => [id, { meetingsHeld: 0, study: { members: 0, met: 0 } }]));
  if (branchIds.length === 0) return out;
  const ids = [...branchIds];
  const [held, roster] = await Promise.all([
    db
      .select({ organizationId: orglifeMeetings.organizationId, n: count() })
      .from(orglifeMeetings)
      .where(and(inArray(orglifeMeetings.organizationId, ids), sql`${orglifeMeetings.day} between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`))
      .groupBy(orglifeMeetings.organizationId),
    db.select({ id: members.id, organizationId: members.organizationId }).from(members).where(and(inArray(members.organizationId, ids), eq(members.status, 'active'))),
  ]);
  const memberIds = roster.map((m) => m.id);
  const [totals, officers] = await Promise.all([studyTotals(db, memberIds, year), officerMemberIds(db, memberIds)]);
  for (const r of held) out.get(r.organizationId)!.meetingsHeld = r.n;
  for (const m of roster) {
    const f = out.get(m.organizationId)!;
    const t = totals.get(m.id) ?? { meetingMinutes: 0, eventMinutes: 0 };
    f.study.members++;
    if (meetsStudyHours(t.meetingMinutes + t.eventMinutes, officers.has(m.id))) f.study.met++;
  }
  return out;
}
