/**
 * Writing messages, for the domains: each call is one INSERT … SELECT over the
 * accounts it concerns, run in the domain's own transaction, so a message
 * exists exactly when its fact does (a rolled-back step leaves none). The text
 * comes from shared/messages.ts; the recipients are worked out here from the
 * records, never from a request. The one who acted is never told of their own act.
 */
import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { transferStepForMember, transferTodo, type MessageText, type TransferStepFacts } from '../../shared/messages.js';
import { TRANSITIONS } from '../../shared/transfers.js';
import type { Db } from '../../db/client.js';
import { accounts, messages } from '../../db/schema/index.js';
import { col } from '../../db/sql.js';
import type { Principal } from './auth.js';
import { townshipOfOrganization } from './scope.js';

const a = alias(accounts, 'rcpt');

/** An account's unread count as a scalar subquery, to ride in a statement the caller runs anyway (GET /api/me). */
export function unreadMessagesOf(accountId: SQL | number): SQL<number> {
  return sql<number>`(select count(*)::int from ${messages} where ${messages.accountId} = ${accountId} and ${messages.readAt} is null)`.mapWith(Number);
}

/** Who receives a message: conditions on the recipient account (alias `rcpt`). */
export const recipients = {
  account: (accountId: number): SQL => sql`${a.id} = ${accountId}::int`,
  memberOf: (memberId: number): SQL => sql`${a.memberId} = ${memberId}::int`,
  secretariesOf: (branchId: number): SQL => sql`(${a.role} = 'secretary' and ${a.organizationId} = ${branchId}::int)`,
  /** The staff of the township the organization belongs to (the nearest committee above it). */
  staffAbove: (organizationId: number): SQL => sql`(${a.role} = 'staff' and ${a.organizationId} = ${townshipOfOrganization(organizationId)})`,
};

/** One message to every account matching any of `who`, except the actor. One statement; none when `who` is empty. */
export async function postMessage(tx: Db, actor: Principal | null, who: readonly SQL[], m: MessageText, now: Date): Promise<void> {
  if (who.length === 0) return;
  const notActor = actor ? sql` and ${a.id} <> ${actor.accountId}::int` : sql``;
  await tx.execute(
    sql`insert into ${messages} (${col(messages.accountId)}, ${col(messages.kind)}, ${col(messages.title)}, ${col(messages.body)},
          ${col(messages.targetType)}, ${col(messages.targetId)}, ${col(messages.createdAt)})
        select ${a.id}, ${m.kind}, ${m.title}, ${m.body}, ${m.targetType}, ${m.targetId}::int, ${now}
        from ${accounts} ${a} where (${sql.join(who as SQL[], sql` or `)})${notActor}`,
  );
}

export interface TransferFacts extends TransferStepFacts {
  applicantAccountId: number | null;
  memberId: number | null;
  fromOrganizationId: number | null;
  toOrganizationId: number | null;
}

/**
 * A transfer step: the member moved and whoever filed it hear what happened;
 * the officers of the next step (from the state machine's own table, as the
 * inbox and the buttons are) get a 待办. Nobody acts as an officer on their own transfer.
 */
export async function postTransferStep(tx: Db, actor: Principal, t: TransferFacts, now: Date): Promise<void> {
  const own: SQL[] = [];
  if (t.applicantAccountId != null) own.push(recipients.account(t.applicantAccountId));
  if (t.memberId != null) own.push(recipients.memberOf(t.memberId));
  await postMessage(tx, actor, own, transferStepForMember(t), now);

  const next = TRANSITIONS.filter((s) => s.kind === t.kind && s.from === t.to && s.action !== 'reject' && s.action !== 'withdraw');
  const officers: SQL[] = [];
  const actors = new Set(next.flatMap((s) => s.actors));
  if (actors.has('from_secretary') && t.fromOrganizationId != null) officers.push(recipients.secretariesOf(t.fromOrganizationId));
  if (actors.has('to_secretary') && t.toOrganizationId != null) officers.push(recipients.secretariesOf(t.toOrganizationId));
  const home = t.fromOrganizationId ?? t.toOrganizationId;
  if (actors.has('staff') && home != null) officers.push(recipients.staffAbove(home));
  if (actors.has('to_staff') && t.toOrganizationId != null) officers.push(recipients.staffAbove(t.toOrganizationId));
  if (officers.length === 0) return;
  const anyOfficer = sql`(${sql.join(officers, sql` or `)})`;
  const who = t.memberId != null ? sql`(${anyOfficer} and ${a.memberId} is distinct from ${t.memberId}::int)` : anyOfficer;
  await postMessage(tx, actor, [who], transferTodo(t), now);
}
