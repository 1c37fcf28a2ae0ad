/**
 * Self-registration: a WeChat user with no member record applies; the branch
 * secretary of the chosen branch (or committee staff) approves or rejects.
 * Approval creates the member record (or links the imported roster record with
 * the same ID number) and turns the account into a member's.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { IsoDate } from '../../shared/calendar.js';
import { isProbationOverdue, memberFactIssues } from '../../shared/members.js';
import { maskPhone } from '../../shared/phone.js';
import * as registrationsApi from '../../shared/registrations.js';
import { REGISTRATION_STATUS_LABELS, type Registration } from '../../shared/registrations.js';
import type { Db } from '../../db/client.js';
import { openIdNumber, sealIdNumber } from '../../db/pii.js';
import { accounts, members, organizations, registrations } from '../../db/schema/index.js';
import type { Principal } from '../_app/auth.js';
import { writeAudit } from '../_app/audit.js';
import { JsonResponse, route } from '../_app/context.js';
import { ApiError, conflict, isUniqueViolation, notFound } from '../_app/errors.js';
import { organizationScope } from '../_app/scope.js';
import { assertNoFieldIssues, piiKeys, runWrite } from './members.js';

const rosterMember = alias(members, 'roster_member');

const registrationColumns = {
  id: registrations.id,
  status: registrations.status,
  accountId: registrations.accountId,
  name: registrations.name,
  gender: registrations.gender,
  ethnicity: registrations.ethnicity,
  birthDate: registrations.birthDate,
  idMasked: registrations.idMasked,
  phone: registrations.phone,
  organizationId: registrations.organizationId,
  organizationName: organizations.name,
  category: registrations.category,
  joinedAt: registrations.joinedAt,
  confirmedAt: registrations.confirmedAt,
  rosterMemberId: registrations.rosterMemberId,
  rosterMemberName: rosterMember.name,
  rejectReason: registrations.rejectReason,
  createdAt: registrations.createdAt,
  decidedAt: registrations.decidedAt,
  memberId: registrations.memberId,
};

function selectRegistrations(db: Db) {
  return db
    .select(registrationColumns)
    .from(registrations)
    .innerJoin(organizations, eq(organizations.id, registrations.organizationId))
    .leftJoin(rosterMember, eq(rosterMember.id, registrations.rosterMemberId));
}

type RegistrationRow = Awaited<ReturnType<typeof selectRegistrations>>[number];

/** `forOfficer`: the roster record's name is shown to reviewers only (an applicant typed only their own data). */
function toRegistration(row: RegistrationRow, today: IsoDate, forOfficer: boolean): Registration {
  return {
    id: row.id,
    status: row.status,
    name: row.name,
    gender: row.gender,
    ethnicity: row.ethnicity,
    birthDate: row.birthDate,
    idNumberMasked: row.idMasked,
    phoneMasked: maskPhone(row.phone),
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    category: row.category,
    joinedAt: row.joinedAt,
    confirmedAt: row.confirmedAt,
    probationOverdue: row.status === 'pending' && isProbationOverdue(row.category, row.joinedAt, today),
    matchesRosterMember: row.rosterMemberId != null,
    rosterMemberName: forOfficer ? row.rosterMemberName : null,
    rejectReason: row.rejectReason,
    submittedAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
    memberId: row.memberId,
  };
}

async function loadRegistration(db: Db, id: number, today: IsoDate, forOfficer: boolean): Promise<Registration> {
  const [row] = await selectRegistrations(db).where(eq(registrations.id, id));
  if (!row) throw notFound('登记申请');
  return toRegistration(row, today, forOfficer);
}

const isOfficer = (p: Principal) => p.role === 'secretary' || p.role === 'staff';

export const submitRegistration = route(registrationsApi.submitRegistration, async (ctx) => {
  const p = ctx.user;
  const body = ctx.body;
  assertNoFieldIssues(memberFactIssues(body, ctx.today));
  const sealed = sealIdNumber(body.idNumber, piiKeys(ctx));
  return runWrite(ctx, 'registrations.submit', async (tx) => {
    const [account] = await tx
      .select({ role: accounts.role, memberId: accounts.memberId })
      .from(accounts)
      .where(eq(accounts.id, p.accountId));
    if (!account) throw new ApiError('unauthorized', '账号不存在，请重新登录');
    if (account.memberId != null) throw conflict('您的账号已关联党员档案，无需再次登记');

    const [branch] = await tx
      .select({ id: organizations.id, name: organizations.name, kind: organizations.kind })
      .from(organizations)
      .where(eq(organizations.id, body.organizationId));
    if (!branch || branch.kind !== 'branch') {
      throw new ApiError('validation_failed', '请选择所在的村（社区）党支部', {
        in: 'body',
        issues: [{ path: ['organizationId'], message: '请选择所在的村（社区）党支部' }],
      });
    }

    // An imported roster record with the same ID number: link to it instead of creating a second person.
    const [roster] = await tx
      .select({ id: members.id, organizationId: members.organizationId, organizationName: organizations.name, linkedAccountId: accounts.id })
      .from(members)
      .innerJoin(organizations, eq(organizations.id, members.organizationId))
      .leftJoin(accounts, eq(accounts.memberId, members.id))
      .where(eq(members.idHash, sealed.idHash));
    if (roster?.linkedAccountId != null) {
      throw conflict('该身份证号的党员已绑定其他微信账号。如果不是您本人操作，请联系所在支部书记');
    }
    // The branch that keeps the roster record verifies the person.
    const reviewingBranch = roster ? { id: roster.organizationId, name: roster.organizationName } : branch;

    let inserted: typeof registrations.$inferSelect | undefined;
    try {
      [inserted] = await tx
        .insert(registrations)
        .values({
          accountId: p.accountId,
          organizationId: reviewingBranch.id,
          name: body.name,
          gender: body.gender,
          ethnicity: body.ethnicity,
          birthDate: body.birthDate,
          ...sealed,
          phone: body.phone,
          category: body.category,
          joinedAt: body.joinedAt,
          confirmedAt: body.confirmedAt ?? null,
          rosterMemberId: roster?.id ?? null,
          createdAt: ctx.now,
        })
        .returning();
    } catch (err) {
      if (isUniqueViolation(err, 'registrations_pending_account_uq')) {
        throw conflict('您已提交过登记，正在等待支部审核，请勿重复提交');
      }
      if (isUniqueViolation(err, 'registrations_pending_id_hash_uq')) {
        throw conflict('该身份证号已有一份待审核的登记申请，请勿重复提交');
      }
      throw err;
    }
    if (!inserted) throw new ApiError('internal', '登记保存失败，请重试');
    const view = toRegistration(
      { ...inserted, organizationName: reviewingBranch.name, rosterMemberName: null, idMasked: sealed.idMasked },
      ctx.today,
      false,
    );
    return new JsonResponse(201, view);
  });
});

export const myRegistration = route(registrationsApi.myRegistration, async (ctx) => {
  const [row] = await selectRegistrations(ctx.db)
    .where(eq(registrations.accountId, ctx.user.accountId))
    .orderBy(desc(registrations.createdAt), desc(registrations.id))
    .limit(1);
  return { registration: row ? toRegistration(row, ctx.today, false) : null };
});

export const listRegistrations = route(registrationsApi.listRegistrations, async (ctx) => {
  const { status } = ctx.query;
  const rows = await selectRegistrations(ctx.db)
    .where(and(eq(registrations.status, status), organizationScope(ctx.user, registrations.organizationId)))
    // The oldest waiting applicant first; decided ones most recent first.
    .orderBy(status === 'pending' ? asc(registrations.createdAt) : desc(registrations.decidedAt), asc(registrations.id))
    .limit(200);
  return { items: rows.map((r) => toRegistration(r, ctx.today, true)) };
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
  return runWrite(ctx, `registrations.approve:${id}`, async (tx) => {
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
    return loadRegistration(tx, id, ctx.today, true);
  });
});

export const rejectRegistration = route(registrationsApi.rejectRegistration, async (ctx) => {
  const p = ctx.user;
  const { id } = ctx.params;
  const { reason } = ctx.body;
  return runWrite(ctx, `registrations.reject:${id}`, async (tx) => {
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
    return loadRegistration(tx, id, ctx.today, isOfficer(p));
  });
});
