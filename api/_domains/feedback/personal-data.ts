/** The caller's own 投诉建议 with their history, for their data export (api/_app/personal-data.ts). */
import { eq, sql } from 'drizzle-orm';
import { FEEDBACK_ACTION_LABELS, FEEDBACK_KIND_LABELS, FEEDBACK_STATE_LABELS, FEEDBACK_TOPIC_LABELS } from '../../../shared/feedback.js';
import { feedback, feedbackEvents } from '../../../db/schema/index.js';
import { jsonRows, type PersonalDataSection } from '../../_app/personal-data.js';

const history = sql`coalesce((${jsonRows(feedbackEvents, ['action', 'at', 'note'], {
  where: eq(feedbackEvents.feedbackId, feedback.id),
  orderBy: [feedbackEvents.at, feedbackEvents.id],
})}), '[]'::json)`;

export const feedbackSections: PersonalDataSection[] = [
  {
    key: 'feedback',
    title: '投诉建议',
    tables: [feedback, feedbackEvents],
    rows: (s) =>
      jsonRows(feedback, ['id', 'kind', 'topic', 'body', 'anonymous', 'state', 'reply', 'repliedAt', 'closedAt', 'createdAt'], {
        where: eq(feedback.accountId, s.accountId),
        orderBy: [feedback.createdAt, feedback.id],
        extra: { history },
      }),
    labels: { kind: FEEDBACK_KIND_LABELS, topic: FEEDBACK_TOPIC_LABELS, state: FEEDBACK_STATE_LABELS },
    nestedLabels: { history: { action: FEEDBACK_ACTION_LABELS } },
  },
];
