/** The caller's own 发展党员 record (once linked to their account, or once on the roster) with its dated steps, for their data export. */
import { eq, or, sql } from 'drizzle-orm';
import { GENDER_LABELS } from '../../../shared/common.js';
import { STAGE_LABELS, STEP_LABELS } from '../../../shared/development.js';
import { developmentRecords, developmentStepRows } from '../../../db/schema/index.js';
import { jsonRows, type PersonalDataSection } from '../../_app/personal-data.js';

const steps = sql`coalesce((${jsonRows(developmentStepRows, ['step', 'date', 'evidence', 'late'], {
  where: eq(developmentStepRows.recordId, developmentRecords.id),
  orderBy: [developmentStepRows.date, developmentStepRows.id],
})}), '[]'::json)`;

export const developmentSections: PersonalDataSection[] = [
  {
    key: 'development',
    title: '入党申请与发展',
    tables: [developmentRecords, developmentStepRows],
    rows: (s) =>
      jsonRows(developmentRecords, ['id', 'name', 'gender', 'birthDate', 'idMasked', 'phone', 'organizationId', 'stage', 'createdAt'], {
        where: or(eq(developmentRecords.applicantAccountId, s.accountId), eq(developmentRecords.memberId, s.memberId))!,
        orderBy: [developmentRecords.id],
        extra: { steps },
      }),
    labels: { gender: GENDER_LABELS, stage: STAGE_LABELS },
    nestedLabels: { steps: { step: STEP_LABELS } },
    phones: ['phone'],
  },
];
