/**
 * Review of self-registrations: the branch secretary of the registration's
 * branch (or committee staff) lists, approves or rejects. Approval creates the
 * member record (or links the imported roster record with the same ID number)
 * and turns the account into a member's; the reviewer sees the roster match and
 * any conflict (the record bound to another WeChat account, a second pending
 * registration with the same ID number) that the applicant was not told.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { memberFactIssues } from '../../../shared/members.js';
import * as registrationsApi from '../../../shared/registrations.js';
import { REGISTRATION_STATUS_LABELS } from '../../../shared/registrations.js';
import type { Db } from '../../../db/client.js';
import { openIdNumber } from '../../../db/pii.js';
import { accounts, members, registrations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { ApiError, conflict, isUniqueViolation, notFound } from '../../_app/errors.js';
import { organizationScope } from '../../_app/scope.js';
import { assertNoFieldIssues } from '../../_app/field-issues.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { piiKeys } from '../../_app/pii.js';
import { postMessage, recipients } from '../../_app/messages.js';
import { registrationDecided } from '../../../shared/messages.js';
import { loadRegistration, selectRegistrations, toRegistration } from './submit.js';

export const listRegistrations = route(registrationsApi.listRegistrations, async (ctx) => {
  const { status } = ctx.query;
  const rows = await selectRegistrations(ctx.db)
    .where(and(eq(registrations.status, status), organizationScope(ctx.user, registrations.organizationId)))
    // The oldest waiting applicant first; decided ones most recent first.
    .orderBy(status === 'pending' ? asc(registrations.createdAt) : desc(registrations.decidedAt), asc(registrations.id))
    .limit(200);
  return { items: rows.map((r) => toRegistration(r, ctx.today)) };
});

/** The registration, locked, if the officer may decide it; 404 outside their scope. */
async function lockForDecision(tx: Db, p: Principal, id: number) {
  const [row] = await tx
    .select()
    .from(registrations)
    .where(and(eq(registrations.id, id), organizationScope(p, registrations.organizationId)))
    .for('update');
  if (!row) throw notFound('登记申请');
  if (row.status !== 'pending') {
    throw new ApiError('invalid_transition', `该登记申请已${REGISTRATION_STATUS_LABELS[row.status]}，无需重复审核`);
  }
  return row;
}

export const approveRegistration = route(registrationsApi.approveRegistration, async (ctx) => {
  const p = ctx.user;
  const { id } = ctx.params;
  return withIdempotency(ctx, `registrations.approve:${id}`, async (tx) => {
    const reg = await lockForDecision(tx, p, id);
    // The roster gets only records that hold today's rules (an older application may predate one).
    assertNoFieldIssues(memberFactIssues({ ...reg, idNumber: openIdNumber(reg.idCipher, piiKeys(ctx)) }, ctx.today));
    // A roster record may have been imported since submission: ON CONFLICT finds it by the ID hash.
    const [created] = await tx
      .insert(members)
      .values({
        name: reg.name,
        gender: reg.gender,
        ethnicity: reg.ethnicity,
        birthDate: reg.birthDate,
        idCipher: reg.idCipher,
        idHash: reg.idHash,
        idMasked: reg.idMasked,
        phone: reg.phone,
        organizationId: reg.organizationId,
        category: reg.category,
        joinedAt: reg.joinedAt,
        confirmedAt: reg.confirmedAt,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoNothing({ target: members.idHash })
      .returning({ id: members.id });
    let memberId = created?.id;
    if (memberId === undefined) {
      const [existing] = await tx
        .select({ id: members.id, inScope: sql<boolean>`(${organizationScope(p, members.organizationId)})` })
        .from(members)
        .where(eq(members.idHash, reg.idHash));
      if (!existing) throw new ApiError('internal', '审核失败，请重试');
      if (!existing.inScope) throw conflict('花名册中该身份证号属于其他支部，请联系党委工作人员处理');
      memberId = existing.id;
    }
    let updated: { id: number }[];
    try {
      updated = await tx
        .update(accounts)
        .set({
          memberId,
          // An officer keeps their role; an applicant becomes a member.
          role: sql`case when ${accounts.role} in ('secretary', 'staff') then ${accounts.role} else 'member' end`,
          authVersion: sql`${accounts.authVersion} + 1`,
          // The account is named after the roster record from now on (timelines, exports), not 新用户 or a WeChat nickname.
          displayName: sql`(select ${members.name} from ${members} where ${members.id} = ${memberId})`,
        })
        .where(and(eq(accounts.id, reg.accountId), sql`${accounts.memberId} is null`))
        .returning({ id: accounts.id });
    } catch (err) {
      if (isUniqueViolation(err, 'accounts_member_uq')) throw conflict('该党员档案已绑定其他微信账号，无法重复绑定');
      throw err;
    }
    if (updated.length === 0) throw conflict('该微信账号已关联党员档案，无需重复审核');
    await tx
      .update(registrations)
      .set({ status: 'approved', memberId, decidedByAccountId: p.accountId, decidedAt: ctx.now })
      .where(eq(registrations.id, id));
    await writeAudit(
      tx,
      p,
      {
        action: 'registration.approve',
        targetType: 'registration',
        targetId: id,
        details: { memberId, accountId: reg.accountId, organizationId: reg.organizationId, linkedRosterRecord: created === undefined },
      },
      ctx.now,
    );
    await postMessage(tx, p, [recipients.account(reg.accountId)], registrationDecided(id, true, null), ctx.now);
    return loadRegistration(tx, id, ctx.today);
  });
});

export const rejectRegistration = route(registrationsApi.rejectRegistration, async (ctx) => {
  const p = ctx.user;
  const { id } = ctx.params;
  const { reason } = ctx.body;
  return withIdempotency(ctx, `registrations.reject:${id}`, async (tx) => {
    const reg = await lockForDecision(tx, p, id);
    await tx
      .update(registrations)
      .set({ status: 'rejected', rejectReason: reason, decidedByAccountId: p.accountId, decidedAt: ctx.now })
      .where(eq(registrations.id, id));
    await writeAudit(
      tx,
      p,
      { action: 'registration.reject', targetType: 'registration', targetId: id, details: { accountId: reg.accountId, reason } },
      ctx.now,
    );
    await postMessage(tx, p, [recipients.account(reg.accountId)], registrationDecided(id, false, reason), ctx.now);
    return loadRegistration(tx, id, ctx.today);
  });
});
