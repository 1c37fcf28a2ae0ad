/**
 * Invitation codes: county staff invite a township's staff (and more county staff), township staff their
 * branches' secretaries and more staff; anyone signed in redeems a code once.
 * Who sees and revokes an invitation follows its organization (`organizationScope`:
 * staff their township, county staff the county). The plain code leaves the
 * server once, in the answer that creates it; a retry with the same key derives
 * the same code again (store.ts), so it is never kept.
 */
import QRCode from 'qrcode';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import * as onboardingApi from '../../../shared/onboarding.js';
import {
  formatInvitationCode,
  INVITATION_QR_PREFIX,
  INVITATION_ROLE_KIND,
  INVITATION_ROLE_LABELS,
  INVITATION_STATE_LABELS,
  invitationState,
  type Invitation,
  type InvitationRole,
} from '../../../shared/onboarding.js';
import type { Db } from '../../../db/client.js';
import { accounts, invitations, members, organizations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route, type Ctx } from '../../_app/context.js';
import { ApiError, isUniqueViolation, notFound } from '../../_app/errors.js';
import { requireIdempotencyKey, withIdempotency } from '../../_app/idempotency.js';
import { organizationScope, subtreeOf, townshipOfOrganization } from '../../_app/scope.js';
import { derivedInvitationCode, insertInvitation } from './store.js';

const creator = alias(accounts, 'creator');
const creatorMember = alias(members, 'creator_member');
const user = alias(accounts, 'invitee');
const userMember = alias(members, 'invitee_member');
const twp = alias(organizations, 'twp');
const invitedMember = alias(members, 'invited_member');

async function load(db: Db, p: Principal, now: Date, where?: SQL): Promise<Invitation[]> {
  const rows = await db
    .select({
      id: invitations.id,
      role: invitations.role,
      organizationId: invitations.organizationId,
      organizationName: organizations.name,
      memberName: invitedMember.name,
      townshipName: sql<string | null>`(select ${twp.name} from ${organizations} ${twp} where ${twp.id} = ${townshipOfOrganization(invitations.organizationId)})`,
      createdAt: invitations.createdAt,
      createdByName: sql<string | null>`coalesce(${creatorMember.name}, ${creator.displayName})`,
      expiresAt: invitations.expiresAt,
      usedAt: invitations.usedAt,
      usedByName: sql<string | null>`coalesce(${userMember.name}, ${user.displayName})`,
      revokedAt: invitations.revokedAt,
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .leftJoin(invitedMember, eq(invitedMember.id, invitations.memberId))
    .leftJoin(creator, eq(creator.id, invitations.createdByAccountId))
    .leftJoin(creatorMember, eq(creatorMember.id, creator.memberId))
    .leftJoin(user, eq(user.id, invitations.usedByAccountId))
    .leftJoin(userMember, eq(userMember.id, user.memberId))
    .where(and(organizationScope(p, invitations.organizationId), where))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(300);
  return rows.map((r) => ({
    ...r,
    state: invitationState(r, now),
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    usedAt: r.usedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

async function one(db: Db, p: Principal, now: Date, id: number): Promise<Invitation> {
  const [inv] = await load(db, p, now, eq(invitations.id, id));
  if (!inv) throw notFound('邀请码');
  return inv;
}

/**
 * The roster entry an invitation names: an active member in the invited organization's subtree (a secretary's
 * branch, the staff's township) whose record no account uses yet. Anything else reads as not found, or says why.
 */
async function assertInvitableMember(db: Db, memberId: number, organizationId: number): Promise<void> {
  const [m] = await db
    .select({ id: members.id, linked: accounts.id })
    .from(members)
    .leftJoin(accounts, eq(accounts.memberId, members.id))
    .where(and(eq(members.id, memberId), eq(members.status, 'active'), sql`${members.organizationId} in ${subtreeOf(organizationId)}`));
  if (!m) throw notFound('该组织的在册党员');
  if (m.linked != null) throw new ApiError('conflict', '这位党员已经用自己的微信登录过，直接邀请即可，不必选择花名册记录');
}

/**
 * Creates an invitation for `role` in `organizationId`, which must be in the
 * caller's scope and of the kind the role binds to (a township for staff, a
 * branch for a secretary); anything else reads as not found.
 */
async function issue(ctx: Ctx, routeName: string, role: InvitationRole, organizationId: number, memberId?: number) {
  const p = ctx.user;
  const key = requireIdempotencyKey(ctx);
  const code = derivedInvitationCode(ctx.deps.config.sessionSecret, p.accountId, key);
  const answer = await withIdempotency(ctx, routeName, async (tx) => {
    const [org] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(and(eq(organizations.id, organizationId), eq(organizations.kind, INVITATION_ROLE_KIND[role]), organizationScope(p, organizations.id)));
    if (!org) throw notFound(role === 'secretary' ? '支部' : role === 'county' ? '县委组织部' : '乡镇党委');
    if (memberId !== undefined) await assertInvitableMember(tx, memberId, org.id);
    let id: number;
    try {
      id = await insertInvitation(tx, { code, role, organizationId: org.id, memberId, createdByAccountId: p.accountId, now: ctx.now });
    } catch (err) {
      // The same key again after its idempotency record is gone: the code exists already.
      if (isUniqueViolation(err, 'invitations_code_hash_uq')) throw new ApiError('conflict', '这个邀请码已经生成过，请在邀请码列表中查看，或重新生成');
      throw err;
    }
    await writeAudit(tx, p, { action: 'invitation.create', targetType: 'invitation', targetId: id, details: { role, organizationId: org.id, memberId: memberId ?? null } }, ctx.now);
    return new JsonResponse(201, { invitation: await one(tx, p, ctx.now, id) });
  });
  const stored = answer instanceof JsonResponse ? answer : new JsonResponse(200, answer);
  const qrImage = await QRCode.toDataURL(INVITATION_QR_PREFIX + code, { errorCorrectionLevel: 'M', margin: 2, width: 480 });
  return new JsonResponse(stored.status, { ...stored.body, code: formatInvitationCode(code), qrImage });
}

export const inviteTownshipStaff = route(onboardingApi.inviteTownshipStaff, async (ctx) =>
  issue(ctx as unknown as Ctx, 'onboarding.inviteTownshipStaff', ctx.body.role, ctx.body.organizationId),
);

export const invite = route(onboardingApi.invite, async (ctx) => {
  const p = ctx.user;
  // Township staff invite within their own township; more staff only for the township itself.
  if (ctx.body.role === 'staff' && ctx.body.organizationId !== p.organizationId) throw notFound('乡镇党委');
  return issue(ctx as unknown as Ctx, 'onboarding.invite', ctx.body.role, ctx.body.organizationId, ctx.body.memberId);
});

export const listInvitations = route(onboardingApi.listInvitations, async (ctx) => ({
  invitations: await load(ctx.db, ctx.user, ctx.now),
}));

async function revoke(ctx: Ctx<typeof onboardingApi.revokeInvitation>, routeName: string) {
  const p = ctx.user;
  return withIdempotency(ctx as unknown as Ctx, routeName, async (tx) => {
    const [current] = await load(tx, p, ctx.now, eq(invitations.id, ctx.params.id));
    if (!current) throw notFound('邀请码');
    // Only an unused, unexpired code is revoked: the update's own condition settles a race with a redeem.
    const [done] = await tx
      .update(invitations)
      .set({ revokedAt: ctx.now, revokedByAccountId: p.accountId })
      .where(and(eq(invitations.id, current.id), sql`${invitations.usedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > ${ctx.now.toISOString()}::timestamptz`))
      .returning({ id: invitations.id });
    if (!done) {
      const state = (await one(tx, p, ctx.now, current.id)).state;
      throw new ApiError('conflict', `这个邀请码${INVITATION_STATE_LABELS[state]}，不能撤销`);
    }
    await writeAudit(tx, p, { action: 'invitation.revoke', targetType: 'invitation', targetId: current.id, details: { role: current.role, roleLabel: INVITATION_ROLE_LABELS[current.role] } }, ctx.now);
    return { invitation: await one(tx, p, ctx.now, current.id) };
  });
}

export const revokeInvitation = route(onboardingApi.revokeInvitation, async (ctx) => revoke(ctx, 'onboarding.revoke'));
export const revokeCountyInvitation = route(onboardingApi.revokeCountyInvitation, async (ctx) =>
  revoke(ctx as unknown as Ctx<typeof onboardingApi.revokeInvitation>, 'onboarding.revokeCounty'),
);
