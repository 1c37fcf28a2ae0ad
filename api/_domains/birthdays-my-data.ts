/** The birthdays domain's part of the personal-data export: the member's sign-ins, with the ceremony attended. */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { birthdayCeremonies, birthdaySignIns } from '../../db/schema/index.js';
import { jsonRows, type ExportFragment } from '../_app/export-fragments.js';

const b = alias(birthdaySignIns, 'b');
const c = alias(birthdayCeremonies, 'c');

export const birthdaysExport = {
  birthdaySignIns: {
    select: (who) =>
      jsonRows(
        { year: b.year, years: b.years, mode: b.mode, reflection: b.reflection, signedAt: b.signedAt, ceremonyHeldOn: c.heldOn, ceremonyTopic: c.topic },
        sql`${birthdaySignIns} ${b} left join ${birthdayCeremonies} ${c} on ${c.id} = ${b.ceremonyId} where ${b.memberId} = ${who.memberId}::int`,
        ['year'],
      ),
  },
} satisfies Record<string, ExportFragment>;
