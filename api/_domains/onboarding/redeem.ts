/**
 * Redeeming an invitation: the code is spent by one conditional UPDATE (unused,
 * unrevoked, unexpired), then the account takes its role and organization in
 * the same transaction, so of many concurrent tries exactly one binds an account.
 * The account's auth version moves with its role (trigger, migration 0012): the
 * answer carries a new session. Every try is audited, refusals included, and
 * limited per account and per address, so codes cannot be guessed in bulk.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import * as onboardingApi from '../../../shared/onboarding.js';
import {
  invitationState,
  isInvitationCodeShape,
  normalizeInvitationCode,
  REDEEM_REFUSALS,
  REDEEM_WINDOW_SECONDS,
} from '../../../shared/onboarding.js';
import { accounts, invitations } from '../../../db/schema/index.js';
import { accountView, issueSession, type AccountRow } from '../../_app/account-session.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { ApiError, isUniqueViolation } from '../../_app/errors.js';
import { enforceRateLimit } from '../../_app/rate-limit.js';
import { hashInvitationCode } from './store.js';

const OFFICER_ROLES = new Set(['secretary', 'staff', 'county']);

type Refusal = keyof typeof REDEEM_REFUSALS;

class Refused extends Error {
  constructor(readonly reason: Refusal) {
    super(reason);
  }
}

export const redeemInvitation = route(onboardingApi.redeemInvitation, async (ctx) => {
  const p = ctx.user;
  await enforceRateLimit(ctx.db, `redeem:${p.accountId}`, ctx.deps.config.redeemRateLimit, REDEEM_WINDOW_SECONDS, ctx.now);
  await enforceRateLimit(ctx.db, `redeem-ip:${ctx.clientIp}`, ctx.deps.config.loginRateLimit, REDEEM_WINDOW_SECONDS, ctx.now);
  const code = normalizeInvitationCode(ctx.body.code);
  const codeHash = hashInvitationCode(code);
  let bound: { account: AccountRow; invitationId: number | null };
  try {
    bound = await ctx.db.transaction(async (tx) => {
      if (!isInvitationCodeShape(code)) throw new Refused('unknown');
      const [account] = await tx.select().from(accounts).where(eq(accounts.id, p.accountId)).for('update');
      if (!account) throw new ApiError('unauthorized', '账号不存在，请重新登录');
      const [spent] = await tx
        .update(invitations)
        .set({ usedAt: ctx.now, usedByAccountId: account.id })
        .where(and(eq(invitations.codeHash, codeHash), isNull(invitations.usedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, ctx.now)))
        .returning({ id: invitations.id, role: invitations.role, organizationId: invitations.organizationId, memberId: invitations.memberId });
      if (!spent) {
        const [inv] = await tx.select().from(invitations).where(eq(invitations.codeHash, codeHash));
        // The same account sending its code again (a retry after a lost answer) gets its session again.
        if (inv && inv.usedByAccountId === account.id) return { account, invitationId: null };
        throw new Refused(inv ? (invitationState(inv, ctx.now) as Refusal) : 'unknown');
      }
      // An officer does not lose their post to a code typed by mistake (the update above is rolled back).
      if (OFFICER_ROLES.has(account.role)) throw new Refused('officer');
      // A code for a named roster entry links an account that has none, and only its own person may use it.
      if (spent.memberId != null && account.memberId != null && account.memberId !== spent.memberId) throw new Refused('other_member');
      const memberId = account.memberId ?? spent.memberId;
      let updated: AccountRow | undefined;
      try {
        [updated] = await tx.update(accounts).set({ role: spent.role, organizationId: spent.organizationId, memberId }).where(eq(accounts.id, account.id)).returning();
      } catch (err) {
        // Another account took that roster entry since the code was issued (accounts_member_uq settles the race).
        if (isUniqueViolation(err, 'accounts_member_uq')) throw new Refused('member_taken');
        throw err;
      }
      if (!updated) throw new Error('account not updated');
      await writeAudit(
        tx,
        p,
        { action: 'invitation.redeem', targetType: 'invitation', targetId: spent.id, details: { role: spent.role, organizationId: spent.organizationId, accountId: account.id, memberId } },
        ctx.now,
      );
      return { account: updated, invitationId: spent.id };
    });
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    const [inv] = await ctx.db.select({ id: invitations.id }).from(invitations).where(eq(invitations.codeHash, codeHash));
    await writeAudit(ctx.db, p, { action: 'invitation.redeem_refused', targetType: 'invitation', targetId: inv?.id ?? null, details: { reason: err.reason } }, ctx.now);
    throw new ApiError(err.reason === 'unknown' ? 'unprocessable' : 'conflict', REDEEM_REFUSALS[err.reason], { reason: err.reason });
  }
  const session = await issueSession(ctx.deps, bound.account, ctx.now);
  return { ...session, account: await accountView(ctx.db, bound.account) };
});

