/**
 * Study oversight at township scale (a script that prints figures, not a test).
 *
 * Creates a fresh database on the machine's PostgreSQL, migrates it, fills a
 * township of 2,000 members in 20 branches with one year of daily study
 * (the study_days roll-up the oversight views read), then measures through the
 * real app (JWT check, handlers, JSON) the secretary's branch week and the staff
 * summary: median and p95 over several runs, plus EXPLAIN (ANALYZE, BUFFERS) of
 * each statement. Drops the database at the end.
 *
 *   npm run bench:study            (TEST_PG_URL overrides the server)
 *   RUNS=50 npm run bench:study
 *   KEEP_DB=1 npm run bench:study   (keep the database to try plans by hand)
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { branchWeekQuery, summaryStatsQuery } from '../api/_domains/study.js';
import { addDays, shanghaiDate, weekStart } from '../shared/calendar.js';
import { openDatabase, rowsOf } from '../db/client.js';
import { inProcessApp, jsonCall, timeRuns } from './in-process.js';
import { migrateDatabase } from '../db/migrate.js';

const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MEMBERS = Number(process.env.MEMBERS ?? 2000);
const BRANCHES = 20;
const DAYS = 365;
const RUNS = Number(process.env.RUNS ?? 30);
const NOW = new Date('2026-06-15T10:00:00+08:00');
const TODAY = shanghaiDate(NOW);

const name = `bench_study_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(ADMIN_URL);
url.pathname = `/${name}`;
const database = await openDatabase({ url: url.toString(), driver: 'node-postgres', poolMax: 4 });

try {
  const t0 = performance.now();
  await migrateDatabase(database);
  const db = database.db;
  const exec = async <T>(q: SQL) => rowsOf<T>(await db.execute(q));

  // ---- the township: a committee, 20 branches, 2,000 members, one secretary and one staff account.
  const [township] = await exec<{ id: number }>(sql`insert into organizations (name, kind) values ('基准镇党委', 'committee') returning id`);
  const townshipId = township!.id;
  await exec(sql`update organizations set path = '/' || id || '/' where id = ${townshipId}`);
  await exec(sql`
    insert into organizations (name, kind, parent_id, path, sort_order)
    select '第' || g || '村党支部', 'branch', ${townshipId}::int, '', g from generate_series(1, ${BRANCHES}::int) g`);
  await exec(sql`update organizations set path = '/' || ${townshipId}::int || '/' || id || '/' where parent_id = ${townshipId}::int`);
  const branches = await exec<{ id: number }>(sql`select id from organizations where parent_id = ${townshipId}::int order by id`);
  const branchIds = branches.map((b) => b.id);
  await exec(sql`
    insert into members (name, gender, birth_date, id_cipher, id_hash, id_masked, phone, organization_id, category, joined_at, confirmed_at)
    select '党员' || g, case when g % 3 = 0 then 'female' else 'male' end, date '1960-01-01' + (g % 15000),
           'bench', 'bench-' || g, '110***********' || lpad((g % 10000)::text, 4, '0'), '138' || lpad(g::text, 8, '0'),
           (${sql.raw(`array[${branchIds.join(',')}]`)})[1 + g % ${BRANCHES}::int], 'full', date '2000-01-01', date '2001-01-01'
    from generate_series(1, ${MEMBERS}::int) g`);
  const firstBranch = branchIds[0]!;
  const [secretaryMember] = await exec<{ id: number }>(sql`select id from members where organization_id = ${firstBranch}::int order by id limit 1`);
  const [staffMember] = await exec<{ id: number }>(sql`select id from members where organization_id = ${branchIds[1]!}::int order by id limit 1`);
  await exec(sql`insert into accounts (openid, role, organization_id, member_id, display_name, is_demo) values
    ('bench-secretary', 'secretary', ${firstBranch}::int, ${secretaryMember!.id}::int, '书记', 1),
    ('bench-staff', 'staff', ${townshipId}::int, ${staffMember!.id}::int, '党委', 1)`);

  // ---- a year of study: each member has a diligence; about 5% have lapsed for a week or more.
  const from = addDays(TODAY, -(DAYS - 1));
  await exec(sql`
    insert into study_days (member_id, day, organization_id, minutes, self_reported_minutes, last_credit)
    select m.id, d::date, m.organization_id,
           case when random() < 0.72 then 60 + (random() * 60)::int else 10 + (random() * 45)::int end,
           case when random() < 0.3 then (random() * 60)::int else 0 end,
           0
    from members m
    cross join generate_series(${from}::date, ${TODAY}::date, interval '1 day') d
    -- (d - d) keeps the draw per member-day: a predicate on m alone would be pushed below the join, one draw per member.
    where random() + (d::date - d::date) < (array[0.9, 0.75, 0.55, 0.3])[1 + m.id % 4]
      and not (m.id % 20 = 7 and d > ${TODAY}::date - 10)`);
  await exec(sql`vacuum analyze study_days`);
  await exec(sql`analyze`);
  const [{ n: dayRows } = { n: 0 }] = await exec<{ n: number }>(sql`select count(*)::int as n from study_days`);
  const [{ n: recent } = { n: 0 }] = await exec<{ n: number }>(sql`select count(distinct member_id)::int as n from study_days where day > ${TODAY}::date - 7`);
  console.log(`(members who studied in the last 7 days: ${recent})`);
  console.log(`数据准备 (setup): ${MEMBERS} members, ${BRANCHES} branches, ${dayRows.toLocaleString()} member-days in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // ---- through the real app.
  const call = jsonCall(inProcessApp(database, NOW.toISOString()).call);
  const login = async (role: 'secretary' | 'staff') => (await call('POST', '/api/auth/dev', undefined, { role })).token as string;
  const secretaryToken = await login('secretary');
  const staffToken = await login('staff');

  const measure = async (label: string, path: string, token: string) => {
    const { statements, at } = await timeRuns(RUNS, () => call('GET', path, token));
    console.log(`${label.padEnd(44)} median ${at(0.5).toFixed(1).padStart(6)} ms   p95 ${at(0.95).toFixed(1).padStart(6)} ms   (${RUNS} runs, ${statements} statements)`);
  };

  console.log(`\n延迟 (latency through the app, PostgreSQL ${(await exec<{ server_version: string }>(sql`show server_version`))[0]?.server_version}):`);
  await measure(`secretary branch week (branch of ${Math.round(MEMBERS / BRANCHES)})`, `/api/study/organizations/${firstBranch}/week`, secretaryToken);
  await measure('staff summary (30 days, township)', '/api/study/summary', staffToken);
  await measure('staff summary (92 days, township)', `/api/study/summary?from=${addDays(TODAY, -91)}&to=${TODAY}`, staffToken);
  const summary = await call('GET', '/api/study/summary', staffToken);
  console.log(`  (summary: ${(summary.branches as unknown[]).length} branches, ${(summary.trend as unknown[]).length} trend days)`);

  const explain = async (label: string, q: SQL) => {
    const rows = await exec<{ 'QUERY PLAN': string }>(sql`explain (analyze, buffers) ${q}`);
    console.log(`\n---- EXPLAIN (ANALYZE, BUFFERS): ${label}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  };
  await explain('secretary branch week', branchWeekQuery(firstBranch, weekStart(TODAY), TODAY));
  await explain('staff summary, statement 1 (branches + trend, 30 days)', summaryStatsQuery(townshipId, addDays(TODAY, -29), TODAY));
} finally {
  await database.close();
  if (process.env.KEEP_DB) console.log(`\n(kept database ${name}; drop it with: psql -c 'drop database ${name}')`);
  else await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
