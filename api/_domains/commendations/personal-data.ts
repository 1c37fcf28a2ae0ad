/** The member's commendations (表彰), for their data export (api/_app/personal-data.ts). */
import { and, eq, isNull } from 'drizzle-orm';
import { COMMENDATION_CATEGORY_LABELS, COMMENDATION_LEVEL_LABELS } from '../../../shared/commendations.js';
import { commendations } from '../../../db/schema/index.js';
import { jsonRows, type PersonalDataSection } from '../../_app/personal-data.js';

export const commendationSections: PersonalDataSection[] = [
  {
    key: 'commendations',
    title: '表彰',
    tables: [commendations],
    rows: (s) =>
      jsonRows(commendations, ['id', 'category', 'level', 'year', 'title', 'awardedOn', 'issuedBy', 'citation'], {
        where: and(eq(commendations.memberId, s.memberId), isNull(commendations.deletedAt))!,
        orderBy: [commendations.awardedOn, commendations.id],
      }),
    labels: { category: COMMENDATION_CATEGORY_LABELS, level: COMMENDATION_LEVEL_LABELS },
  },
];
