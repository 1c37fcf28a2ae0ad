/**
 * The dashboard at township scale (a script that prints figures, not a test).
 *
 * Creates a fresh database on the machine's PostgreSQL, migrates it, fills a
 * township of 2,000 members in 20 branches with a year of daily study (the
 * same shape as bench/study-scale.ts, whose generator is inline in that script
 * and so cannot be imported), plus waiting registrations, open transfers,
 * political-birthday sign-ins, commendations and targets. Then it measures
 * GET /api/dashboard through the real app (JWT check, handler, JSON) for staff
 * and for a secretary: median and p95 latency and the number of SQL statements,
 * and the handler's own time. Drops the database at the end.
 *
 *   npm run bench:dashboard          (TEST_PG_URL overrides the server)
 *   RUNS=50 MEMBERS=5000 npm run bench:dashboard
 *   KEEP_DB=1 npm run bench:dashboard
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { addDays, shanghaiDate } from '../shared/calendar.js';
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
const YEAR = Number(TODAY.slice(0, 4));

const name = `bench_dash_${randomBytes(4).toString('hex')}`;
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

  // ---- the township: a committee, 20 branches, 2,000 members (a tenth 预备党员), a secretary and a staff account.
  const [township] = await exec<{ id: number }>(sql`insert into organizations (name, kind) values ('基准镇党委', 'committee') returning id`);
  const townshipId = township!.id;
  await exec(sql`update organizations set path = '/' || id || '/' where id = ${townshipId}`);
  await exec(sql`
    insert into organizations (name, kind, parent_id, path, sort_order)
    select '第' || g || '村党支部', 'branch', ${townshipId}::int, '', g from generate_series(1, ${BRANCHES}::int) g`);
  await exec(sql`update organizations set path = '/' || ${townshipId}::int || '/' || id || '/' where parent_id = ${townshipId}::int`);
  const branchIds = (await exec<{ id: number }>(sql`select id from organizations where parent_id = ${townshipId}::int order by id`)).map((b) => b.id);
  const branchArray = sql.raw(`array[${branchIds.join(',')}]`);
  await exec(sql`
    insert into members (name, gender, birth_date, id_cipher, id_hash, id_masked, phone, organization_id, category, joined_at, confirmed_at)
    select '党员' || g, case when g % 3 = 0 then 'female' else 'male' end, date '1960-01-01' + (g % 15000),
           'bench', 'bench-' || g, '110***********' || lpad((g % 10000)::text, 4, '0'), '138' || lpad(g::text, 8, '0'),
           (${branchArray})[1 + g % ${BRANCHES}::int],
           case when g % 10 = 0 then 'probationary' else 'full' end,
           date '1975-01-01' + (g * 37 % 17000),
           case when g % 10 = 0 then null else date '1975-01-01' + (g * 37 % 17000) + 366 end
    from generate_series(1, ${MEMBERS}::int) g`);
  const firstBranch = branchIds[0]!;
  const [secretaryMember] = await exec<{ id: number }>(sql`select id from members where organization_id = ${firstBranch}::int order by id limit 1`);
  const [staffMember] = await exec<{ id: number }>(sql`select id from members where organization_id = ${branchIds[1]!}::int order by id limit 1`);
  await exec(sql`insert into accounts (openid, role, organization_id, member_id, display_name, is_demo) values
    ('bench-secretary', 'secretary', ${firstBranch}::int, ${secretaryMember!.id}::int, '书记', 1),
    ('bench-staff', 'staff', ${townshipId}::int, ${staffMember!.id}::int, '党委', 1)`);
  const [staffAccount] = await exec<{ id: number }>(sql`select id from accounts where openid = 'bench-staff'`);

  // ---- a year of study, as in bench/study-scale.ts: diligence varies by member.
  const from = addDays(TODAY, -(DAYS - 1));
  await exec(sql`
    insert into study_days (member_id, day, organization_id, minutes, self_reported_minutes, last_credit)
    select m.id, d::date, m.organization_id,
           case when random() < 0.72 then 60 + (random() * 60)::int else 10 + (random() * 45)::int end,
           case when random() < 0.3 then (random() * 60)::int else 0 end, 0
    from members m
    cross join generate_series(${from}::date, ${TODAY}::date, interval '1 day') d
    where random() + (d::date - d::date) < (array[0.9, 0.75, 0.55, 0.3])[1 + m.id % 4]
      and not (m.id % 20 = 7 and d > ${TODAY}::date - 10)`);

  // ---- waiting work: 60 registrations (some over a week old), 80 transfers in various states.
  await exec(sql`
    insert into accounts (openid, role, display_name) select 'bench-applicant-' || g, 'applicant', '申请人' || g from generate_series(1, 60) g`);
  await exec(sql`
    insert into registrations (account_id, organization_id, name, gender, ethnicity, birth_date, id_cipher, id_hash, id_masked, phone, category, joined_at, confirmed_at, created_at)
    select a.id, (${branchArray})[1 + g % ${BRANCHES}::int], '申请人' || g, 'male', '汉族', date '1990-01-01', 'bench', 'bench-reg-' || g,
           '110***********0000', '13900000000', 'full', date '2015-07-01', date '2016-07-01', ${NOW.toISOString()}::timestamptz - (g % 20) * interval '1 day'
    from generate_series(1, 60) g join accounts a on a.openid = 'bench-applicant-' || g`);
  await exec(sql`
    insert into transfers (kind, state, member_id, member_name, gender, ethnicity, category, id_masked, from_organization_id, from_organization_name,
                           to_organization_name, scope, reason, dues_paid_through, contact_phone, applicant_account_id, applied_on,
                           letter_expires_on, receipt_due_on)
    select 'out', (array['pending_branch', 'pending_committee', 'letter_issued', 'completed'])[1 + g % 4], m.id, m.name, m.gender, '汉族', m.category,
           m.id_masked, m.organization_id, '支部', '外县党支部', 'in_province', 'job', '2026-05', '13800000000', ${staffAccount!.id}::int,
           ${TODAY}::date - g, ${TODAY}::date - g + 30, ${TODAY}::date - g + 31
    from generate_series(1, 80) g join members m on m.id = g * 17`);

  // ---- political birthdays this month: most have signed in.
  await exec(sql`
    insert into birthday_sign_ins (member_id, year, years, mode, signed_at)
    select m.id, ${YEAR}::int, ${YEAR}::int - extract(year from m.joined_at)::int, 'individual', ${NOW.toISOString()}::timestamptz
    from members m where extract(month from m.joined_at) = ${Number(TODAY.slice(5, 7))}::int and m.id % 3 <> 0`);

  // ---- commendations: 300 over two years, and this year's targets.
  await exec(sql`
    insert into commendations (category, member_id, organization_id, level, year, title, awarded_on, issued_by)
    select case when g % 5 = 0 then 'outstanding_worker' else 'outstanding_member' end, m.id, m.organization_id,
           (array['township', 'county', 'city'])[1 + g % 3], ${YEAR}::int - g % 2, '年度先进', ${TODAY}::date - (g % 300), '基准镇党委'
    from generate_series(1, 300) g join members m on m.id = g * 6`);
  await exec(sql`insert into commendations (category, organization_id, level, year, title, awarded_on, issued_by)
    select 'advanced_organization', id, 'township', ${YEAR}::int, '先进基层党组织', ${TODAY}::date - 30, '基准镇党委' from organizations where parent_id = ${townshipId}::int limit 4`);
  await exec(sql`insert into commendation_targets (organization_id, year, category, target) values
    (${townshipId}::int, ${YEAR}::int, 'outstanding_member', 150), (${townshipId}::int, ${YEAR}::int, 'outstanding_worker', 40), (${townshipId}::int, ${YEAR}::int, 'advanced_organization', 5)`);

  await exec(sql`vacuum analyze`);
  const [{ n: dayRows } = { n: 0 }] = await exec<{ n: number }>(sql`select count(*)::int as n from study_days`);
  console.log(`数据准备 (setup): ${MEMBERS} members, ${BRANCHES} branches, ${dayRows.toLocaleString()} member-days of study, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // ---- through the real app.
  const call = jsonCall(inProcessApp(database, NOW.toISOString()).call);
  const login = async (role: 'secretary' | 'staff') => (await call('POST', '/api/auth/dev', undefined, { role })).token as string;
  const tokens = { staff: await login('staff'), secretary: await login('secretary') };

  const measure = async (label: string, token: string) => {
    const { statements, at } = await timeRuns(RUNS, () => call('GET', '/api/dashboard', token));
    console.log(`${label.padEnd(36)} median ${at(0.5).toFixed(1).padStart(6)} ms   p95 ${at(0.95).toFixed(1).padStart(6)} ms   (${RUNS} runs, ${statements} SQL statement${statements === 1 ? '' : 's'} per request)`);
  };

  const version = (await exec<{ server_version: string }>(sql`show server_version`))[0]?.server_version;
  console.log(`\nGET /api/dashboard 延迟 (latency through the app, PostgreSQL ${version}):`);
  await measure('staff (township, 20 branches)', tokens.staff);
  await measure(`secretary (branch of ${Math.round(MEMBERS / BRANCHES)})`, tokens.secretary);

  const sample = await call('GET', '/api/dashboard', tokens.staff);
  const s = sample as unknown as {
    members: { total: number };
    registrations: { pending: number; overdue: number };
    transfers: { open: number; overdue: number };
    study: { todayPercent: number; monthPercent: number };
    birthdays: { due: number; signed: number };
    commendations: { targets: { category: string; townshipAchieved: number; target: number | null }[] };
  };
  console.log(
    `  (figures: ${s.members.total} members; registrations ${s.registrations.pending} waiting / ${s.registrations.overdue} overdue; ` +
      `transfers ${s.transfers.open} open / ${s.transfers.overdue} overdue; study today ${s.study.todayPercent}% month ${s.study.monthPercent}%; ` +
      `birthdays ${s.birthdays.signed}/${s.birthdays.due}; ` +
      s.commendations.targets.map((t) => `${t.category} ${t.townshipAchieved}/${t.target}`).join(', ') +
      ')',
  );

  // The handler alone (no HTTP, no JWT): what the SQL statement itself costs.
  const { loadDashboard } = await import('../api/_domains/dashboard.js');
  const principal = { accountId: 0, role: 'staff', organizationId: townshipId, memberId: null } as unknown as Parameters<typeof loadDashboard>[1];
  const alone: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await loadDashboard(db, principal, TODAY);
    alone.push(performance.now() - started);
  }
  alone.sort((x, y) => x - y);
  console.log(`${'handler alone (staff, no HTTP)'.padEnd(36)} median ${alone[Math.floor(alone.length / 2)]!.toFixed(1).padStart(6)} ms`);
} finally {
  await database.close();
  if (process.env.KEEP_DB) console.log(`\n(kept database ${name}; drop it with: psql -c 'drop database ${name}')`);
  else await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
