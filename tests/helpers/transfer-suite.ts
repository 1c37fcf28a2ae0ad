/**
 * The setup the transfers API suites share: the township's branches, staff and secretaries signed in, and a pool
 * of ordinary members with no transfer yet, handed out one per test so tests do not collide. Call it inside
 * `describeEachDriver`: it registers the suite's `beforeAll`.
 */
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { beforeAll, expect } from 'vitest';
import { accounts, members, organizations, transferEvents, transfers } from '../../db/schema/index.js';
import type { TransferDetail } from '../../shared/transfers.js';
import type { TestContext } from './harness.js';
import { outBody } from './transfer-bodies.js';

export interface Person {
  memberId: number;
  accountId: number;
  organizationId: number;
  /** The member account's WeChat openid (what a subscribe message is sent to). */
  openid: string;
  token: string;
}

export { outBody };

/** A step's answer: the transfer on success, an error body otherwise. */
export type StepAnswer = TransferDetail & { error: { code: string; message: string } };

export function transferSuite(c: () => TestContext) {
  const state = { branches: [] as number[], staffToken: '' };
  const secretaryTokens = new Map<number, string>();
  let pool: Omit<Person, 'token'>[] = [];

  beforeAll(async () => {
    const ctx = c();
    const orgs = await ctx.db.select().from(organizations).orderBy(asc(organizations.id));
    state.branches = orgs.filter((o) => o.kind === 'branch').map((o) => o.id);
    state.staffToken = await ctx.login('staff');
    const secretaries = await ctx.db.select().from(accounts).where(eq(accounts.role, 'secretary')).orderBy(asc(accounts.id));
    for (const s of secretaries) secretaryTokens.set(s.organizationId as number, await ctx.login('secretary', s.id));
    pool = (
      await ctx.db
        .select({ memberId: members.id, accountId: accounts.id, organizationId: members.organizationId, openid: accounts.openid })
        .from(members)
        .innerJoin(accounts, eq(accounts.memberId, members.id))
        .where(and(eq(accounts.role, 'member'), eq(members.status, 'active'), sql`not exists (select 1 from transfers t where t.member_id = ${members.id})`))
        .orderBy(asc(members.id))
    ).map((m) => ({ ...m, openid: m.openid as string }));
  });

  /** A member of the given branch, or of any of the given branches (any branch when omitted), with a fresh token. */
  async function takeMember(organizationId?: number | readonly number[]): Promise<Person> {
    const fits = (id: number) => organizationId == null || (typeof organizationId === 'number' ? id === organizationId : organizationId.includes(id));
    const i = pool.findIndex((m) => fits(m.organizationId));
    if (i < 0) throw new Error('member pool exhausted');
    const [m] = pool.splice(i, 1);
    if (!m) throw new Error('member pool exhausted');
    return { ...m, token: await c().login('member', m.accountId) };
  }
  /** Hands back a member a test only looked with (nothing filed), to be taken first next time. */
  const putBack = ({ token: _token, ...m }: Person) => void pool.unshift(m);

  async function applyOut(person: Person, extra: Record<string, unknown> = {}): Promise<TransferDetail> {
    const res = await c().call<TransferDetail>('POST', '/api/transfers', { token: person.token, body: { ...outBody, ...extra } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function snapshot(id: number) {
    const [row] = await c().db.select().from(transfers).where(eq(transfers.id, id));
    const [events] = await c().db.select({ n: count() }).from(transferEvents).where(eq(transferEvents.transferId, id));
    return { state: row?.state, version: row?.version, letterNumber: row?.letterNumber, events: events?.n };
  }

  return {
    /** The township's branches by id, and staff's token (set by the suite's beforeAll). */
    get branches() {
      return state.branches;
    },
    get staffToken() {
      return state.staffToken;
    },
    takeMember,
    putBack,
    secretaryOf: (organizationId: number) => secretaryTokens.get(organizationId) as string,
    otherBranch: (organizationId: number) => state.branches.find((b) => b !== organizationId) as number,
    get: (id: number, token: string) => c().call<TransferDetail>('GET', `/api/transfers/${id}`, { token }),
    /** A step; with `key`, under that Idempotency-Key (a retried step). */
    post: (id: number, action: string, token: string, body: Record<string, unknown>, key?: string) =>
      c().call<StepAnswer>('POST', `/api/transfers/${id}/${action}`, { token, body, headers: key ? { 'idempotency-key': key } : undefined }),
    applyOut,
    snapshot,
  };
}
