/**
 * The study suites' shared world: demo members no other test of the file took, their branch's secretary,
 * and the requests the suites make (check-in, a write with a fresh key, an open timer page).
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, expect } from 'vitest';
import { accounts, members } from '../../db/schema/index.js';
import { TEST_NOW } from './constants.js';
import type { TestContext } from './harness.js';

export { expectError } from './expect-error.js';

export interface Person {
  accountId: number;
  memberId: number;
  organizationId: number;
  role: string;
}

/** Demo accounts with their member and branch, so each test can take people no other test touches. */
export async function people(ctx: TestContext): Promise<Person[]> {
  return ctx.db
    .select({ accountId: accounts.id, memberId: members.id, organizationId: members.organizationId, role: accounts.role })
    .from(accounts)
    .innerJoin(members, eq(members.id, accounts.memberId))
    .where(eq(accounts.isDemo, 1))
    .orderBy(accounts.id) as Promise<Person[]>;
}

export const key = () => `test-${randomUUID()}`;
export const report = (minutes: number, extra: Record<string, unknown> = {}) => ({ way: 'platform', topic: '学习党章', minutes, ...extra });

/** Called inside a suite's describe: the helpers bound to its context, and the clock reset after each test. */
export function studyWorld(ctx: () => TestContext) {
  let pool: Person[] | undefined;
  const used = new Set<number>();
  /** A fresh ordinary member (of the given branch if any) no earlier test used. */
  async function freshMember(organizationId?: number): Promise<Person & { token: string }> {
    pool ??= await people(ctx());
    const p = pool.find((x) => x.role === 'member' && !used.has(x.accountId) && (organizationId === undefined || x.organizationId === organizationId));
    if (!p) throw new Error('no unused member left');
    used.add(p.accountId);
    return { ...p, token: await ctx().login('member', p.accountId) };
  }
  async function secretaryOf(organizationId: number) {
    pool ??= await people(ctx());
    const p = pool.find((x) => x.role === 'secretary' && x.organizationId === organizationId);
    if (!p) throw new Error('no secretary');
    const [account] = await ctx().db.select().from(accounts).where(eq(accounts.id, p.accountId));
    return { ...p, branchId: account!.organizationId!, token: await ctx().login('secretary', p.accountId) };
  }
  /** Any demo person matching `match` (an officer of another branch, say); `take` also keeps them from later tests. */
  async function pick(match: (p: Person) => boolean, take = false): Promise<Person> {
    pool ??= await people(ctx());
    const p = pool.find((x) => match(x) && !(take && used.has(x.accountId)));
    if (!p) throw new Error('no such person');
    if (take) used.add(p.accountId);
    return p;
  }
  const checkin = (token: string, body: unknown, idem: string | null = key()) =>
    ctx().call('POST', '/api/study/checkins', { token, body, headers: idem ? { 'idempotency-key': idem } : {} });
  /** A write under a fresh Idempotency-Key, the given one (a replay), or none (`null`). */
  const post = (token: string, path: string, body: unknown = {}, idem: string | null = key()) =>
    ctx().call('POST', path, { token, body, headers: idem ? { 'idempotency-key': idem } : {} });

  afterEach(() => ctx().clock.set(new Date(TEST_NOW)));

  /** The open timer page: `minutes` of study, confirming presence every 3 minutes as the app does. */
  async function studyWithPage(token: string, sessionId: number, minutes: number) {
    for (let left = minutes; left > 0; left -= 3) {
      ctx().clock.advance(Math.min(3, left));
      if (left > 3) expect((await post(token, `/api/study/sessions/${sessionId}/presence`)).body.session.status).toBe('open');
    }
  }
  return { freshMember, secretaryOf, pick, checkin, post, studyWithPage };
}
