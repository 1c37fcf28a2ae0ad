/** The callers of the matrix: branch A and B of township A, township B's and the county's accounts, fresh members. */
import { SignJWT } from 'jose';
import { addDays } from '../../../shared/calendar.js';
import type { TestContext } from '../harness.js';
import { newMember } from '../new-member.js';
import { accountIn, branchesOf as branchIdsOf, secretaryToken, townshipId } from '../townships.js';
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
  const secretaryOf = (branchId: number) => secretaryToken(ctx, branchId);
  const freshMember = async (branchId = branchA): Promise<Person> => {
    const seq = personSeq++;
    const { memberId, accountId, token } = await newMember(ctx, {
      branchId,
      name: `测试党员${seq}`,
      birthDate: addDays('1970-01-01', seq * 3 + (ctx.driver === 'neon' ? 1 : 0)),
      idSerial: seq,
      area: '150102',
      phone: 9000 + seq,
      // Admitted in June: the political-birthday window of the test month is open.
      joinedAt: '2010-06-10',
      confirmedAt: '2011-06-10',
      openid: 'matrix',
    });
    return { memberId, accountId, token };
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
