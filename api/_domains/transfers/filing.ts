/** Filing a transfer (转出, 镇内转接) or registering a 转入. */
import { and, eq, sql } from 'drizzle-orm';
import { type IsoDate } from '../../../shared/calendar.js';
import { SCOPE_IN_COUNTY, memberSnapshot } from '../../../shared/transfers.js';
import { memberFactIssuesFromId } from '../../../shared/member-facts.js';
import * as transfersApi from '../../../shared/transfers.js';
import type { Db } from '../../../db/client.js';
import { sealIdNumber } from '../../../db/pii.js';
import { members, organizations, transferEvents, transferringMember, transfers } from '../../../db/schema/index.js';
import { PRIVACY_GUIDE_VERSION } from '../../../shared/privacy.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route, type Ctx } from '../../_app/context.js';
import { ApiError, forbidden, isUniqueViolation, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { postTransferStep } from '../../_app/messages.js';
import { subtreeOf } from '../../_app/scope.js';
import { assertNoFieldIssues } from '../../_app/field-issues.js';
import { piiKeys } from '../../_app/pii.js';
import { OPEN_MEMBER_INDEX, TransferRow, loadDetail } from './access.js';
import { conflictList, currentConflicts, findCollisions } from './incoming.js';
import { loadCountyDestination, townshipIdOf } from './cross-township.js';
import type { TransferConflict } from '../../../shared/transfer-conflicts.js';

// ---------------------------------------------------------------------------
// Filing

const OPEN_EXISTS = '该党员已有一项未办结的组织关系转接，请先办结或撤回后再申请';

/** A branch of the caller's township (for internal and incoming transfers). */
async function loadTownshipBranch(db: Db, organizationId: number, townshipRoot: number | null) {
  const [org] = await db
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, path: organizations.path, townshipId: townshipIdOf(organizations.id) })
    .from(organizations)
    .where(
      and(
        eq(organizations.id, organizationId),
        eq(organizations.kind, 'branch'),
        townshipRoot != null ? sql`${organizations.id} in ${subtreeOf(townshipRoot)}` : undefined,
      ),
    );
  if (!org) throw new ApiError('validation_failed', '所选支部不存在', { in: 'body', issues: [{ path: ['toOrganizationId'], message: '所选支部不存在' }] });
  return org;
}


export const createTransfer = route(transfersApi.createTransfer, async (ctx) => {
  const p = ctx.user;
  const body = ctx.body;
  if (!(transfersApi.APPLY_ROLES[body.kind] as readonly string[]).includes(p.role)) {
    throw forbidden('转入由党委工作人员或接收支部书记登记');
  }
  const result = await fileOnce(ctx, async (tx) => {
    let values: typeof transfers.$inferInsert;
    let flagged: TransferConflict[] = [];
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
      assertNoFieldIssues(memberFactIssuesFromId(body, ctx.today));
      const branch = await loadTownshipBranch(tx, body.toOrganizationId, p.role === 'staff' ? p.organizationId : null);
      const sealed = sealIdNumber(body.idNumber, piiKeys(ctx));
      const found = await findCollisions(tx, sealed.idHash, p, null);
      const existing = found.member;
      // Staff see the whole township, so they are told at once. A secretary is told only what their own
      // branch shows; anything else is accepted alike, flagged for staff and refused at 党委审批 (incoming.ts).
      const staff = p.role === 'staff';
      if (existing?.status === 'active' && (staff || existing.organizationId === p.organizationId)) {
        throw new FilingRefused('on_roster', new ApiError('conflict', staff ? `该身份证号的党员已在「${existing.organizationName}」在册，无需登记转入` : '该身份证号的党员已在本支部在册，无需登记转入'));
      }
      if (found.open.some((o) => staff || o.visible)) throw new FilingRefused('open_transfer', new ApiError('conflict', OPEN_EXISTS));
      flagged = conflictList(found);
      values = {
        ...common,
        kind: 'in',
        // Linking a former member's row would tell a secretary the number had been a member: 报到 links it.
        memberId: staff ? (existing?.id ?? null) : null,
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
        fromTownshipId: null,
        toTownshipId: branch.townshipId,
        incomingLetterNumber: body.incomingLetterNumber,
        scope: body.scope,
      };
    } else {
      const memberId = body.memberId ?? p.memberId;
      if (memberId == null) throw forbidden('您的账号尚未关联党员信息，不能提交转接申请');
      const [member] = await tx
        .select({
          ...transferringMember,
          status: members.status,
          // The member's township, from the one scope rule (the nearest committee above the branch).
          townshipId: townshipIdOf(members.organizationId),
        })
        .from(members)
        .innerJoin(organizations, eq(organizations.id, members.organizationId))
        .where(eq(members.id, memberId));
      if (memberId !== p.memberId) {
        // Filing for someone else: a secretary for their own branch, staff for their township. A member never.
        const allowed =
          member &&
          ((p.role === 'secretary' && member.organizationId === p.organizationId) ||
            (p.role === 'staff' && p.organizationId != null && member.townshipId === p.organizationId));
        if (p.role === 'member') throw forbidden('党员只能为本人申请组织关系转接');
        if (!allowed) throw notFound('党员');
      }
      if (!member) throw notFound('党员');
      if (member.status !== 'active') throw new ApiError('conflict', '该党员当前不在册，不能申请转接');
      const snapshot = { ...memberSnapshot(member), fromTownshipId: member.townshipId };
      if (body.kind === 'out') {
        values = {
          ...common,
          ...snapshot,
          kind: 'out',
          toOrganizationId: null,
          toOrganizationName: body.toOrganizationName,
          letterAddressee: body.letterAddressee,
          scope: body.scope,
          toTownshipId: null,
        };
      } else if (body.kind === 'cross_township') {
        const target = await loadCountyDestination(tx, body.toOrganizationId, member);
        values = {
          ...common,
          ...snapshot,
          kind: 'cross_township',
          toOrganizationId: target.id,
          toOrganizationName: target.name,
          toTownshipId: target.townshipId,
          // The letter goes to the committee of the township the branch is in.
          letterAddressee: target.townshipName,
          scope: SCOPE_IN_COUNTY,
        };
      } else {
        const target = await loadTownshipBranch(tx, body.toOrganizationId, member.townshipId);
        if (target.id === member.organizationId) {
          throw new ApiError('validation_failed', '转入支部不能与现在所在支部相同', {
            in: 'body',
            issues: [{ path: ['toOrganizationId'], message: '转入支部不能与现在所在支部相同' }],
          });
        }
        values = { ...common, ...snapshot, kind: 'internal', toOrganizationId: target.id, toOrganizationName: target.name, toTownshipId: target.townshipId, scope: SCOPE_IN_COUNTY };
      }
    }

    let created: TransferRow | undefined;
    try {
      [created] = await tx.insert(transfers).values(values).returning();
    } catch (err) {
      if (isUniqueViolation(err, OPEN_MEMBER_INDEX)) throw new ApiError('conflict', OPEN_EXISTS);
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
    await postTransferStep(tx, p, { ...created, transferId: created.id, action: 'apply', to: created.state, comment: null }, ctx.now);
    // A registration accepted despite a collision is recorded with it (the audit log is read by nobody in a branch).
    const details = {
      kind: created.kind,
      ...(flagged.length > 0 ? { conflicts: flagged } : {}),
      // 登记转入: the filer confirmed the member's consent to this version of the privacy guide.
      ...(body.kind === 'in' ? { memberConsentVersion: PRIVACY_GUIDE_VERSION } : {}),
    };
    await writeAudit(tx, p, { action: 'transfer.apply', targetType: 'transfer', targetId: created.id, details }, ctx.now);
    return loadDetail(tx, p, created, ctx.today, await currentConflicts(tx, p, created));
  });
  return new JsonResponse(201, result instanceof JsonResponse ? result.body : result);
});

/** A 转入 refused at filing (staff, or what the secretary's own branch shows): audited after the rollback. */
class FilingRefused extends Error {
  constructor(
    readonly reason: TransferConflict,
    readonly answer: ApiError,
  ) {
    super(answer.message);
  }
}

async function fileOnce<T>(ctx: Ctx<typeof transfersApi.createTransfer>, write: (tx: Db) => Promise<T>): Promise<T | JsonResponse<T>> {
  try {
    return await withIdempotency(ctx, 'transfers.create', write);
  } catch (err) {
    if (!(err instanceof FilingRefused)) throw err;
    const body = ctx.body;
    await writeAudit(
      ctx.db,
      ctx.user,
      { action: 'transfer.apply_refused', targetType: 'account', targetId: ctx.user.accountId, details: { kind: body.kind, reason: err.reason, ...('toOrganizationId' in body ? { toOrganizationId: body.toOrganizationId } : {}) } },
      ctx.now,
    );
    throw err.answer;
  }
}

function birthDateOf(idNumber: string): IsoDate {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}
