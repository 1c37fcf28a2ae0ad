/** The callers of the matrix: branch A and B of township A, township B's and the county's accounts, fresh members. */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { addDays } from '../../../shared/calendar.js';
import { sealIdNumber } from '../../../db/pii.js';
import { accounts, members } from '../../../db/schema/index.js';
import { makeIdNumber, makePhone } from '../../../db/seed/identity.js';
import type { TestContext } from '../harness.js';
import { accountIn, branchesOf as branchIdsOf, townshipId } from '../townships.js';
import type { Actor } from './actors.js';

const branchesOf = (ctx: TestContext, which: 'A' | 'B') => branchIdsOf(ctx.db, which);

export interface Person {
  memberId: number;
  accountId: number;
  token: string;
}
export interface World {
  ctx: TestContext;
  branchA: number;
  branchB: number;
  tokens: Record<Exclude<Actor, 'anonymous' | 'owner'>, string>;
  /** A new member of branch A (fresh state: no open transfer, no session, no sign-in). */
  freshMember(branchId?: number): Promise<Person>;
}

let personSeq = 0;
export async function buildWorld(ctx: TestContext): Promise<World> {
  // Branch A and B are two branches of township A; township B's callers come from its own first branch.
  const [branchA, branchB] = (await branchesOf(ctx, 'A')) as [number, number];
  const [townshipBBranch] = (await branchesOf(ctx, 'B')) as [number];
  const secretaryOf = async (branchId: number) => {
    const [a] = await ctx.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.organizationId, branchId)));
    return ctx.login('secretary', a!.id);
  };
  const keys = { encryptionKey: ctx.config.idEncryptionKey, hashKey: ctx.config.idHashKey };
  const freshMember = async (branchId = branchA): Promise<Person> => {
    const seq = personSeq++;
    const birthDate = addDays('1970-01-01', seq * 3 + (ctx.driver === 'neon' ? 1 : 0));
    const [m] = await ctx.db
      .insert(members)
      .values({
        name: `测试党员${seq}`,
        gender: 'male',
        ethnicity: '汉族',
        birthDate,
        ...sealIdNumber(makeIdNumber(birthDate, 'male', seq, '150102'), keys),
        phone: makePhone(9000 + seq),
        organizationId: branchId,
        category: 'full',
        // Admitted in June: the political-birthday window of the test month is open.
        joinedAt: '2010-06-10',
        confirmedAt: '2011-06-10',
      })
      .returning();
    const [a] = await ctx.db.insert(accounts).values({ openid: `matrix-${randomUUID()}`, role: 'member', memberId: m!.id, displayName: m!.name, isDemo: 1 }).returning();
    return { memberId: m!.id, accountId: a!.id, token: await ctx.login('member', a!.id) };
  };
  const forged = await new SignJWT({ role: 'staff', org: 1, mid: null, av: 1 })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('1')
    .setIssuer('dangjian')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('an-attacker-guessed-secret-an-attacker-guessed'));
  const staff = await ctx.login('staff');
  // A real token of this server, issued long enough ago to have expired.
  ctx.clock.advance(-(ctx.config.accessTokenTtlMinutes + 5));
  // A plain dev login, not ctx.login: the harness would renew that one as a client does.
  const expired = (await ctx.call<{ token: string }>('POST', '/api/auth/dev', { body: { role: 'staff' } })).body.token;
  ctx.clock.advance(ctx.config.accessTokenTtlMinutes + 5);
  return {
    ctx,
    branchA,
    branchB,
    freshMember,
    tokens: {
      forged,
      expired,
      peer: (await freshMember()).token,
      otherMember: (await freshMember(branchB)).token,
      ownSecretary: await secretaryOf(branchA),
      otherSecretary: await secretaryOf(branchB),
      staff,
      townshipBMember: (await freshMember(townshipBBranch)).token,
      townshipBSecretary: await secretaryOf(townshipBBranch),
      townshipBStaff: await ctx.login('staff', await accountIn(ctx.db, 'staff', await townshipId(ctx.db, 'B'))),
      county: await ctx.login('county'),
    },
  };
}
