/** The study domain's part of the personal-data export: sessions, entries and days (no request fingerprints). */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { studyDays, studyEntries, studySessions } from '../../../db/schema/index.js';
import { jsonRows, type ExportFragment } from '../../_app/export-fragments.js';

const s = alias(studySessions, 's');
const e = alias(studyEntries, 'e');
const d = alias(studyDays, 'd');

export const studyExport = {
  studySessions: {
    select: (who) =>
      jsonRows(
        {
          id: s.id, way: s.way, topic: s.topic, startedAt: s.startedAt, finishedAt: s.finishedAt, status: s.status,
          creditedMinutes: s.creditedMinutes, creditedDay: s.creditedDay,
        },
        sql`${studySessions} ${s} where ${s.memberId} = ${who.memberId}::int`,
        ['startedAt'],
      ),
  },
  studyEntries: {
    select: (who) =>
      jsonRows(
        {
          id: e.id, day: e.day, minutes: e.minutes, requestedMinutes: e.requestedMinutes, way: e.way, topic: e.topic,
          source: e.source, eventId: e.eventId, createdAt: e.createdAt,
        },
        sql`${studyEntries} ${e} where ${e.memberId} = ${who.memberId}::int`,
        ['createdAt', 'id'],
      ),
  },
  studyDays: {
    select: (who) =>
      jsonRows(
        { day: d.day, minutes: d.minutes, selfReportedMinutes: d.selfReportedMinutes, organizationId: d.organizationId },
        sql`${studyDays} ${d} where ${d.memberId} = ${who.memberId}::int`,
        ['day'],
      ),
  },
} satisfies Record<string, ExportFragment>;
