/** Member-fact issues (shared/member-facts.ts) answered like the contract's own validation errors. */
import type { FieldIssue } from '../../shared/errors.js';
import { MEMBER_FIELD_LABELS } from '../../shared/members.js';
import { ApiError } from './errors.js';

/** Cross-field and against-today rules: 422 `validation_failed` naming the first field. */
export function assertNoFieldIssues(issues: FieldIssue[]): void {
  const first = issues[0];
  if (!first) return;
  const label = MEMBER_FIELD_LABELS[first.path[0] as keyof typeof MEMBER_FIELD_LABELS] ?? String(first.path[0]);
  throw new ApiError('validation_failed', `${label}：${first.message}`, { in: 'body', issues });
}
