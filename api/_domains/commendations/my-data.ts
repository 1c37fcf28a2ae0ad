/** The commendations domain's part of the personal-data export: the member's own honors (not deleted ones). */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { commendations } from '../../../db/schema/index.js';
import { jsonRows, type ExportFragment } from '../../_app/export-fragments.js';

const c = alias(commendations, 'c');

export const commendationsExport = {
  commendations: {
    select: (who) =>
      jsonRows(
        {
          id: c.id, category: c.category, level: c.level, year: c.year, title: c.title, awardedOn: c.awardedOn,
          issuedBy: c.issuedBy, citation: c.citation,
        },
        sql`${commendations} ${c} where ${c.memberId} = ${who.memberId}::int and ${c.deletedAt} is null`,
        ['awardedOn'],
      ),
  },
} satisfies Record<string, ExportFragment>;
