/** The transfers domain's part of the personal-data export: the member's transfers, each with its timeline. */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { transferEvents, transfers } from '../../../db/schema/index.js';
import { jsonRows, type ExportFragment } from '../../_app/export-fragments.js';

const t = alias(transfers, 't');
const ev = alias(transferEvents, 'ev');

export const transfersExport = {
  transfers: {
    maskPhone: 'contactPhone',
    select: (who) =>
      jsonRows(
        {
          id: t.id, kind: t.kind, state: t.state, memberName: t.memberName, idNumberMasked: t.idMasked, category: t.category,
          fromOrganizationName: t.fromOrganizationName, toOrganizationName: t.toOrganizationName, letterAddressee: t.letterAddressee,
          scope: t.scope, reason: t.reason, reasonNote: t.reasonNote, duesPaidThrough: t.duesPaidThrough, contactPhone: t.contactPhone,
          appliedOn: t.appliedOn, letterNumber: t.letterNumber, letterIssuedOn: t.letterIssuedOn, letterExpiresOn: t.letterExpiresOn,
          receiptReceivedOn: t.receiptReceivedOn, reportedOn: t.reportedOn, completedOn: t.completedOn, closingReason: t.closingReason,
          events: jsonRows(
            { id: ev.id, at: ev.at, action: ev.action, actorRole: ev.actorRole, fromState: ev.fromState, toState: ev.toState, comment: ev.comment },
            sql`${transferEvents} ${ev} where ${ev.transferId} = ${t.id}`,
            ['at', 'id'],
          ),
        },
        sql`${transfers} ${t} where ${t.memberId} = ${who.memberId}::int`,
        ['id'],
      ),
  },
} satisfies Record<string, ExportFragment>;
