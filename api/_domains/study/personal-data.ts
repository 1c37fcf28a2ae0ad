/** The member's own study records (timed sessions, entries, days), for their data export (api/_app/personal-data.ts). */
import { eq } from 'drizzle-orm';
import { STUDY_SOURCE_LABELS, STUDY_WAY_LABELS } from '../../../shared/study.js';
import { studyDays, studyEntries, studySessions } from '../../../db/schema/index.js';
import { jsonRows, type PersonalDataSection } from '../../_app/personal-data.js';

export const studySections: PersonalDataSection[] = [
  {
    key: 'study_sessions',
    title: '计时学习',
    tables: [studySessions],
    rows: (s) =>
      jsonRows(studySessions, ['id', 'way', 'topic', 'startedAt', 'finishedAt', 'status', 'creditedMinutes', 'creditedDay'], {
        where: eq(studySessions.memberId, s.memberId),
        orderBy: [studySessions.startedAt, studySessions.id],
      }),
    labels: { way: STUDY_WAY_LABELS },
  },
  {
    key: 'study_entries',
    title: '学习记录',
    tables: [studyEntries],
    rows: (s) =>
      jsonRows(studyEntries, ['id', 'day', 'minutes', 'requestedMinutes', 'way', 'topic', 'source', 'eventId', 'recordedAt', 'offlineLate', 'createdAt'], {
        where: eq(studyEntries.memberId, s.memberId),
        orderBy: [studyEntries.createdAt, studyEntries.id],
      }),
    labels: { way: STUDY_WAY_LABELS, source: STUDY_SOURCE_LABELS },
  },
  {
    key: 'study_days',
    title: '每日学习合计',
    tables: [studyDays],
    rows: (s) =>
      jsonRows(studyDays, ['day', 'minutes', 'selfReportedMinutes', 'organizationId'], {
        where: eq(studyDays.memberId, s.memberId),
        orderBy: [studyDays.day],
      }),
  },
];
