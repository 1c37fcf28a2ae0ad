/** Who sees which transfers, who may act on them, and the views every route answers with. */
import { disclosedIdentity } from '../../../shared/idcard.js';
import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import { type IsoDate } from '../../../shared/calendar.js';
import { ROLE_LABELS } from '../../../shared/common.js';
import { allowedActions, FINAL_STATES, overdueOf, type TransferActor, type TransferDetail, type TransferState, type TransferSummary } from '../../../shared/transfers.js';
import type { Db } from '../../../db/client.js';
import { accounts, transferEvents, transfers } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { notFound } from '../../_app/errors.js';
import { organizationScope, seesSubtree } from '../../_app/scope.js';
import { awaitingCallerSql } from '../../_app/transfer-awaiting.js';
import { ledgerPlacementOf } from '../../../shared/transfer-ledger.js';
import type { TransferConflict } from '../../../shared/transfer-conflicts.js';

export type TransferRow = typeof transfers.$inferSelect;

export const OPEN_MEMBER_INDEX = 'transfers_one_open_per_member_uq';
export const finalStates = [...FINAL_STATES] as TransferState[];

// ---------------------------------------------------------------------------
// Who sees what, and who may act

/** Rows the caller may see: their own (as the member moved or the filer), their branch's (secretary), the township's (staff). */
export function visibleTo(p: Principal): SQL {
  const own: SQL[] = [eq(transfers.applicantAccountId, p.accountId)];
  if (p.memberId != null) own.push(eq(transfers.memberId, p.memberId));
  if (p.role === 'secretary' || seesSubtree(p)) {
    own.push(organizationScope(p, transfers.fromOrganizationId), organizationScope(p, transfers.toOrganizationId));
  }
  return or(...own) as SQL;
}

type ActorFacts = Pick<TransferRow, 'applicantAccountId' | 'memberId' | 'fromOrganizationId' | 'toOrganizationId' | 'fromTownshipId' | 'toTownshipId'>;

/** How the caller stands to this transfer. Nobody acts as an officer on their own transfer. */
export function actorsOf(p: Principal, t: ActorFacts): Set<TransferActor> {
  const actors = new Set<TransferActor>();
  if (t.applicantAccountId === p.accountId) actors.add('applicant');
  const isSubject = p.memberId != null && t.memberId === p.memberId;
  if (isSubject) actors.add('subject');
  if (isSubject) return actors;
  if (p.role === 'secretary' && p.organizationId != null) {
    if (t.fromOrganizationId === p.organizationId) actors.add('from_secretary');
    if (t.toOrganizationId === p.organizationId) actors.add('to_secretary');
  }
  // Staff only ever load rows touching their township (visibleTo). The transfer's committee is the township it
  // leaves (else, 转入, the one it joins); a row without townships (written before they were recorded) is theirs.
  if (p.role === 'staff') {
    const home = t.fromTownshipId ?? t.toTownshipId;
    if (home == null || home === p.organizationId) actors.add('staff');
    if (t.toTownshipId != null && t.toTownshipId === p.organizationId && t.fromTownshipId !== p.organizationId) actors.add('to_staff');
  }
  return actors;
}

/**
 * The caller sees a 县内跨镇转接 only as the township (or branch) it joins: the letter is the other township's,
 * so their ledger lists it with the transfers they did not number (shared/transfer-ledger.ts).
 */
export function onReceivingSideOnly(p: Principal, t: Pick<TransferRow, 'kind' | 'toOrganizationId' | 'fromTownshipId' | 'toTownshipId'>): boolean {
  if (t.kind !== 'cross_township' || p.organizationId == null) return false;
  if (p.role === 'staff') return t.toTownshipId === p.organizationId && t.fromTownshipId !== p.organizationId;
  return p.role === 'secretary' && t.toOrganizationId === p.organizationId;
}

/** The same as SQL, for the ledger year filter. */
function receivingSideOnlySql(p: Principal): SQL {
  if (p.organizationId == null) return sql`false`;
  const cross = sql`${transfers.kind} = 'cross_township'`;
  if (p.role === 'staff') return sql`(${cross} and ${transfers.toTownshipId} = ${p.organizationId}::int and ${transfers.fromTownshipId} is distinct from ${p.organizationId}::int)`;
  if (p.role === 'secretary') return sql`(${cross} and ${transfers.toOrganizationId} = ${p.organizationId}::int)`;
  return sql`false`;
}

/** "Waiting for me": the one definition the dashboard counts with too (api/_app/transfer-awaiting.ts). */
export function awaitingCaller(p: Principal): SQL {
  return awaitingCallerSql(p, transfers);
}

/** Letters past expiry, or 回执 more than a month late. Same rule as shared `overdueOf`. */
export function overdueSql(today: IsoDate): SQL {
  return sql`(${transfers.state} = 'letter_issued' and ${transfers.receiptReceivedOn} is null and (${transfers.letterExpiresOn} < ${today} or ${transfers.receiptDueOn} < ${today}))`;
}

// ---------------------------------------------------------------------------
// Views

/**
 * The ledger year of shared/transfer-ledger.ts as a filter: the letter's year once our letter is issued, else
 * the filing year (a receiving township's view of another township's letter included).
 */
export function ledgerYearSql(year: number, p: Principal): SQL {
  return sql`(case when ${transfers.letterSequence} is not null and not ${receivingSideOnlySql(p)} then ${transfers.letterYear} else extract(year from ${transfers.appliedOn})::int end) = ${year}`;
}

/** The row as the ledger rule reads it for this caller. */
export function ledgerFactsFor(p: Principal, t: TransferRow) {
  return { ...t, letterOfAnotherTownship: onReceivingSideOnly(p, t), letterTownshipId: t.fromTownshipId };
}

export function toSummary(t: TransferRow, today: IsoDate, p: Principal): TransferSummary {
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
    ledger: ledgerPlacementOf(ledgerFactsFor(p, t)),
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

/** `conflicts`: township staff's view of a 转入 only (see incoming.ts); left out of everyone else's answer. */
export async function loadDetail(db: Db, p: Principal, t: TransferRow, today: IsoDate, conflicts?: TransferConflict[]): Promise<TransferDetail> {
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
    ...toSummary(t, today, p),
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
    ...(p.role === 'staff' && conflicts ? { conflicts } : {}),
  };
}

export async function loadVisible(db: Db, p: Principal, id: number): Promise<TransferRow> {
  const [row] = await db.select().from(transfers).where(and(eq(transfers.id, id), visibleTo(p)));
  if (!row) throw notFound('转接申请');
  return row;
}
