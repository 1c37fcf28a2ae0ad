/**
 * The enum_codes migration (issue 16.7) on a database written before it: rows holding the
 * Chinese labels, as every deployment stored them, come out holding the English codes, the
 * quotas and the committee's letter validity keyed by code, and the new CHECKs refuse a label.
 * Runs on a fresh database per driver (PGlite, and PostgreSQL through node-postgres and Neon).
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { freshDatabase, migrateTo, migrationsBefore } from '../helpers/migration-history.js';

/** One row of every table that stores these values, written with the labels as the app did before. */
async function writeLabels(database: Database): Promise<void> {
  const x = (q: ReturnType<typeof sql>) => database.db.execute(q);
  await x(sql`insert into organizations (id, name, kind, settings) values
    (1, '某镇党委', 'committee', '{"birthdayWindow": "month", "transferValidityDays": {"县内": 7, "县外省内": 20, "省外": 45}}'::jsonb),
    (2, '东风村党支部', 'branch', '{}'::jsonb)`);
  await x(sql`update organizations set parent_id = 1 where id = 2`);
  await x(sql`insert into members (id, name, gender, birth_date, id_cipher, id_hash, id_masked, phone, organization_id, category, joined_at, confirmed_at) values
    (1, '张建国', '男', '1960-01-01', 'c1', 'h1', '1101*************1', '13800000001', 2, '正式党员', '1990-07-01', '1991-07-01'),
    (2, '李秀英', '女', '1999-01-01', 'c2', 'h2', '1101*************2', '13800000002', 2, '预备党员', '2026-01-01', null)`);
  await x(sql`insert into accounts (id, openid, role, display_name) values (1, 'enum-applicant', 'applicant', '申请人')`);
  await x(sql`insert into registrations (account_id, organization_id, name, gender, ethnicity, birth_date, id_cipher, id_hash, id_masked, phone, category, joined_at)
    values (1, 2, '王红', '女', '汉族', '1999-02-02', 'c3', 'h3', '1101*************3', '13800000003', '预备党员', '2026-02-02')`);
  await x(sql`insert into transfers (kind, state, member_id, member_name, gender, ethnicity, category, id_masked, from_organization_name, to_organization_name,
      scope, reason, dues_paid_through, contact_phone, applicant_account_id, applied_on) values
    ('out', 'pending_branch', 1, '张建国', '男', '汉族', '正式党员', '1101*************1', '东风村党支部', '外县党委', '县外省内', '工作调动', '2026-05', '13800000001', 1, '2026-06-01'),
    ('out', 'withdrawn', 2, '李秀英', '女', '汉族', '预备党员', '1101*************2', '东风村党支部', '外省党委', '省外', '升学', '2026-05', '13800000002', 1, '2026-05-01')`);
  await x(sql`insert into development_records (organization_id, name, gender, birth_date, id_cipher, id_hash, id_masked)
    values (2, '赵晓梅', '女', '2000-03-08', 'c4', 'h4', '1301*************4')`);
  await x(sql`insert into study_events (id, organization_id, way, topic, place, starts_at, ends_at, day, minutes) values
    (1, 2, '支部集中学', '主题党日', '村部', '2026-06-10T01:00:00Z', '2026-06-10T02:30:00Z', '2026-06-10', 90)`);
  await x(sql`insert into study_sessions (member_id, way, topic, started_at) values (1, '平台自主学', '读党章', '2026-06-10T03:00:00Z')`);
  await x(sql`insert into study_entries (member_id, organization_id, day, minutes, way, topic, source, account_id) values
    (1, 2, '2026-06-10', 30, '青年读书会交流学', '读书会', 'self_report', 1),
    (1, 2, '2026-06-11', 20, '中心组引领学', '中心组', 'self_report', 1),
    (2, 2, '2026-06-11', 40, '教育基地实践学', '纪念馆', 'self_report', 1)`);
  await x(sql`insert into commendation_campaigns (organization_id, name, year, quotas) values
    (1, '2026年七一表彰', 2026, '{"优秀共产党员": 3, "优秀党务工作者": 1, "先进基层党组织": 2}'::jsonb)`);
  await x(sql`insert into commendations (category, member_id, organization_id, level, year, title, awarded_on, issued_by) values
    ('优秀共产党员', 1, 2, '镇级', 2026, '2026年度优秀共产党员', '2026-06-28', '某镇党委'),
    ('优秀党务工作者', 2, 2, '县级', 2026, '2026年度优秀党务工作者', '2026-06-28', '某县委'),
    ('先进基层党组织', null, 2, '全国', 2026, '2026年度先进基层党组织', '2026-06-28', '中共中央'),
    ('优秀共产党员', 2, 2, '省级', 2025, '2025年度优秀共产党员', '2026-06-28', '某省委'),
    ('优秀共产党员', 1, 2, '市级', 2025, '2025年度优秀共产党员', '2026-06-28', '某市委')`);
  await x(sql`insert into commendation_targets (organization_id, year, category, target) values
    (1, 2026, '优秀共产党员', 8), (1, 2026, '优秀党务工作者', 3), (1, 2026, '先进基层党组织', 2)`);
}

const all = async <T>(database: Database, q: ReturnType<typeof sql>) => rowsOf<T>(await database.db.execute(q));

describe('migrating stored Chinese labels to English codes', () => {
  for (const driver of ['pglite', 'node-postgres', 'neon'] as const) {
    it(`rewrites every stored label as its code and checks the codes (${driver})`, async () => {
      const before = await migrationsBefore('_enum_codes');
      const { database, close } = await freshDatabase(driver);
      try {
        await migrateTo(database, before.folder);
        await writeLabels(database);
        await migrateDatabase(database);

        expect(await all(database, sql`select gender, category from members order by id`)).toEqual([
          { gender: 'male', category: 'full' },
          { gender: 'female', category: 'probationary' },
        ]);
        expect(await all(database, sql`select gender, category from registrations`)).toEqual([{ gender: 'female', category: 'probationary' }]);
        expect(await all(database, sql`select gender, category, scope, reason from transfers order by id`)).toEqual([
          { gender: 'male', category: 'full', scope: 'in_province', reason: 'job' },
          { gender: 'female', category: 'probationary', scope: 'out_of_province', reason: 'study' },
        ]);
        expect(await all(database, sql`select gender from development_records`)).toEqual([{ gender: 'female' }]);
        expect(await all(database, sql`select way from study_events`)).toEqual([{ way: 'branch' }]);
        expect(await all(database, sql`select way from study_sessions`)).toEqual([{ way: 'platform' }]);
        expect(await all(database, sql`select way from study_entries order by id`)).toEqual([{ way: 'youth_reading' }, { way: 'central_group' }, { way: 'education_base' }]);
        expect(await all(database, sql`select category, level from commendations order by id`)).toEqual([
          { category: 'outstanding_member', level: 'township' },
          { category: 'outstanding_worker', level: 'county' },
          { category: 'advanced_organization', level: 'national' },
          { category: 'outstanding_member', level: 'province' },
          { category: 'outstanding_member', level: 'city' },
        ]);
        expect(await all(database, sql`select category, target from commendation_targets order by target desc`)).toEqual([
          { category: 'outstanding_member', target: 8 },
          { category: 'outstanding_worker', target: 3 },
          { category: 'advanced_organization', target: 2 },
        ]);
        const [campaign] = await all<{ quotas: unknown }>(database, sql`select quotas from commendation_campaigns`);
        expect(campaign?.quotas).toEqual({ outstanding_member: 3, outstanding_worker: 1, advanced_organization: 2 });
        const [committee] = await all<{ settings: unknown }>(database, sql`select settings from organizations where id = 1`);
        expect(committee?.settings).toEqual({ birthdayWindow: 'month', transferValidityDays: { in_county: 7, in_province: 20, out_of_province: 45 } });

        // The checks now name the codes: a label is refused, a code accepted.
        await expect(database.db.execute(sql`update members set gender = '男' where id = 1`)).rejects.toThrow();
        await expect(database.db.execute(sql`update study_entries set way = '平台自主学' where member_id = 1`)).rejects.toThrow();
        await expect(database.db.execute(sql`update commendations set level = '镇级'`)).rejects.toThrow();
        await expect(database.db.execute(sql`update transfers set scope = '县内'`)).rejects.toThrow();
        await database.db.execute(sql`update transfers set scope = 'in_county', reason = 'relocation' where reason = 'job'`);
        // A 预备党员 still has no 转正日期 and a 先进基层党组织 no member, now said in codes.
        await expect(database.db.execute(sql`update members set confirmed_at = '2027-01-01' where id = 2`)).rejects.toThrow();
        await expect(database.db.execute(sql`update commendations set member_id = 1 where category = 'advanced_organization'`)).rejects.toThrow();
      } finally {
        await close();
        await before.dispose();
      }
    });
  }
});
