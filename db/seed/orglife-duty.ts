/**
 * 党课 duty for the demo township (issue 20.4): the two committee staff (班子成员) each
 * assigned two villages, every village secretary their own; the seeded 党课 name their
 * speaker: this year's first at every other village was given by its assigned leader, the
 * rest by the branch secretary. So the 党课责任表 opens with some leaders at 1 of the quota.
 * Deterministic, no draws from the shared random stream.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { shanghaiDate } from '../../shared/calendar.js';
import { accounts, members, orglifeLectureAssignments, orglifeMeetings } from '../schema/index.js';
import type { SeedContext } from './index.js';

export async function seedOrglifeDuty({ db, now, core }: SeedContext): Promise<void> {
  const year = Number(shanghaiDate(now).slice(0, 4));
  // The last branch is the township's 机关 branch: the villages are the others.
  const villages = core.branchIds.slice(0, -1);
  const staff = await db
    .select({ memberId: accounts.memberId })
    .from(accounts)
    .where(inArray(accounts.id, core.staffAccountIds))
    .orderBy(asc(accounts.id));
  const leaders = staff.map((s) => s.memberId).filter((id): id is number => id != null);
  const secretaries = await db
    .select({ memberId: accounts.memberId, branchId: accounts.organizationId })
    .from(accounts)
    .where(and(inArray(accounts.id, core.secretaryAccountIds), inArray(accounts.organizationId, villages)));
  const leaderOf = (vi: number) => leaders[Math.floor(vi / 2)] ?? null;

  const rows: (typeof orglifeLectureAssignments.$inferInsert)[] = [];
  villages.forEach((branchId, vi) => {
    const leader = leaderOf(vi);
    if (leader != null) rows.push({ memberId: leader, branchId, createdAt: now });
  });
  for (const s of secretaries) if (s.memberId != null && s.branchId != null) rows.push({ memberId: s.memberId, branchId: s.branchId, createdAt: now });
  if (rows.length) await db.insert(orglifeLectureAssignments).values(rows).onConflictDoNothing();

  const names = new Map((await db.select({ id: members.id, name: members.name }).from(members).where(inArray(members.id, [...leaders, ...secretaries.map((s) => s.memberId ?? -1)]))).map((m) => [m.id, m.name]));
  const lectures = await db
    .select({ id: orglifeMeetings.id, organizationId: orglifeMeetings.organizationId, day: orglifeMeetings.day })
    .from(orglifeMeetings)
    .where(and(eq(orglifeMeetings.type, 'party_lecture'), inArray(orglifeMeetings.organizationId, villages)))
    .orderBy(asc(orglifeMeetings.day), asc(orglifeMeetings.id));
  for (const [vi, branchId] of villages.entries()) {
    const secretary = secretaries.find((s) => s.branchId === branchId)?.memberId ?? null;
    const own = lectures.filter((l) => l.organizationId === branchId);
    const firstThisYear = own.find((l) => l.day.startsWith(String(year)));
    for (const l of own) {
      const speaker = vi % 2 === 0 && l === firstThisYear ? leaderOf(vi) : secretary;
      if (speaker == null) continue;
      await db.update(orglifeMeetings).set({ speakerMemberId: speaker, speaker: names.get(speaker) ?? null }).where(eq(orglifeMeetings.id, l.id));
    }
  }
}
