/**
 * Letter numbers per township (issue 17.4) on a database written before: two townships that shared one yearly
 * counter keep every number they issued, their transfers learn their townships, and each township's counter
 * continues from its own highest number. Runs on a fresh database per driver.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { freshDatabase, migrateTo, migrationsBefore } from '../helpers/migration-history.js';

const all = async <T>(database: Database, q: ReturnType<typeof sql>) => rowsOf<T>(await database.db.execute(q));

/** A county with townships 2 and 5 (branches 3 and 6); letters 2026-0001…0003 taken from the one shared counter. */
async function writeBefore(database: Database): Promise<void> {
  const x = (q: ReturnType<typeof sql>) => database.db.execute(q);
  await x(sql`insert into organizations (id, name, kind, path) values
    (1, '某县委组织部', 'county', '/1/'), (2, '红旗镇党委', 'committee', '/1/2/'), (3, '东村党支部', 'branch', '/1/2/3/'),
    (5, '柳林乡党委', 'committee', '/1/5/'), (6, '南村党支部', 'branch', '/1/5/6/')`);
  await x(sql`insert into accounts (id, openid, role, organization_id, display_name) values (1, 'letters-staff', 'staff', 2, '干部')`);
  const letter = (id: number, from: number, n: number) => sql`(${id}, 'out', 'letter_issued', ${'党员' + id}, 'male', '汉族', 'full', 'x',
    ${from}, '支部', '外地', 'in_province', 'job', '2026-05', '13800000000', 1, '2026-05-01', 2026, ${n}, ${`2026-000${n}`})`;
  await x(sql`insert into transfers (id, kind, state, member_name, gender, ethnicity, category, id_masked, from_organization_id,
    from_organization_name, to_organization_name, scope, reason, dues_paid_through, contact_phone, applicant_account_id, applied_on,
    letter_year, letter_sequence, letter_number) values ${letter(1, 3, 1)}, ${letter(2, 6, 2)}, ${letter(3, 3, 3)}`);
  await x(sql`insert into transfer_letter_sequences (year, last_number) values (2026, 3)`);
}

describe('letter numbers per township and year', () => {
  for (const driver of ['pglite', 'neon'] as const) {
    it(`keeps every number and continues each township from its own (${driver})`, async () => {
      const before = await migrationsBefore('_transfer_townships');
      const { database, close } = await freshDatabase(driver);
      try {
        await migrateTo(database, before.folder);
        await writeBefore(database);
        await migrateDatabase(database);
        expect(await all(database, sql`select id, letter_number, from_township_id, to_township_id from transfers order by id`)).toEqual([
          { id: 1, letter_number: '2026-0001', from_township_id: 2, to_township_id: null },
          { id: 2, letter_number: '2026-0002', from_township_id: 5, to_township_id: null },
          { id: 3, letter_number: '2026-0003', from_township_id: 2, to_township_id: null },
        ]);
        expect(await all(database, sql`select township_id, year, last_number from transfer_letter_sequences order by township_id`)).toEqual([
          { township_id: 2, year: 2026, last_number: 3 },
          { township_id: 5, year: 2026, last_number: 2 },
        ]);
        // Two townships may now hold the same number; one township may not hold it twice.
        await database.db.execute(sql`update transfers set letter_sequence = 3 where id = 2`);
        await expect(database.db.execute(sql`update transfers set letter_sequence = 1 where id = 3`)).rejects.toThrow();
      } finally {
        await close();
        await before.dispose();
      }
      // Every migration from an empty database, twice over: minutes on a loaded machine.
    }, 240_000);
  }
});
