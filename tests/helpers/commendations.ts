/**
 * The commendations suites' setup from the seeded township: tokens for staff, a secretary and a member, members free
 * to commend this year, this year's campaign; a commendation body, and progress counted apart from the API.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { beforeAll, expect } from 'vitest';
import { accounts, commendations, members, organizations } from '../../db/schema/index.js';
import type { TestContext } from './harness.js';

export const YEAR = 2026; // TEST_NOW is 2026-06-15
let keySeq = 0;
export const key = () => `test-key-${Date.now()}-${++keySeq}`;

export interface Fixture {
  staff: string;
  secretary: string;
  member: string;
  memberId: number;
  secretaryBranchId: number;
  /** Active members outside the secretary's branch, none with a commendation this year. */
  freeMemberIds: number[];
  branchIds: number[];
  thisYearCampaignId: number;
}

async function fixture(c: TestContext): Promise<Fixture> {
  const [memberAccount] = await c.db.select().from(accounts).where(and(eq(accounts.role, 'member'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id)).limit(1);
  const [secretaryAccount] = await c.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id)).limit(1);
  const branches = await c.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.kind, 'branch')).orderBy(asc(organizations.sortOrder));
  const honored = new Set(
    (await c.db.select({ id: commendations.memberId }).from(commendations).where(eq(commendations.year, YEAR))).map((r) => r.id),
  );
  const free = await c.db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.status, 'active'), sql`${members.organizationId} <> ${secretaryAccount!.organizationId}`))
    .orderBy(asc(members.id));
  const campaigns = await c.call('GET', '/api/commendation-campaigns', { token: await c.login('staff'), query: { year: YEAR } });
  return {
    staff: await c.login('staff'),
    secretary: await c.login('secretary', secretaryAccount!.id),
    member: await c.login('member', memberAccount!.id),
    memberId: memberAccount!.memberId!,
    secretaryBranchId: secretaryAccount!.organizationId!,
    freeMemberIds: free.map((m) => m.id).filter((id) => !honored.has(id) && id !== memberAccount!.memberId),
    branchIds: branches.map((b) => b.id),
    thisYearCampaignId: campaigns.body.campaigns[0].id,
  };
}

/** The suite's fixture, filled by its `beforeAll` (call inside `describeEachDriver`). */
export function commendationWorld(ctx: () => TestContext): Fixture {
  const f = {} as Fixture;
  beforeAll(async () => {
    Object.assign(f, await fixture(ctx()));
    expect(f.freeMemberIds.length).toBeGreaterThan(6);
  });
  return f;
}

export const record = (memberId: number, extra: Record<string, unknown> = {}) => ({
  category: 'outstanding_member',
  memberId,
  level: 'township',
  awardedOn: '2026-06-10',
  issuedBy: '中共红旗镇委员会',
  citation: '带头发展产业，服务群众。',
  ...extra,
});

/** Progress computed independently: live commendations of the year by category. */
export async function countByCategory(c: TestContext, year: number): Promise<Record<string, number>> {
  const rows = await c.db
    .select({ category: commendations.category, n: sql<number>`count(*)::int` })
    .from(commendations)
    .where(and(eq(commendations.year, year), isNull(commendations.deletedAt)))
    .groupBy(commendations.category);
  return Object.fromEntries(rows.map((r) => [r.category, Number(r.n)]));
}
