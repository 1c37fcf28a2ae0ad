/** The messages sent to the caller's account (消息中心), for their data export (api/_app/personal-data.ts). */
import { eq } from 'drizzle-orm';
import { MESSAGE_KIND_LABELS } from '../../../shared/messages.js';
import { messages } from '../../../db/schema/index.js';
import { jsonRows, type PersonalDataSection } from '../../_app/personal-data.js';

export const messageSections: PersonalDataSection[] = [
  {
    key: 'messages',
    title: '消息',
    tables: [messages],
    rows: (s) =>
      jsonRows(messages, ['kind', 'title', 'body', 'createdAt', 'readAt'], {
        where: eq(messages.accountId, s.accountId),
        orderBy: [messages.createdAt, messages.id],
      }),
    labels: { kind: MESSAGE_KIND_LABELS },
  },
];
