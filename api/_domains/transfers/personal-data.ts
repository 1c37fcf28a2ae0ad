/** The member's organization-relationship transfers with their timelines, for their data export (api/_app/personal-data.ts). */
import { eq, sql } from 'drizzle-orm';
import { MEMBER_CATEGORY_LABELS, ROLE_LABELS } from '../../../shared/common.js';
import { TRANSFER_ACTION_LABELS, TRANSFER_KIND_LABELS, TRANSFER_REASON_LABELS, TRANSFER_SCOPE_LABELS, TRANSFER_STATE_LABELS } from '../../../shared/transfers.js';
import { transferEvents, transfers, transferSubscriptions } from '../../../db/schema/index.js';
import { jsonRows, type PersonalDataSection } from '../../_app/personal-data.js';

const timeline = sql`coalesce((${jsonRows(transferEvents, ['id', 'at', 'action', 'actorRole', 'fromState', 'toState', 'comment'], {
  where: eq(transferEvents.transferId, transfers.id),
  orderBy: [transferEvents.at, transferEvents.id],
})}), '[]'::json)`;

export const transferSections: PersonalDataSection[] = [
  {
    key: 'transfers',
    title: '组织关系转接',
    tables: [transfers, transferEvents],
    rows: (s) =>
      jsonRows(
        transfers,
        [
          'id', 'kind', 'state', 'memberName', 'idMasked', 'category', 'fromOrganizationName', 'toOrganizationName', 'letterAddressee',
          'scope', 'reason', 'reasonNote', 'duesPaidThrough', 'contactPhone', 'appliedOn', 'letterNumber', 'letterIssuedOn',
          'letterExpiresOn', 'receiptReceivedOn', 'reportedOn', 'completedOn', 'closingReason',
        ],
        { where: eq(transfers.memberId, s.memberId), orderBy: [transfers.id], extra: { events: timeline } },
      ),
    labels: { kind: TRANSFER_KIND_LABELS, state: TRANSFER_STATE_LABELS, category: MEMBER_CATEGORY_LABELS, scope: TRANSFER_SCOPE_LABELS, reason: TRANSFER_REASON_LABELS },
    phones: ['contactPhone'],
    nestedLabels: { events: { action: TRANSFER_ACTION_LABELS, actorRole: ROLE_LABELS, fromState: TRANSFER_STATE_LABELS, toState: TRANSFER_STATE_LABELS } },
  },
  {
    // 进度提醒我: which transfer's next step the member agreed to be told about, and whether it was sent.
    key: 'transfer_reminders',
    title: '转接进度提醒（微信订阅消息）',
    tables: [transferSubscriptions],
    rows: (s) =>
      jsonRows(transferSubscriptions, ['transferId', 'acceptedAt', 'usedAt', 'sentAt', 'lastError'], {
        where: eq(transferSubscriptions.accountId, s.accountId),
        orderBy: [transferSubscriptions.id],
      }),
  },
];
