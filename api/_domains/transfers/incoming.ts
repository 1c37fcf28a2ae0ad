/**
 * 转入 and the ID numbers it collides with.
 *
 * A branch secretary registering a 转入 learns nothing about the ID number
 * beyond their own branch: the registration is accepted (same answer) when the
 * number is an active member elsewhere in the township, or another registration
 * for it is open elsewhere. Township staff, who see the whole roster anyway, see
 * the collision on the transfer (`conflicts`) and 党委审批 refuses it, naming the
 * branch. The database keeps the invariants: one member row per ID number
 * (members_id_hash_uq) and one approved 转入 per ID number at a time
 * (transfers_one_approved_per_id_hash_uq).
 */
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { FINAL_STATES, type TransferState } from '../../../shared/transfers.js';
import type { TransferConflict } from '../../../shared/transfer-conflicts.js';
import type { Db } from '../../../db/client.js';
import { members, organizations, transfers } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { ApiError, isUniqueViolation, notFound } from '../../_app/errors.js';
import { visibleTo, type TransferRow } from './access.js';

export const APPROVED_ID_INDEX = 'transfers_one_approved_per_id_hash_uq';
const finalStates = [...FINAL_STATES] as TransferState[];

export interface RosterHolder {
  id: number;
  status: string;
  organizationId: number;
  organizationName: string;
}
export interface OpenRegistration {
  id: number;
  toOrganizationName: string;
  /** The viewer may already see it (their branch's, or filed by them). */
  visible: boolean;
}
export interface Collisions {
  /** The roster row with this ID number, whatever its status. */
  member: RosterHolder | undefined;
  /** Other open transfers carrying this ID number (转入). */
  open: OpenRegistration[];
}

/** Who holds this ID number on the roster, and which other open transfers carry it. Two statements, side by side. */
export async function findCollisions(db: Db, idHash: string, viewer: Principal, exceptTransferId: number | null): Promise<Collisions> {
  const [held, open] = await Promise.all([
    db
      .select({ id: members.id, status: members.status, organizationId: members.organizationId, organizationName: organizations.name })
      .from(members)
      .innerJoin(organizations, eq(organizations.id, members.organizationId))
      .where(eq(members.idHash, idHash)),
    db
      .select({ id: transfers.id, toOrganizationName: transfers.toOrganizationName, visible: sql<boolean>`(${visibleTo(viewer)})` })
      .from(transfers)
      .where(
        and(
          eq(transfers.idHash, idHash),
          sql`${transfers.state} not in ${finalStates}`,
          exceptTransferId != null ? ne(transfers.id, exceptTransferId) : undefined,
        ),
      )
      .orderBy(desc(transfers.id)),
  ]);
  return { member: held[0], open };
}

export function conflictList(c: Collisions): TransferConflict[] {
  const list: TransferConflict[] = [];
  if (c.member?.status === 'active') list.push('on_roster');
  if (c.open.length > 0) list.push('open_transfer');
  return list;
}

const isOpenIncoming = (t: Pick<TransferRow, 'kind' | 'state' | 'idHash'>) => t.kind === 'in' && t.idHash != null && !finalStates.includes(t.state);

/** The staff view's `conflicts`: for 转入 only (empty once closed); undefined for everything else. */
export function conflictsOf(t: TransferRow, flags: { onRoster: boolean; openTransfer: boolean }): TransferConflict[] | undefined {
  if (t.kind !== 'in') return undefined;
  if (!isOpenIncoming(t)) return [];
  const list: TransferConflict[] = [];
  if (flags.onRoster) list.push('on_roster');
  if (flags.openTransfer) list.push('open_transfer');
  return list;
}

/** A staff member's transfer detail read: the row and its collisions in one statement (the read budget is two). */
export async function loadVisibleWithConflicts(db: Db, p: Principal, id: number): Promise<{ row: TransferRow; conflicts: TransferConflict[] | undefined }> {
  // Written out with table names: drizzle leaves a single-table select's columns unqualified, which a subquery would rebind.
  const [found] = await db
    .select({
      row: transfers,
      onRoster: sql<boolean>`exists (select 1 from members m where m.id_hash = transfers.id_hash and m.status = 'active')`,
      openTransfer: sql<boolean>`exists (select 1 from transfers o where o.id_hash = transfers.id_hash and o.id <> transfers.id and o.state not in ${finalStates})`,
    })
    .from(transfers)
    .where(and(eq(transfers.id, id), visibleTo(p)));
  if (!found) throw notFound('转接申请');
  return { row: found.row, conflicts: conflictsOf(found.row, found) };
}

/** For the staff view after a write (filing, a step). */
export async function currentConflicts(db: Db, p: Principal, t: TransferRow): Promise<TransferConflict[] | undefined> {
  if (p.role !== 'staff') return undefined;
  if (t.kind !== 'in') return undefined;
  if (!isOpenIncoming(t)) return [];
  return conflictList(await findCollisions(db, t.idHash as string, p, t.id));
}

/** 党委审批 of a 转入: refused while the ID number is on the roster or another registration for it is open. */
export class ApprovalRefused extends ApiError {
  constructor(
    readonly reason: TransferConflict,
    message: string,
    readonly auditDetails: Record<string, unknown>,
  ) {
    super('conflict', message);
  }
}

export async function assertIncomingApprovable(tx: Db, p: Principal, t: TransferRow): Promise<void> {
  if (t.idHash == null) throw new Error(`incoming transfer ${t.id} lacks its ID number`);
  const c = await findCollisions(tx, t.idHash, p, t.id);
  if (c.member?.status === 'active') {
    throw new ApprovalRefused('on_roster', `该身份证号的党员已在「${c.member.organizationName}」在册，不能批准转入，请核对后驳回`, {
      memberId: c.member.id,
      organizationId: c.member.organizationId,
    });
  }
  const open = c.open[0];
  if (open) {
    throw new ApprovalRefused(
      'open_transfer',
      `该身份证号另有一项未办结的转入登记（转入「${open.toOrganizationName}」），请核对后驳回其中一项再审批`,
      { otherTransferId: open.id },
    );
  }
}

/** The approval's own UPDATE met another approved 转入 for the number (a race the check above did not see). */
export function approvalRace(err: unknown): ApprovalRefused | null {
  if (!isUniqueViolation(err, APPROVED_ID_INDEX)) return null;
  return new ApprovalRefused('open_transfer', '该身份证号另有一项转入登记刚刚获批，请核对后驳回本项', {});
}

/** 转入 complete: the member joins the branch, as a new roster row or by reactivating their old one (found by ID number). */
export async function activateIncomingMember(tx: Db, t: TransferRow, now: Date): Promise<number> {
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
  // A secretary's registration is not linked to a former member when filed (that would tell them
  // the number had been a member): the link is made here, by the ID number.
  const [former] = await tx.select({ id: members.id }).from(members).where(eq(members.idHash, t.idHash));
  const formerId = t.memberId ?? former?.id ?? null;
  if (formerId != null) {
    const back = await tx
      .update(members)
      .set({ ...roster, version: sql`${members.version} + 1` })
      .where(and(eq(members.id, formerId), ne(members.status, 'active')))
      .returning({ id: members.id });
    if (back.length === 0) throw new ApiError('conflict', '该党员已在册，请核对后处理');
    return formerId;
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
