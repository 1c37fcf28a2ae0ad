/** The steps of the state machine: review, approve (the letter and its number), reject, withdraw, 回执, 报到. */
import { and, eq, sql } from 'drizzle-orm';
import { shanghaiYear, type IsoDate } from '../../../shared/calendar.js';
import * as transfersApi from '../../../shared/transfers.js';
import { checkTransition, defaultValidityDays, formatLetterNumber, issuesLetter, letterExpiry, receiptDue, TRANSFER_ACTION_LABELS, TRANSFER_STATE_LABELS, type TransferAction, type TransferDetail, type TransferState } from '../../../shared/transfers.js';
import type { Db } from '../../../db/client.js';
import { members, transferEvents, transferLetterSequences, transfers } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route, type Ctx } from '../../_app/context.js';
import { ApiError, forbidden } from '../../_app/errors.js';
import { TransferRow, actorsOf, loadDetail, loadVisible } from './access.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { postTransferStep } from '../../_app/messages.js';
import { settingsFor } from '../../_app/settings.js';
import { sendProgressNotices, type TakenStep } from './progress-reminder.js';
import { activateIncomingMember, ApprovalRefused, approvalRace, assertIncomingApprovable, currentConflicts } from './incoming.js';

// ---------------------------------------------------------------------------
// Steps

export interface StepInput {
  action: TransferAction;
  version: number;
  comment: string | null;
}

export interface StepEffects {
  /** Extra columns set by the conditional update (letter, dates). */
  set?: Partial<typeof transfers.$inferInsert>;
  /** Runs in the transaction after the guarded update succeeded (roster changes on completion). */
  after?: (tx: Db, updated: TransferRow) => Promise<void>;
  auditDetails?: Record<string, unknown>;
}

const STALE = '该申请已被他人处理或已更新，请刷新后查看最新状态';

export async function runStep(
  ctx: Ctx,
  id: number,
  input: StepInput,
  effects: (tx: Db, t: TransferRow, to: TransferState) => Promise<StepEffects> | StepEffects,
): Promise<TransferDetail | JsonResponse<TransferDetail>> {
  const p = ctx.user;
  /** Set only when this request took the step (a replayed answer sends nothing). */
  let taken: TakenStep | undefined;
  // The checks run inside the idempotent write: a step resent with the same
  // Idempotency-Key (its answer was lost) replays that answer instead of
  // meeting its own new version as "stale".
  const answer = await withIdempotency(ctx, `transfers.${input.action}`, async (tx) => {
    const current = await loadVisible(tx, p, id);
    const check = checkTransition(current.kind, current.state, input.action, actorsOf(p, current));
    if (!check.ok && check.problem === 'forbidden') throw forbidden(forbiddenMessage(input.action));
    if (current.version !== input.version) throw new ApiError('stale_version', STALE, { currentVersion: current.version, state: current.state });
    if (!check.ok) {
      throw new ApiError(
        'invalid_transition',
        `当前状态为「${TRANSFER_STATE_LABELS[current.state]}」，不能${TRANSFER_ACTION_LABELS[input.action]}`,
        { state: current.state },
      );
    }
    const to = check.transition.to;
    const extra = await effects(tx, current, to);
    const [updated] = await tx
      .update(transfers)
      .set({
        ...extra.set,
        state: to,
        version: sql`${transfers.version} + 1`,
        updatedAt: ctx.now,
        ...(to === 'completed' ? { completedOn: ctx.today } : {}),
        ...(to === 'rejected' || to === 'withdrawn' ? { closingReason: input.comment } : {}),
      })
      .where(and(eq(transfers.id, id), eq(transfers.state, current.state), eq(transfers.version, input.version)))
      .returning();
    // Someone else moved it between our read and this update: roll back everything (a letter number included).
    if (!updated) throw new ApiError('stale_version', STALE);
    await extra.after?.(tx, updated);
    await tx.insert(transferEvents).values({
      transferId: id,
      at: ctx.now,
      actorAccountId: p.accountId,
      actorRole: p.role,
      action: input.action,
      fromState: current.state,
      toState: to,
      comment: input.comment,
      details: extra.auditDetails ?? null,
    });
    await postTransferStep(tx, p, { ...updated, transferId: id, action: input.action, to, comment: input.comment }, ctx.now);
    await writeAudit(
      tx,
      p,
      {
        action: `transfer.${input.action}`,
        targetType: 'transfer',
        targetId: id,
        details: { kind: current.kind, from: current.state, to, ...(input.comment ? { comment: input.comment } : {}), ...extra.auditDetails },
      },
      ctx.now,
    );
    taken = { transferId: id, action: input.action, to, comment: input.comment };
    return loadDetail(tx, p, updated, ctx.today, await currentConflicts(tx, p, updated));
  });
  // After the commit, outside the transaction: the subscribe message never holds up or fails the step.
  if (taken) await sendProgressNotices(ctx, taken);
  return answer;
}

function forbiddenMessage(action: TransferAction): string {
  switch (action) {
    case 'withdraw':
      return '只有申请人本人可以撤回申请';
    case 'review':
      return '只有相关支部的书记可以审核，且不能审核本人的申请';
    default:
      return '您无权办理这一步，且不能审批本人的申请';
  }
}

const noEffects = (): StepEffects => ({});

export const reviewTransfer = route(transfersApi.reviewTransfer, async (ctx) => {
  const { decision, comment, version } = ctx.body;
  return runStep(ctx, ctx.params.id, { action: decision === 'approve' ? 'review' : 'reject', version, comment: comment || null }, (_tx, t) => {
    // The branch step only: a secretary's "reject" here must be at a branch state, not the committee's.
    if (decision === 'reject' && !['pending_branch', 'pending_receiving_branch'].includes(t.state)) {
      throw new ApiError('invalid_transition', `当前状态为「${TRANSFER_STATE_LABELS[t.state]}」，不在支部审核阶段`);
    }
    return {};
  });
});

export const rejectTransfer = route(transfersApi.rejectTransfer, async (ctx) =>
  runStep(ctx, ctx.params.id, { action: 'reject', version: ctx.body.version, comment: ctx.body.reason }, noEffects),
);

export const withdrawTransfer = route(transfersApi.withdrawTransfer, async (ctx) =>
  runStep(ctx, ctx.params.id, { action: 'withdraw', version: ctx.body.version, comment: ctx.body.reason || null }, noEffects),
);

export const approveTransfer = route(transfersApi.approveTransfer, async (ctx) => {
  try {
    return await approve(ctx);
  } catch (err) {
    const refused = err instanceof ApprovalRefused ? err : approvalRace(err);
    if (!refused) throw err;
    // The transaction rolled back: the refused approval is recorded on its own.
    await writeAudit(
      ctx.db,
      ctx.user,
      { action: 'transfer.approve_refused', targetType: 'transfer', targetId: ctx.params.id, details: { reason: refused.reason, ...refused.auditDetails } },
      ctx.now,
    );
    throw refused;
  }
});

function approve(ctx: Ctx<typeof transfersApi.approveTransfer>) {
  const p = ctx.user;
  const { version, comment, validityDays } = ctx.body;
  return runStep(ctx, ctx.params.id, { action: 'approve', version, comment: comment || null }, async (tx, t, to) => {
    const base: StepEffects = { set: { approverAccountId: p.accountId } };
    // 转入: the ID number must not be on the roster nor in another open registration (staff see why).
    if (t.kind === 'in') await assertIncomingApprovable(tx, p, t);
    if (issuesLetter(t.kind)) {
      const settings = await settingsFor(tx, p);
      const days = validityDays ?? defaultValidityDays(t.scope, settings);
      const year = shanghaiYear(ctx.now);
      // Numbers run per issuing township and year: the township the transfer leaves (the approver's own, which
      // actorsOf required; a row filed before townships were recorded is the approver's township's).
      const townshipId = t.fromTownshipId ?? (p.organizationId as number);
      // The number is taken in this transaction: the row lock orders concurrent approvals, and a
      // rolled-back approval (stale version) gives its number back, so the year's numbers have no gaps.
      const [seq] = await tx
        .insert(transferLetterSequences)
        .values({ townshipId, year, lastNumber: 1 })
        .onConflictDoUpdate({ target: [transferLetterSequences.townshipId, transferLetterSequences.year], set: { lastNumber: sql`${transferLetterSequences.lastNumber} + 1` } })
        .returning({ n: transferLetterSequences.lastNumber });
      if (!seq) throw new Error('letter sequence returned nothing');
      const letterNumber = formatLetterNumber(year, seq.n);
      return {
        set: {
          ...base.set,
          fromTownshipId: townshipId,
          letterYear: year,
          letterSequence: seq.n,
          letterNumber,
          letterIssuedOn: ctx.today,
          validityDays: days,
          letterExpiresOn: letterExpiry(ctx.today, days),
          receiptDueOn: receiptDue(ctx.today, settings.receiptDueDays),
        },
        auditDetails: { letterNumber, validityDays: days },
      };
    }
    if (t.kind === 'internal' && to === 'completed') {
      return {
        ...base,
        after: (inner) => moveToReceivingBranch(inner, t, ctx.now),
      };
    }
    return base;
  });
}

/**
 * The member's roster row moves from the transfer's branch to the receiving one (镇内转接 completed, 跨镇 received):
 * one conditional UPDATE, so parallel steps move it once; a member who left that branch or the roster meanwhile
 * answers 409 and the step's transaction rolls back.
 */
export async function moveToReceivingBranch(tx: Db, t: TransferRow, now: Date): Promise<void> {
  const moved = await tx
    .update(members)
    .set({ organizationId: t.toOrganizationId as number, version: sql`${members.version} + 1`, updatedAt: now })
    .where(and(eq(members.id, t.memberId as number), eq(members.organizationId, t.fromOrganizationId as number), eq(members.status, 'active')))
    .returning({ id: members.id });
  if (moved.length === 0) throw new ApiError('conflict', '该党员的所在支部或在册状态已变化，请核对后重新办理');
}

/** The 回执's day: the one given (never after today), else the server's today. */
export function receivedOnOf(given: IsoDate | undefined, today: IsoDate): IsoDate {
  const receivedOn = given ?? today;
  if (receivedOn > today) throw new ApiError('validation_failed', '回执日期不能晚于今天', { in: 'body', issues: [{ path: ['receivedOn'], message: '回执日期不能晚于今天' }] });
  return receivedOn;
}

export function assertReceivedAfterLetter(t: TransferRow, receivedOn: IsoDate): void {
  if (t.letterIssuedOn && receivedOn < t.letterIssuedOn) {
    throw new ApiError('validation_failed', '回执日期不能早于介绍信开具日期', { in: 'body', issues: [{ path: ['receivedOn'], message: '回执日期不能早于介绍信开具日期' }] });
  }
}

export const recordReceipt = route(transfersApi.recordReceipt, async (ctx) => {
  const { comment, version } = ctx.body;
  const receivedOn = receivedOnOf(ctx.body.receivedOn, ctx.today);
  return runStep(ctx, ctx.params.id, { action: 'receipt', version, comment: comment || null }, (_tx, t) => {
    assertReceivedAfterLetter(t, receivedOn);
    return {
      set: { receiptReceivedOn: receivedOn },
      auditDetails: { receivedOn },
      // 转出 complete: the member is kept on record as transferred out, never deleted.
      after: async (tx) => {
        await tx
          .update(members)
          .set({ status: 'transferred_out', version: sql`${members.version} + 1`, updatedAt: ctx.now })
          .where(and(eq(members.id, t.memberId as number), eq(members.status, 'active')));
      },
    };
  });
});

export const recordReport = route(transfersApi.recordReport, async (ctx) => {
  const { reportedOn, comment, version } = ctx.body;
  const day = reportedOn ?? ctx.today;
  if (day > ctx.today) throw new ApiError('validation_failed', '报到日期不能晚于今天', { in: 'body', issues: [{ path: ['reportedOn'], message: '报到日期不能晚于今天' }] });
  return runStep(ctx, ctx.params.id, { action: 'report', version, comment: comment || null }, (_tx, t) => ({
    set: { reportedOn: day },
    after: async (tx, updated) => {
      const memberId = await activateIncomingMember(tx, t, ctx.now);
      if (updated.memberId !== memberId) {
        await tx.update(transfers).set({ memberId }).where(eq(transfers.id, t.id));
        updated.memberId = memberId;
      }
    },
  }));
});
