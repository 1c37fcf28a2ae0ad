/**
 * 组织关系转接: filing, the two-level approval, letters with gapless per-year
 * numbers, 回执, 报到, the timeline and the ledger.
 *
 * Every step is one conditional UPDATE on (id, state, version) plus an appended
 * timeline row and an audit row, in one transaction: a stale screen or a second
 * approver gets 409 and nothing changes. The state machine itself lives in
 * shared/transfers.ts and is only enforced here.
 */
import { disclosedIdentity } from '../../shared/idcard.js';
import { and, asc, desc, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import { shanghaiYear, type IsoDate } from '../../shared/calendar.js';
import { ROLE_LABELS } from '../../shared/common.js';
import * as transfersApi from '../../shared/transfers.js';
import {
  allowedActions,
  capitalNumeral,
  checkTransition,
  defaultValidityDays,
  FINAL_STATES,
  formatLetterNumber,
  LEDGER_COLUMNS,
  letterExpiry,
  overdueOf,
  receiptDue,
  TRANSFER_ACTION_LABELS,
  TRANSFER_KIND_LABELS,
  TRANSFER_STATE_LABELS,
  TRANSITIONS,
  type TransferAction,
  type TransferActor,
  type TransferDetail,
  type TransferState,
  type TransferSummary,
} from '../../shared/transfers.js';
import type { Db } from '../../db/client.js';
import { sealIdNumber, type PiiKeys } from '../../db/pii.js';
import { accounts, members, organizations, transferEvents, transferLetterSequences, transfers } from '../../db/schema/index.js';
import type { Principal } from '../_app/auth.js';
import { writeAudit, writeAuditedRead } from '../_app/audit.js';
import { FileResponse, JsonResponse, route, type Ctx } from '../_app/context.js';
import { ApiError, forbidden, isUniqueViolation, notFound } from '../_app/errors.js';
import { withIdempotency } from '../_app/idempotency.js';
import { organizationScope, subtreeOf } from '../_app/scope.js';

type TransferRow = typeof transfers.$inferSelect;

const OPEN_MEMBER_INDEX = 'transfers_one_open_per_member_uq';
const OPEN_ID_INDEX = 'transfers_one_open_per_id_hash_uq';
const finalStates = [...FINAL_STATES] as TransferState[];

// ---------------------------------------------------------------------------
// Who sees what, and who may act

/** Rows the caller may see: their own (as the member moved or the filer), their branch's (secretary), the township's (staff). */
function visibleTo(p: Principal): SQL {
  const own: SQL[] = [eq(transfers.applicantAccountId, p.accountId)];
  if (p.memberId != null) own.push(eq(transfers.memberId, p.memberId));
  if (p.role === 'secretary' || p.role === 'staff') {
    own.push(organizationScope(p, transfers.fromOrganizationId), organizationScope(p, transfers.toOrganizationId));
  }
  return or(...own) as SQL;
}

/** How the caller stands to this transfer. Nobody acts as an officer on their own transfer. */
function actorsOf(p: Principal, t: Pick<TransferRow, 'applicantAccountId' | 'memberId' | 'fromOrganizationId' | 'toOrganizationId'>): Set<TransferActor> {
  const actors = new Set<TransferActor>();
  if (t.applicantAccountId === p.accountId) actors.add('applicant');
  const isSubject = p.memberId != null && t.memberId === p.memberId;
  if (isSubject) actors.add('subject');
  if (isSubject) return actors;
  if (p.role === 'secretary' && p.organizationId != null) {
    if (t.fromOrganizationId === p.organizationId) actors.add('from_secretary');
    if (t.toOrganizationId === p.organizationId) actors.add('to_secretary');
  }
  // Staff only ever load rows inside their township (visibleTo), so the relation is enough here.
  if (p.role === 'staff') actors.add('staff');
  return actors;
}

/**
 * "Waiting for me", built from the state machine's own table so the inbox and
 * the buttons can never disagree.
 */
function awaitingCaller(p: Principal): SQL {
  const parts: SQL[] = [];
  for (const t of TRANSITIONS) {
    if (t.action === 'reject' || t.action === 'withdraw') continue;
    const here = sql`(${transfers.kind} = ${t.kind} and ${transfers.state} = ${t.from})`;
    if (p.role === 'staff' && t.actors.includes('staff')) parts.push(here);
    if (p.role === 'secretary' && p.organizationId != null) {
      if (t.actors.includes('from_secretary')) parts.push(sql`(${here} and ${transfers.fromOrganizationId} = ${p.organizationId})`);
      if (t.actors.includes('to_secretary')) parts.push(sql`(${here} and ${transfers.toOrganizationId} = ${p.organizationId})`);
    }
  }
  if (parts.length === 0) return sql`false`;
  const notOwn = p.memberId != null ? sql` and ${transfers.memberId} is distinct from ${p.memberId}` : sql``;
  return sql`((${sql.join(parts, sql` or `)})${notOwn})`;
}

/** Letters past expiry, or 回执 more than a month late. Same rule as shared `overdueOf`. */
function overdueSql(today: IsoDate): SQL {
  return sql`(${transfers.state} = 'letter_issued' and ${transfers.receiptReceivedOn} is null and (${transfers.letterExpiresOn} < ${today} or ${transfers.receiptDueOn} < ${today}))`;
}

// ---------------------------------------------------------------------------
// Views

function toSummary(t: TransferRow, today: IsoDate): TransferSummary {
  return {
    id: t.id,
    kind: t.kind,
    state: t.state,
    version: t.version,
    memberId: t.memberId,
    memberName: t.memberName,
    gender: t.gender,
    ethnicity: t.ethnicity,
    category: t.category,
    idNumberMasked: disclosedIdentity(t).idNumberMasked,
    fromOrganizationId: t.fromOrganizationId,
    fromOrganizationName: t.fromOrganizationName,
    toOrganizationId: t.toOrganizationId,
    toOrganizationName: t.toOrganizationName,
    scope: t.scope,
    reason: t.reason,
    appliedOn: t.appliedOn,
    letterNumber: t.letterNumber,
    letterIssuedOn: t.letterIssuedOn,
    validityDays: t.validityDays,
    letterExpiresOn: t.letterExpiresOn,
    receiptDueOn: t.receiptDueOn,
    receiptReceivedOn: t.receiptReceivedOn,
    completedOn: t.completedOn,
    overdue: overdueOf(t, today),
  };
}

async function loadDetail(db: Db, p: Principal, t: TransferRow, today: IsoDate): Promise<TransferDetail> {
  const events = await db
    .select({
      id: transferEvents.id,
      at: transferEvents.at,
      actorName: sql<string | null>`${accounts.displayName}`,
      actorRole: transferEvents.actorRole,
      action: transferEvents.action,
      fromState: transferEvents.fromState,
      toState: transferEvents.toState,
      comment: transferEvents.comment,
    })
    .from(transferEvents)
    .leftJoin(accounts, eq(accounts.id, transferEvents.actorAccountId))
    .where(eq(transferEvents.transferId, t.id))
    .orderBy(asc(transferEvents.at), asc(transferEvents.id));
  return {
    ...toSummary(t, today),
    letterAddressee: t.letterAddressee,
    incomingLetterNumber: t.incomingLetterNumber,
    reasonNote: t.reasonNote,
    duesPaidThrough: t.duesPaidThrough,
    // The member themselves and the officers handling it need to reach them; nobody else sees the row.
    contactPhone: t.contactPhone,
    reportedOn: t.reportedOn,
    closingReason: t.closingReason,
    events: events.map((e) => ({
      id: e.id,
      at: new Date(e.at).toISOString(),
      actorName: e.actorName ?? '系统',
      actorRole: ROLE_LABELS[e.actorRole as keyof typeof ROLE_LABELS] ?? e.actorRole,
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      comment: e.comment,
    })),
    actions: allowedActions(t.kind, t.state, actorsOf(p, t)),
  };
}

async function loadVisible(db: Db, p: Principal, id: number): Promise<TransferRow> {
  const [row] = await db.select().from(transfers).where(and(eq(transfers.id, id), visibleTo(p)));
  if (!row) throw notFound('转接申请');
  return row;
}

// ---------------------------------------------------------------------------
// Filing

const piiKeys = (ctx: Ctx): PiiKeys => ({ encryptionKey: ctx.deps.config.idEncryptionKey, hashKey: ctx.deps.config.idHashKey });

/** The write runs once per Idempotency-Key when the client sends one (retries replay the answer). */
function once<T>(ctx: Ctx, routeName: string, write: (tx: Db) => Promise<T>): Promise<T | JsonResponse<T>> {
  if (ctx.idempotencyKey) return withIdempotency<T>(ctx, routeName, write);
  return ctx.db.transaction((tx) => write(tx as unknown as Db));
}

const OPEN_EXISTS = '该党员已有一项未办结的组织关系转接，请先办结或撤回后再申请';

/** A branch of the caller's township (for internal and incoming transfers). */
async function loadTownshipBranch(db: Db, organizationId: number, committeeOf: number | null) {
  const [org] = await db
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, path: organizations.path })
    .from(organizations)
    .where(
      and(
        eq(organizations.id, organizationId),
        eq(organizations.kind, 'branch'),
        committeeOf != null ? sql`${organizations.id} in ${subtreeOf(committeeOf)}` : undefined,
      ),
    );
  if (!org) throw new ApiError('validation_failed', '所选支部不存在', { in: 'body', issues: [{ path: ['toOrganizationId'], message: '所选支部不存在' }] });
  return org;
}

/** The committee above an organization (its path starts with the committee's). */
function committeeIdOf(path: string): number | null {
  const first = path.split('/').filter(Boolean)[0];
  return first ? Number(first) : null;
}

export const createTransfer = route(transfersApi.createTransfer, async (ctx) => {
  const p = ctx.user;
  const body = ctx.body;
  if (!(transfersApi.APPLY_ROLES[body.kind] as readonly string[]).includes(p.role)) {
    throw forbidden('转入由党委工作人员或接收支部书记登记');
  }
  const result = await once(ctx, 'transfers.create', async (tx) => {
    let values: typeof transfers.$inferInsert;
    const common = {
      state: transfersApi.INITIAL_STATE[body.kind],
      reason: body.reason,
      reasonNote: body.reasonNote || null,
      duesPaidThrough: body.duesPaidThrough,
      contactPhone: body.contactPhone,
      applicantAccountId: p.accountId,
      appliedOn: ctx.today,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    if (body.kind === 'in') {
      if (p.role === 'secretary' && p.organizationId !== body.toOrganizationId) throw forbidden('支部书记只能登记转入本支部的党员');
      const branch = await loadTownshipBranch(tx, body.toOrganizationId, p.role === 'staff' ? p.organizationId : null);
      const sealed = sealIdNumber(body.idNumber, piiKeys(ctx));
      const [existing] = await tx
        .select({ id: members.id, status: members.status })
        .from(members)
        .where(eq(members.idHash, sealed.idHash));
      if (existing?.status === 'active') throw new ApiError('conflict', '该身份证号的党员已在本镇在册，无需登记转入');
      values = {
        ...common,
        kind: 'in',
        memberId: existing?.id ?? null,
        memberName: body.name,
        gender: body.gender,
        ethnicity: body.ethnicity,
        category: body.category,
        idMasked: sealed.idMasked,
        idCipher: sealed.idCipher,
        idHash: sealed.idHash,
        incomingPerson: {
          birthDate: birthDateOf(body.idNumber),
          joinedAt: body.joinedAt,
          confirmedAt: body.confirmedAt ?? null,
          education: body.education ?? null,
        },
        fromOrganizationId: null,
        fromOrganizationName: body.fromOrganizationName,
        toOrganizationId: branch.id,
        toOrganizationName: branch.name,
        incomingLetterNumber: body.incomingLetterNumber,
        scope: body.scope,
      };
    } else {
      const memberId = body.memberId ?? p.memberId;
      if (memberId == null) throw forbidden('您的账号尚未关联党员信息，不能提交转接申请');
      const [member] = await tx
        .select({
          id: members.id,
          name: members.name,
          gender: members.gender,
          ethnicity: members.ethnicity,
          category: members.category,
          idMasked: members.idMasked,
          status: members.status,
          organizationId: members.organizationId,
          organizationName: organizations.name,
          organizationPath: organizations.path,
        })
        .from(members)
        .innerJoin(organizations, eq(organizations.id, members.organizationId))
        .where(eq(members.id, memberId));
      if (memberId !== p.memberId) {
        // Filing for someone else: a secretary for their own branch, staff for their township. A member never.
        const allowed =
          member &&
          ((p.role === 'secretary' && member.organizationId === p.organizationId) ||
            (p.role === 'staff' && p.organizationId != null && committeeIdOf(member.organizationPath) === p.organizationId));
        if (p.role === 'member') throw forbidden('党员只能为本人申请组织关系转接');
        if (!allowed) throw notFound('党员');
      }
      if (!member) throw notFound('党员');
      if (member.status !== 'active') throw new ApiError('conflict', '该党员当前不在册，不能申请转接');
      const snapshot = {
        memberId: member.id,
        memberName: member.name,
        gender: member.gender,
        ethnicity: member.ethnicity,
        category: member.category,
        idMasked: member.idMasked,
        fromOrganizationId: member.organizationId,
        fromOrganizationName: member.organizationName,
      };
      if (body.kind === 'out') {
        values = {
          ...common,
          ...snapshot,
          kind: 'out',
          toOrganizationId: null,
          toOrganizationName: body.toOrganizationName,
          letterAddressee: body.letterAddressee,
          scope: body.scope,
        };
      } else {
        const target = await loadTownshipBranch(tx, body.toOrganizationId, committeeIdOf(member.organizationPath));
        if (target.id === member.organizationId) {
          throw new ApiError('validation_failed', '转入支部不能与现在所在支部相同', {
            in: 'body',
            issues: [{ path: ['toOrganizationId'], message: '转入支部不能与现在所在支部相同' }],
          });
        }
        values = { ...common, ...snapshot, kind: 'internal', toOrganizationId: target.id, toOrganizationName: target.name, scope: '县内' };
      }
    }

    let created: TransferRow | undefined;
    try {
      [created] = await tx.insert(transfers).values(values).returning();
    } catch (err) {
      if (isUniqueViolation(err, OPEN_MEMBER_INDEX) || isUniqueViolation(err, OPEN_ID_INDEX)) throw new ApiError('conflict', OPEN_EXISTS);
      throw err;
    }
    if (!created) throw new Error('transfer insert returned nothing');
    await tx.insert(transferEvents).values({
      transferId: created.id,
      at: ctx.now,
      actorAccountId: p.accountId,
      actorRole: p.role,
      action: 'apply',
      fromState: null,
      toState: created.state,
      comment: body.reasonNote || null,
    });
    await writeAudit(tx, p, { action: 'transfer.apply', targetType: 'transfer', targetId: created.id, details: { kind: created.kind } }, ctx.now);
    return loadDetail(tx, p, created, ctx.today);
  });
  return new JsonResponse(201, result instanceof JsonResponse ? result.body : result);
});

function birthDateOf(idNumber: string): IsoDate {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

// ---------------------------------------------------------------------------
// Steps

interface StepInput {
  action: TransferAction;
  version: number;
  comment: string | null;
}

interface StepEffects {
  /** Extra columns set by the conditional update (letter, dates). */
  set?: Partial<typeof transfers.$inferInsert>;
  /** Runs in the transaction after the guarded update succeeded (roster changes on completion). */
  after?: (tx: Db, updated: TransferRow) => Promise<void>;
  auditDetails?: Record<string, unknown>;
}

const STALE = '该申请已被他人处理或已更新，请刷新后查看最新状态';

async function runStep(
  ctx: Ctx,
  id: number,
  input: StepInput,
  effects: (tx: Db, t: TransferRow, to: TransferState) => Promise<StepEffects> | StepEffects,
): Promise<TransferDetail | JsonResponse<TransferDetail>> {
  const p = ctx.user;
  // The checks run inside the idempotent write: a step resent with the same
  // Idempotency-Key (its answer was lost) replays that answer instead of
  // meeting its own new version as "stale".
  return once(ctx, `transfers.${input.action}`, async (tx) => {
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
    return loadDetail(tx, p, updated, ctx.today);
  });
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
  const p = ctx.user;
  const { version, comment, validityDays } = ctx.body;
  return runStep(ctx, ctx.params.id, { action: 'approve', version, comment: comment || null }, async (tx, t, to) => {
    const base: StepEffects = { set: { approverAccountId: p.accountId } };
    if (t.kind === 'out') {
      const days = validityDays ?? defaultValidityDays(t.scope, await committeeSettings(tx, p));
      const year = shanghaiYear(ctx.now);
      // The number is taken in this transaction: the row lock orders concurrent approvals, and a
      // rolled-back approval (stale version) gives its number back, so the year's numbers have no gaps.
      const [seq] = await tx
        .insert(transferLetterSequences)
        .values({ year, lastNumber: 1 })
        .onConflictDoUpdate({ target: transferLetterSequences.year, set: { lastNumber: sql`${transferLetterSequences.lastNumber} + 1` } })
        .returning({ n: transferLetterSequences.lastNumber });
      if (!seq) throw new Error('letter sequence returned nothing');
      const letterNumber = formatLetterNumber(year, seq.n);
      return {
        set: {
          ...base.set,
          letterYear: year,
          letterSequence: seq.n,
          letterNumber,
          letterIssuedOn: ctx.today,
          validityDays: days,
          letterExpiresOn: letterExpiry(ctx.today, days),
          receiptDueOn: receiptDue(ctx.today),
        },
        auditDetails: { letterNumber, validityDays: days },
      };
    }
    if (t.kind === 'internal' && to === 'completed') {
      return {
        ...base,
        after: async (inner) => {
          const moved = await inner
            .update(members)
            .set({ organizationId: t.toOrganizationId as number, version: sql`${members.version} + 1`, updatedAt: ctx.now })
            .where(and(eq(members.id, t.memberId as number), eq(members.organizationId, t.fromOrganizationId as number), eq(members.status, 'active')))
            .returning({ id: members.id });
          if (moved.length === 0) throw new ApiError('conflict', '该党员的所在支部或在册状态已变化，请核对后重新办理');
        },
      };
    }
    return base;
  });
});

async function committeeSettings(db: Db, p: Principal): Promise<unknown> {
  if (p.organizationId == null) return null;
  const [row] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, p.organizationId));
  return row?.settings ?? null;
}

export const recordReceipt = route(transfersApi.recordReceipt, async (ctx) => {
  const { comment, version } = ctx.body;
  const receivedOn = ctx.body.receivedOn ?? ctx.today;
  if (receivedOn > ctx.today) throw new ApiError('validation_failed', '回执日期不能晚于今天', { in: 'body', issues: [{ path: ['receivedOn'], message: '回执日期不能晚于今天' }] });
  return runStep(ctx, ctx.params.id, { action: 'receipt', version, comment: comment || null }, (_tx, t) => {
    if (t.letterIssuedOn && receivedOn < t.letterIssuedOn) {
      throw new ApiError('validation_failed', '回执日期不能早于介绍信开具日期', { in: 'body', issues: [{ path: ['receivedOn'], message: '回执日期不能早于介绍信开具日期' }] });
    }
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

/** 转入 complete: the member joins the branch, as a new roster row or by reactivating their old one. */
async function activateIncomingMember(tx: Db, t: TransferRow, now: Date): Promise<number> {
  const person = t.incomingPerson;
  if (!person || !t.idCipher || !t.idHash || t.toOrganizationId == null) throw new Error(`incoming transfer ${t.id} lacks its person data`);
  const roster = {
    name: t.memberName,
    gender: t.gender,
    ethnicity: t.ethnicity,
    organizationId: t.toOrganizationId,
    category: t.category,
    joinedAt: person.joinedAt,
    confirmedAt: person.confirmedAt,
    status: 'active' as const,
    updatedAt: now,
  };
  if (t.memberId != null) {
    const back = await tx
      .update(members)
      .set({ ...roster, version: sql`${members.version} + 1` })
      .where(and(eq(members.id, t.memberId), ne(members.status, 'active')))
      .returning({ id: members.id });
    if (back.length === 0) throw new ApiError('conflict', '该党员已在册，请核对后处理');
    return t.memberId;
  }
  try {
    const [created] = await tx
      .insert(members)
      .values({
        ...roster,
        birthDate: person.birthDate,
        idCipher: t.idCipher,
        idHash: t.idHash,
        idMasked: t.idMasked,
        phone: t.contactPhone,
        education: person.education,
      })
      .returning({ id: members.id });
    if (!created) throw new Error('member insert returned nothing');
    return created.id;
  } catch (err) {
    if (isUniqueViolation(err, 'members_id_hash_uq')) throw new ApiError('conflict', '该身份证号的党员已在本镇在册，请核对后处理');
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Reads

export const getTransfer = route(transfersApi.getTransfer, async (ctx) => {
  const t = await loadVisible(ctx.db, ctx.user, ctx.params.id);
  return loadDetail(ctx.db, ctx.user, t, ctx.today);
});

const LIST_LIMIT = 500;

export const listTransfers = route(transfersApi.listTransfers, async (ctx) => {
  const p = ctx.user;
  const q = ctx.query;
  const officer = p.role === 'secretary' || p.role === 'staff';
  if (q.view !== 'mine' && !officer) throw forbidden('待办和台账仅对支部书记和党委工作人员开放');
  if (q.organizationId != null && officer && p.role === 'secretary' && q.organizationId !== p.organizationId) {
    throw forbidden('只能查看本支部的转接记录');
  }

  const mine = or(eq(transfers.applicantAccountId, p.accountId), p.memberId != null ? eq(transfers.memberId, p.memberId) : undefined) as SQL;
  const base = q.view === 'mine' ? mine : visibleTo(p);
  const filters = and(
    base,
    q.view === 'inbox' ? awaitingCaller(p) : undefined,
    q.year != null ? sql`extract(year from ${transfers.appliedOn}) = ${q.year}` : undefined,
    q.kind ? eq(transfers.kind, q.kind) : undefined,
    q.scope ? eq(transfers.scope, q.scope) : undefined,
    q.state ? eq(transfers.state, q.state) : undefined,
    q.organizationId != null ? or(eq(transfers.fromOrganizationId, q.organizationId), eq(transfers.toOrganizationId, q.organizationId)) : undefined,
    q.overdueOnly ? overdueSql(ctx.today) : undefined,
  );
  const overdue = overdueSql(ctx.today);
  const open = sql`${transfers.state} not in ${finalStates}`;
  const awaiting = officer ? awaitingCaller(p) : sql`false`;

  // Two statements, run side by side: the rows, and the counts over everything the caller may see.
  const [rows, countRows] = await Promise.all([
    ctx.db
      .select()
      .from(transfers)
      .where(filters)
      .orderBy(desc(overdue), desc(open), desc(transfers.appliedOn), desc(transfers.id))
      .limit(LIST_LIMIT),
    ctx.db
      .select({
        state: transfers.state,
        awaiting: sql<number>`count(*) filter (where ${awaiting})`.mapWith(Number),
        overdue: sql<number>`count(*) filter (where ${overdue})`.mapWith(Number),
        open: sql<number>`count(*) filter (where ${open})`.mapWith(Number),
      })
      .from(transfers)
      .where(q.view === 'mine' ? mine : visibleTo(p))
      .groupBy(transfers.state),
  ]);
  const counts = { awaitingMe: 0, byState: {} as Record<string, number>, overdue: 0, open: 0 };
  for (const c of countRows) {
    counts.awaitingMe += c.awaiting;
    counts.overdue += c.overdue;
    counts.open += c.open;
    if (c.awaiting > 0) counts.byState[c.state] = c.awaiting;
  }
  return { transfers: rows.map((r) => toSummary(r, ctx.today)), counts };
});

export const getLetter = route(transfersApi.getLetter, async (ctx) => {
  const t = await loadVisible(ctx.db, ctx.user, ctx.params.id);
  if (!t.letterNumber || !t.letterIssuedOn || !t.validityDays || !t.letterExpiresOn || !t.letterAddressee) {
    throw new ApiError('not_found', '这项转接尚未开具介绍信');
  }
  const committeeName = await committeeNameFor(ctx.db, t.fromOrganizationId);
  return {
    transferId: t.id,
    letterNumber: t.letterNumber,
    committeeName,
    letterAddressee: t.letterAddressee,
    memberName: t.memberName,
    gender: t.gender,
    ethnicity: t.ethnicity,
    category: t.category,
    idNumberMasked: disclosedIdentity(t).idNumberMasked,
    fromOrganizationName: t.fromOrganizationName,
    toOrganizationName: t.toOrganizationName,
    duesPaidThrough: t.duesPaidThrough,
    issuedOn: t.letterIssuedOn,
    validityDays: t.validityDays,
    validityDaysCapital: capitalNumeral(t.validityDays),
    expiresOn: t.letterExpiresOn,
    receiptReceivedOn: t.receiptReceivedOn,
    state: t.state,
  };
});

async function committeeNameFor(db: Db, organizationId: number | null): Promise<string> {
  if (organizationId == null) return '';
  const [row] = await db
    .select({ name: organizations.name })
    .from(organizations)
    .where(
      and(
        eq(organizations.kind, 'committee'),
        sql`(select b.path from organizations b where b.id = ${organizationId}) like ${organizations.path} || '%'`,
      ),
    )
    .orderBy(desc(sql`length(${organizations.path})`))
    .limit(1);
  return row?.name ?? '';
}

export const exportLedger = route(transfersApi.exportLedger, async (ctx) => {
  const p = ctx.user;
  const year = ctx.query.year;
  const rows = await ctx.db
    .select({ t: transfers, handler: accounts.displayName })
    .from(transfers)
    .leftJoin(accounts, eq(accounts.id, transfers.approverAccountId))
    .where(and(visibleTo(p), sql`extract(year from ${transfers.appliedOn}) = ${year}`))
    .orderBy(asc(transfers.appliedOn), asc(transfers.id));
  await writeAuditedRead(ctx.db, p, { action: 'transfer.ledger_export', targetType: 'transfer', details: { year, rows: rows.length } }, ctx.now, ctx.deps.config.auditedReadRateLimit);

  // exceljs is large: load it only when someone exports.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '智慧党建';
  workbook.created = ctx.now;
  const sheet = workbook.addWorksheet(`${year}年组织关系转接台账`);
  const widths = [6, 10, 6, 8, 10, 20, 24, 10, 12, 12, 10, 12, 16, 10, 10];
  sheet.columns = LEDGER_COLUMNS.map((header, i) => ({ header, key: `c${i}`, width: widths[i] ?? 12 }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  rows.forEach(({ t, handler }, i) => {
    const ours = t.kind === 'in' ? t.toOrganizationName : t.fromOrganizationName;
    const theirs = t.kind === 'in' ? t.fromOrganizationName : t.toOrganizationName;
    const late = overdueOf(t, ctx.today);
    const stateText = TRANSFER_STATE_LABELS[t.state] + (late.receiptOverdue ? '（回执逾期）' : late.letterExpired ? '（介绍信过期）' : '');
    const values = [
      i + 1,
      t.memberName,
      t.gender,
      t.ethnicity,
      t.category,
      ours,
      theirs,
      t.scope,
      t.letterNumber ?? (t.kind === 'in' ? (t.incomingLetterNumber ?? '') : ''),
      t.letterIssuedOn ?? '',
      t.validityDays ? `${t.validityDays}天` : '',
      t.receiptReceivedOn ?? '',
      stateText,
      handler ?? '',
      TRANSFER_KIND_LABELS[t.kind],
    ];
    sheet.addRow(Object.fromEntries(values.map((v, j) => [`c${j}`, v])));
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new FileResponse(
    `${year}年组织关系转接台账.xlsx`,
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    new Uint8Array(buffer as ArrayBuffer),
  );
});
