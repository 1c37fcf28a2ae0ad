/** The member's own registrations (登记), for their data export (api/_app/personal-data.ts). */
import { eq } from 'drizzle-orm';
import { GENDER_LABELS, MEMBER_CATEGORY_LABELS } from '../../../shared/common.js';
import { REGISTRATION_STATUS_LABELS } from '../../../shared/registrations.js';
import { registrations } from '../../../db/schema/index.js';
import { jsonRows, type PersonalDataSection } from '../../_app/personal-data.js';

export const registrationSections: PersonalDataSection[] = [
  {
    key: 'registrations',
    title: '党员登记',
    tables: [registrations],
    rows: (s) =>
      jsonRows(
        registrations,
        ['id', 'status', 'name', 'gender', 'ethnicity', 'birthDate', 'idMasked', 'phone', 'organizationId', 'category', 'joinedAt', 'confirmedAt', 'rejectReason', 'decidedAt', 'createdAt'],
        { where: eq(registrations.accountId, s.accountId), orderBy: [registrations.createdAt, registrations.id] },
      ),
    labels: { status: REGISTRATION_STATUS_LABELS, gender: GENDER_LABELS, category: MEMBER_CATEGORY_LABELS },
    phones: ['phone'],
  },
];
