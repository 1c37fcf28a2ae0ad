/**
 * Self-registration: a WeChat user with no member record applies; the branch
 * secretary of the chosen branch (or committee staff) approves or rejects
 * (`registration-review.ts`). The applicant's answer is the same whatever the
 * ID number belongs to: a match on the roster, a record bound to another
 * WeChat account or another pending registration are shown to the reviewing
 * officer only, never to the applicant (no membership oracle).
 */
import { desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { addDays, type IsoDate } from '../../../shared/calendar.js';
import { isProbationOverdue, memberFactIssues } from '../../../shared/members.js';
import { disclosedIdentity } from '../../../shared/idcard.js';
import { maskPhone } from '../../../shared/phone.js';
import * as registrationsApi from '../../../shared/registrations.js';
import { REGISTRATIONS_PER_DAY, type ApplicantRegistration, type Registration, type RegistrationConflict } from '../../../shared/registrations.js';
import type { Db } from '../../../db/client.js';
import { sealIdNumber } from '../../../db/pii.js';
import { accounts, members, organizations, registrations } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { consentRequired, standingIdConsent } from '../../_app/consent.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, conflict, forbidden, isUniqueViolation, notFound } from '../../_app/errors.js';
import { assertNoFieldIssues } from '../../_app/field-issues.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { piiKeys } from '../../_app/pii.js';

const rosterMember = alias(members, 'roster_member');
const requestedOrganization = alias(organizations, 'requested_organization');

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
  requestedOrganizationId: sql<number>`coalesce(${registrations.requestedOrganizationId}, ${registrations.organizationId})`.mapWith(Number),
  requestedOrganizationName: sql<string>`coalesce(${requestedOrganization.name}, ${organizations.name})`,
  category: registrations.category,
  joinedAt: registrations.joinedAt,
  confirmedAt: registrations.confirmedAt,
  rosterMemberId: registrations.rosterMemberId,
  rosterMemberName: rosterMember.name,
  rejectReason: registrations.rejectReason,
  createdAt: registrations.createdAt,
  decidedAt: registrations.decidedAt,
  memberId: registrations.memberId,
  // What the reviewer should check, as of now (not as of submission). Applicants never see these.
  // The outer columns are written out in full: drizzle renders a column unqualified inside raw SQL.
  accountBound: sql<boolean>`exists (select 1 from members m join accounts a on a.member_id = m.id
    where m.id_hash = "registrations"."id_hash" and a.id <> "registrations"."account_id")`,
  duplicatePending: sql<boolean>`exists (select 1 from registrations r2
    where r2.id_hash = "registrations"."id_hash" and r2.status = 'pending' and r2.id <> "registrations"."id")`,
};

export function selectRegistrations(db: Db) {
  return db
    .select(registrationColumns)
    .from(registrations)
    .innerJoin(organizations, eq(organizations.id, registrations.organizationId))
    .leftJoin(requestedOrganization, eq(requestedOrganization.id, registrations.requestedOrganizationId))
    .leftJoin(rosterMember, eq(rosterMember.id, registrations.rosterMemberId));
}

type RegistrationRow = Awaited<ReturnType<typeof selectRegistrations>>[number];
type ApplicantFields = Omit<RegistrationRow, 'organizationName' | 'rosterMemberId' | 'rosterMemberName' | 'accountBound' | 'duplicatePending'>;

/** The applicant's own view: only what they typed and the branch they chose. */
function toApplicantRegistration(row: ApplicantFields): ApplicantRegistration {
  return {
    id: row.id,
    status: row.status,
    name: row.name,
    gender: row.gender,
    ethnicity: row.ethnicity,
    birthDate: row.birthDate,
    idNumberMasked: disclosedIdentity(row).idNumberMasked,
    phoneMasked: maskPhone(row.phone),
    organizationId: row.requestedOrganizationId,
    organizationName: row.requestedOrganizationName,
    category: row.category,
    joinedAt: row.joinedAt,
    confirmedAt: row.confirmedAt,
    rejectReason: row.rejectReason,
    submittedAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
    memberId: row.memberId,
  };
}

/** The reviewing officer's view: the roster match and the conflicts to check. */
export function toRegistration(row: RegistrationRow, today: IsoDate): Registration {
  const conflicts: RegistrationConflict[] = [];
  if (row.status === 'pending' && row.accountBound) conflicts.push('account_bound');
  if (row.status === 'pending' && row.duplicatePending) conflicts.push('duplicate_pending');
  const { birthDate, ...applicant } = toApplicantRegistration(row);
  return {
    ...applicant,
    ...disclosedIdentity({ idMasked: row.idMasked, birthDate }),
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    requestedOrganizationId: row.requestedOrganizationId,
    requestedOrganizationName: row.requestedOrganizationName,
    probationOverdue: row.status === 'pending' && isProbationOverdue(row.category, row.joinedAt, today),
    matchesRosterMember: row.rosterMemberId != null,
    rosterMemberName: row.rosterMemberName,
    conflicts,
  };
}

export async function loadRegistration(db: Db, id: number, today: IsoDate): Promise<Registration> {
  const [row] = await selectRegistrations(db).where(eq(registrations.id, id));
  if (!row) throw notFound('登记申请');
  return toRegistration(row, today);
}

/** A submission refused for a reason of the account's own (never of the ID number's owner): audited. */
class Refusal extends Error {
  constructor(
    readonly reason: 'already_member' | 'pending' | 'consent_required' | 'daily_limit',
    readonly answer: ApiError,
  ) {
    super(answer.message);
  }
}

const refusePending = () => new Refusal('pending', conflict('您已提交过登记，正在等待支部审核，请勿重复提交'));

export const submitRegistration = route(registrationsApi.submitRegistration, async (ctx) => {
  const p = ctx.user;
  const body = ctx.body;
  // A county account oversees the townships; it is no applicant to a branch of theirs.
  if (p.role === 'county') throw forbidden('县委组织部账号无需登记为党员');
  assertNoFieldIssues(memberFactIssues(body, ctx.today));
  const sealed = sealIdNumber(body.idNumber, piiKeys(ctx));
  try {
    return await withIdempotency(ctx, 'registrations.submit', async (tx) => {
      const [account] = await tx
        .select({
          memberId: accounts.memberId,
          pending: sql<number>`(select count(*) from registrations r where r.account_id = ${p.accountId}::int and r.status = 'pending')`.mapWith(Number),
          today: sql<number>`(select count(*) from registrations r where r.account_id = ${p.accountId}::int
            and r.created_at >= ${`${ctx.today}T00:00:00+08:00`}::timestamptz)`.mapWith(Number),
          // PIPL arts. 14 and 29: the guide and the separate ID-number consent, at the current version.
          consented: standingIdConsent(p.accountId),
        })
        .from(accounts)
        .where(eq(accounts.id, p.accountId));
      if (!account) throw new ApiError('unauthorized', '账号不存在，请重新登录');
      if (account.memberId != null) throw new Refusal('already_member', conflict('您的账号已关联党员档案，无需再次登记'));
      if (account.pending > 0) throw refusePending();
      if (!account.consented) throw new Refusal('consent_required', consentRequired());
      if (account.today >= REGISTRATIONS_PER_DAY) {
        const tomorrow = new Date(`${addDays(ctx.today, 1)}T00:00:00+08:00`);
        const retryAfter = String(Math.max(1, Math.ceil((tomorrow.getTime() - ctx.now.getTime()) / 1000)));
        throw new Refusal(
          'daily_limit',
          new ApiError('rate_limited', `每个账号每天最多提交${REGISTRATIONS_PER_DAY}次登记，请明天再试`, undefined, { 'Retry-After': retryAfter }),
        );
      }

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
      // An imported roster record with the same ID number: its branch verifies the person, and
      // approval links to it instead of creating a second one. The applicant is not told.
      const [roster] = await tx
        .select({ id: members.id, organizationId: members.organizationId })
        .from(members)
        .where(eq(members.idHash, sealed.idHash));

      let inserted: typeof registrations.$inferSelect | undefined;
      try {
        [inserted] = await tx
          .insert(registrations)
          .values({
            accountId: p.accountId,
            organizationId: roster?.organizationId ?? branch.id,
            requestedOrganizationId: branch.id,
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
        if (isUniqueViolation(err, 'registrations_pending_account_uq')) throw refusePending();
        throw err;
      }
      if (!inserted) throw new ApiError('internal', '登记保存失败，请重试');
      const view = toApplicantRegistration({ ...inserted, requestedOrganizationId: branch.id, requestedOrganizationName: branch.name });
      return new JsonResponse(201, view);
    });
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    // The transaction rolled back: the refusal is recorded on its own.
    await writeAudit(
      ctx.db,
      p,
      { action: 'registration.refused', targetType: 'account', targetId: p.accountId, details: { reason: err.reason, organizationId: body.organizationId } },
      ctx.now,
    );
    throw err.answer;
  }
});

export const myRegistration = route(registrationsApi.myRegistration, async (ctx) => {
  const [row] = await selectRegistrations(ctx.db)
    .where(eq(registrations.accountId, ctx.user.accountId))
    .orderBy(desc(registrations.createdAt), desc(registrations.id))
    .limit(1);
  return { registration: row ? toApplicantRegistration(row) : null };
});
