/**
 * Recording a step: the date engine (shared/development/rules.ts) decides the
 * window, the roster decides the 支部大会's quorum and majority, and the
 * township's approvals write the roster through the member-facts rule every
 * path uses (admission, 延长预备期, 转正, and 取消预备党员资格, which takes the
 * person off the active roster while the row and this record stay). The record row is locked and its version checked, so two clerks
 * cannot both record the same step; the unique (record, step, seq) index is the backstop.
 */
import { and, count, eq, inArray, lte, sql } from 'drizzle-orm';
import { MEMBER_STATUS_LABELS, memberCategories, PROBATION_CANCELLED } from '../../../shared/common.js';
import {
  REPEATABLE_STEPS,
  STEP_LABELS,
  TOWNSHIP_STEPS,
  checkStep,
  confirmationDateOf,
  joinedAtOf,
  meetingOutcome,
  noticeEndsOn,
  stageOf,
  type DevelopmentHistory,
} from '../../../shared/development.js';
import * as api from '../../../shared/development.js';
import { memberFactIssues } from '../../../shared/members.js';
import type { Db } from '../../../db/client.js';
import { openIdNumber } from '../../../db/pii.js';
import { accounts, developmentRecords, developmentStepRows, members } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { route, type Ctx } from '../../_app/context.js';
import { ApiError, conflict, forbidden, isUniqueViolation, notFound } from '../../_app/errors.js';
import { assertNoFieldIssues } from '../../_app/field-issues.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { piiKeys } from '../../_app/pii.js';
import { organizationScope } from '../../_app/scope.js';
import { historyOf, loadOne, loadRecords, loadWorkCalendar, type RecordRow } from './view.js';

const [FULL_MEMBER, PROBATIONARY_MEMBER] = [memberCategories[0], memberCategories[1]];

/** 正式党员 of the branch on `day`: those with a vote at its 支部大会. */
export async function votingMembersOn(db: Db, organizationId: number, day: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(members)
    .where(and(eq(members.organizationId, organizationId), eq(members.status, 'active'), eq(members.category, FULL_MEMBER), lte(members.confirmedAt, day)));
  return row?.n ?? 0;
}

type StepCtx = Ctx<typeof api.recordStep>;
type Details = Record<string, unknown>;

async function contactsDetails(tx: Db, record: RecordRow, ids: readonly number[] | undefined, day: string): Promise<Details> {
  if (!ids || ids.length !== 2 || ids[0] === ids[1]) throw new ApiError('unprocessable', '请选择两名不同的正式党员作为培养联系人');
  const rows = await tx
    .select({ id: members.id, name: members.name })
    .from(members)
    .where(
      and(
        inArray(members.id, [...ids]),
        eq(members.organizationId, record.organizationId),
        eq(members.status, 'active'),
        eq(members.category, FULL_MEMBER),
        lte(members.confirmedAt, day),
      ),
    );
  if (rows.length !== 2) throw new ApiError('unprocessable', '培养联系人须是本支部的正式党员');
  return { contacts: ids.map((id) => ({ memberId: id, name: rows.find((r) => r.id === id)?.name ?? '' })) };
}

/** The township's approval: the person becomes a 预备党员 on the roster, 入党日期 = the 支部大会's day. */
async function admit(ctx: StepCtx, tx: Db, record: RecordRow, h: DevelopmentHistory): Promise<Details> {
  const joinedAt = joinedAtOf(h);
  if (!joinedAt) throw new ApiError('internal', '审批失败，请重试');
  const idNumber = openIdNumber(record.idCipher, piiKeys(ctx));
  assertNoFieldIssues(memberFactIssues({ gender: record.gender, birthDate: record.birthDate, idNumber, category: PROBATIONARY_MEMBER, joinedAt, confirmedAt: null }, ctx.today));
  const [created] = await tx
    .insert(members)
    .values({
      name: record.name,
      gender: record.gender,
      birthDate: record.birthDate,
      idCipher: record.idCipher,
      idHash: record.idHash,
      idMasked: record.idMasked,
      phone: record.phone ?? '',
      organizationId: record.organizationId,
      category: PROBATIONARY_MEMBER,
      joinedAt,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .onConflictDoNothing({ target: members.idHash })
    .returning({ id: members.id });
  if (!created) throw conflict('花名册中已有该身份证号的党员，请核实后再审批');
  await tx.update(developmentRecords).set({ memberId: created.id }).where(eq(developmentRecords.id, record.id));
  if (record.applicantAccountId != null) {
    // The applicant's own account becomes a member's (an officer keeps their role), as a registration's approval does.
    await tx
      .update(accounts)
      .set({
        memberId: created.id,
        role: sql`case when ${accounts.role} in ('secretary', 'staff') then ${accounts.role} else 'member' end`,
        authVersion: sql`${accounts.authVersion} + 1`,
      })
      .where(and(eq(accounts.id, record.applicantAccountId), sql`${accounts.memberId} is null`));
  }
  return {};
}

/** 转正 or 延长预备期 on the roster row, through memberFactIssues like every other write of these facts. */
async function updateRosterProbation(ctx: StepCtx, tx: Db, record: RecordRow, change: { confirmedAt?: string; months?: number; extendedOn?: string }): Promise<void> {
  if (record.memberId == null) throw new ApiError('internal', '花名册中没有该预备党员');
  const [m] = await tx.select().from(members).where(eq(members.id, record.memberId)).for('update');
  if (!m) throw new ApiError('internal', '花名册中没有该预备党员');
  const next = {
    category: change.confirmedAt ? FULL_MEMBER : m.category,
    confirmedAt: change.confirmedAt ?? m.confirmedAt,
    probationExtensionMonths: change.months ?? m.probationExtensionMonths,
    probationExtendedOn: change.extendedOn ?? m.probationExtendedOn,
  };
  assertNoFieldIssues(memberFactIssues({ ...m, ...next, idNumber: openIdNumber(m.idCipher, piiKeys(ctx)) }, ctx.today));
  await tx
    .update(members)
    .set({ ...next, version: sql`${members.version} + 1`, updatedAt: ctx.now })
    .where(eq(members.id, m.id));
}

/**
 * 取消预备党员资格: the roster row leaves the active roster (every list, count and the account's
 * member powers follow status = 'active'; the status trigger ends the person's sessions).
 * The row is kept, audited as a member change like a staff edit.
 */
async function cancelOnRoster(ctx: StepCtx, tx: Db, record: RecordRow): Promise<Details> {
  if (record.memberId == null) throw new ApiError('internal', '花名册中没有该预备党员');
  const [m] = await tx.select().from(members).where(eq(members.id, record.memberId)).for('update');
  if (!m) throw new ApiError('internal', '花名册中没有该预备党员');
  // Transferred out (or otherwise off the roster): the organization that now holds the person decides.
  if (m.status !== 'active') throw conflict(`该党员在花名册中为“${MEMBER_STATUS_LABELS[m.status]}”，不能在本支部取消预备党员资格`);
  assertNoFieldIssues(memberFactIssues({ ...m, status: PROBATION_CANCELLED, idNumber: openIdNumber(m.idCipher, piiKeys(ctx)) }, ctx.today));
  await tx
    .update(members)
    .set({ status: PROBATION_CANCELLED, version: sql`${members.version} + 1`, updatedAt: ctx.now })
    .where(eq(members.id, m.id));
  const changes = { status: { from: m.status, to: PROBATION_CANCELLED } };
  await writeAudit(tx, ctx.user, { action: 'member.update', targetType: 'member', targetId: m.id, details: { changes, developmentRecordId: record.id } }, ctx.now);
  return { rosterStatus: PROBATION_CANCELLED };
}

export const recordStep = route(api.recordStep, async (ctx) => {
  const p: Principal = ctx.user;
  const { id } = ctx.params;
  const b = ctx.body;
  return withIdempotency(ctx, `development.step:${id}`, async (tx) => {
    const [locked] = await tx
      .select({ id: developmentRecords.id })
      .from(developmentRecords)
      .where(and(eq(developmentRecords.id, id), organizationScope(p, developmentRecords.organizationId)))
      .for('update');
    if (!locked) throw notFound('发展记录');
    const township = TOWNSHIP_STEPS.includes(b.step);
    if (township && p.role !== 'staff') throw forbidden(`“${STEP_LABELS[b.step]}”由镇党委审批`);
    if (!township && p.role !== 'secretary') throw forbidden(`“${STEP_LABELS[b.step]}”由本支部书记登记`);
    const { records, steps } = await loadRecords(tx, eq(developmentRecords.id, id));
    const record = records[0]!;
    const rows = steps.get(id) ?? [];
    if (record.version !== b.version) throw new ApiError('stale_version', '记录已被他人更新，请刷新后重试');
    const cal = await loadWorkCalendar(tx);
    const h = historyOf(record, rows);
    const check = checkStep(h, b.step, { date: b.date, months: b.months, trainingDays: b.trainingDays, trainingHours: b.trainingHours }, cal, ctx.today);
    if (!check.ok) throw new ApiError('unprocessable', check.message);

    let details: Details = {};
    const after: DevelopmentHistory = { ...h, steps: [...h.steps, { step: b.step, date: b.date, months: b.months ?? null }] };
    switch (b.step) {
      case 'activist':
        details = await contactsDetails(tx, record, b.contactMemberIds, b.date);
        break;
      case 'training':
        details = { trainingDays: b.trainingDays ?? 0, trainingHours: b.trainingHours ?? 0 };
        break;
      case 'notice':
        details = { noticeEndsOn: noticeEndsOn(b.date, cal) };
        break;
      case 'branch_meeting': {
        const entitled = await votingMembersOn(tx, record.organizationId, b.date);
        const vote = { entitled, present: b.present ?? 0, inFavour: b.inFavour ?? 0 };
        const outcome = meetingOutcome(vote);
        if (!outcome.ok) throw new ApiError('unprocessable', outcome.message);
        details = vote;
        break;
      }
      case 'approval':
        details = await admit(ctx, tx, record, after);
        break;
      case 'extension':
        details = { months: b.months };
        await updateRosterProbation(ctx, tx, record, { months: b.months, extendedOn: b.date });
        break;
      case 'confirmation': {
        const confirmedAt = confirmationDateOf(after)!;
        details = { confirmedAt };
        await updateRosterProbation(ctx, tx, record, { confirmedAt });
        break;
      }
      case 'cancellation':
        details = await cancelOnRoster(ctx, tx, record);
        break;
      default:
        break;
    }
    const seq = REPEATABLE_STEPS.includes(b.step) ? rows.filter((s) => s.step === b.step).length + 1 : 0;
    try {
      await tx.insert(developmentStepRows).values({
        recordId: id,
        step: b.step,
        seq,
        date: b.date,
        evidence: b.evidence,
        details,
        late: check.late,
        recordedByAccountId: p.accountId,
        createdAt: ctx.now,
      });
    } catch (err) {
      if (isUniqueViolation(err, 'development_steps_record_step_uq')) throw conflict(`“${STEP_LABELS[b.step]}”已登记，请刷新`);
      throw err;
    }
    await tx
      .update(developmentRecords)
      .set({
        stage: stageOf(after),
        version: sql`${developmentRecords.version} + 1`,
        updatedAt: ctx.now,
        ...(b.step === 'activist' && b.contactMemberIds ? { contact1MemberId: b.contactMemberIds[0], contact2MemberId: b.contactMemberIds[1] } : {}),
      })
      .where(eq(developmentRecords.id, id));
    await writeAudit(tx, p, { action: `development.${b.step}`, targetType: 'development_record', targetId: id, details: { date: b.date, late: check.late, ...details } }, ctx.now);
    const detail = await loadOne(tx, id, sql`true`, ctx.today, cal);
    if (!detail) throw new ApiError('internal', '登记失败，请重试');
    return detail;
  });
});
