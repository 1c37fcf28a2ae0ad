/** The 政治生日 suites' people and requests: demo members by name, their secretary, joined dates set for a test. */
import { and, asc, eq } from 'drizzle-orm';
import { accounts, members } from '../../db/schema/index.js';
import { type TestContext } from './harness.js';
import { accountIn } from './townships.js';

export { expectError } from './expect-error.js';
export const messageOf = (res: { body: unknown }) => (res.body as { error: { message: string } }).error.message;

export let keySeq = 0;
export const idempotencyKey = () => `bday-${Date.now()}-${++keySeq}`;

export interface Person {
  accountId: number;
  memberId: number;
  organizationId: number;
  role: string;
}

export async function person(c: TestContext, name: string): Promise<Person> {
  const [row] = await c.db
    .select({ accountId: accounts.id, memberId: members.id, organizationId: members.organizationId, role: accounts.role })
    .from(members)
    .innerJoin(accounts, eq(accounts.memberId, members.id))
    .where(eq(members.name, name));
  if (!row) throw new Error(`seeded member ${name} not found`);
  return row;
}

export const secretaryOf = (c: TestContext, organizationId: number): Promise<number> => accountIn(c.db, 'secretary', organizationId);

/** Plain members of a branch (not officers), for ticking at a ceremony. */
export async function plainMembersOf(c: TestContext, organizationId: number, exclude: number[]): Promise<number[]> {
  const rows = await c.db
    .select({ id: members.id })
    .from(members)
    .innerJoin(accounts, eq(accounts.memberId, members.id))
    .where(and(eq(members.organizationId, organizationId), eq(accounts.role, 'member'), eq(members.status, 'active')))
    .orderBy(asc(members.id));
  return rows.map((r) => r.id).filter((id) => !exclude.includes(id));
}

/** Moves a member's 入党/转正 dates (on this file's own copy of the database). */
export async function setJoined(c: TestContext, memberId: number, joinedAt: string, confirmedAt: string) {
  await c.db.update(members).set({ joinedAt, confirmedAt, category: 'full' }).where(eq(members.id, memberId));
}
