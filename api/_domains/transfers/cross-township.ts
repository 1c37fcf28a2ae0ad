/**
 * 县内跨镇转接: a member moves from a branch of township A to a branch of township B of the same county, as one
 * transfer both committees act on (shared/transfers/machine.ts holds its steps). A files and approves it and
 * numbers the letter; B (its staff, the receiving branch's secretary) receives the member, which records the
 * 回执 and moves the roster row to B's branch in the same transaction.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { alias, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { BRANCH_KIND } from '../../../shared/common.js';
import * as transfersApi from '../../../shared/transfers.js';
import type { Db } from '../../../db/client.js';
import { organizations } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { ApiError } from '../../_app/errors.js';
import { countyOfOrganization, townshipOfOrganization } from '../../_app/scope.js';
import { assertReceivedAfterLetter, moveToReceivingBranch, receivedOnOf, runStep } from './steps.js';

/** An organization's township id as a selected column (the scope module's rule). */
export function townshipIdOf(organizationId: AnyPgColumn | SQL) {
  return sql<number | null>`${townshipOfOrganization(organizationId)}`.mapWith((v) => (v == null ? null : Number(v)));
}

const refused = (message: string) => new ApiError('validation_failed', message, { in: 'body', issues: [{ path: ['toOrganizationId'], message }] });

export interface CountyDestination {
  id: number;
  name: string;
  townshipId: number;
  townshipName: string;
}

/** The receiving branch: a branch of another township of the member's county (one statement). */
export async function loadCountyDestination(db: Db, organizationId: number, member: { organizationId: number; townshipId: number | null }): Promise<CountyDestination> {
  const twp = alias(organizations, 'dest_twp');
  const [row] = await db
    .select({
      id: organizations.id,
      name: organizations.name,
      townshipId: townshipIdOf(organizations.id),
      townshipName: sql<string | null>`(select ${twp.name} from ${organizations} ${twp} where ${twp.id} = ${townshipOfOrganization(organizations.id)})`,
    })
    .from(organizations)
    .where(
      and(
        eq(organizations.id, organizationId),
        eq(organizations.kind, BRANCH_KIND),
        sql`${countyOfOrganization(organizations.id)} = ${countyOfOrganization(member.organizationId)}`,
      ),
    );
  if (!row || row.townshipId == null || row.townshipName == null) throw refused('所选支部不在本县');
  if (row.townshipId === member.townshipId) throw refused('所选支部在本乡镇，请改选“镇内换支部”');
  return { id: row.id, name: row.name, townshipId: row.townshipId, townshipName: row.townshipName };
}

/**
 * 确认接收并登记回执: the transfer completes, the 回执 day is recorded, and the member's roster row moves to the
 * receiving branch, in the step's transaction (one conditional UPDATE each: ten parallel receipts move it once).
 */
export const receiveTransfer = route(transfersApi.receiveTransfer, async (ctx) => {
  const { comment, version } = ctx.body;
  const receivedOn = receivedOnOf(ctx.body.receivedOn, ctx.today);
  return runStep(ctx, ctx.params.id, { action: 'receive', version, comment: comment || null }, (_tx, t) => {
    assertReceivedAfterLetter(t, receivedOn);
    const move = { memberId: t.memberId, fromOrganizationId: t.fromOrganizationId, toOrganizationId: t.toOrganizationId };
    return {
      set: { receiptReceivedOn: receivedOn, reportedOn: receivedOn },
      auditDetails: { receivedOn, ...move },
      after: async (tx) => {
        await moveToReceivingBranch(tx, t, ctx.now);
        await writeAudit(tx, ctx.user, { action: 'member.transfer_received', targetType: 'member', targetId: t.memberId as number, details: { transferId: t.id, ...move } }, ctx.now);
      },
    };
  });
});
