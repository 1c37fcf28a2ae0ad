/**
 * County scale (a script that prints figures, not a test; also part of `npm run bench`).
 *
 * Creates a scratch database on the machine's PostgreSQL, migrates it, and
 * generates a county in SQL (INSERT … SELECT generate_series, never row by row):
 * a county committee, 20 township committees under it, 20 branches in each,
 * 30,000 members, one year of daily study in the study_days roll-up (about 11
 * million member-days), transfers, commendations, registrations and birthday
 * sign-ins. Then, through the real app in-process (JWT check, handler, JSON)
 * with a secretary and a staff principal of one township, it measures the
 * secretary's branch week, the staff study summary (30 and 92 days) and the
 * dashboard (median and p95 of several runs), and prints EXPLAIN (ANALYZE,
 * BUFFERS) of every statement those routes run, built by the app's own query
 * functions. Drops the database at the end.
 *
 *   npm run bench:county              MEMBERS=30000 TOWNSHIPS=20 RUNS=15
 *   KEEP_DB=1 npm run bench:county    keep the database to try plans by hand
 *   QUIET_PLANS=1                     print plan summaries only
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { createApp } from '../api/_app/app.js';
import type { Principal } from '../api/_app/auth.js';
import { AdjustableClock } from '../api/_app/clock.js';
import { loadConfig } from '../api/_app/config.js';
import { silentLogger } from '../api/_app/log.js';
import { loadDashboard } from '../api/_domains/dashboard.js';
import { branchWeekQuery, summaryStatsQuery } from '../api/_domains/study.js';
import { routes } from '../api/_routes.js';
import { addDays, shanghaiDate, weekStart } from '../shared/calendar.js';
import { openDatabase, statementCounter, type Db } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { median, percentile, round, scratchDatabase } from './lib.js';

export interface CountyOptions {
  members?: number;
  townships?: number;
  branchesPerTownship?: number;
  days?: number;
  runs?: number;
  printPlans?: boolean;
  log?: (line: string) => void;
}

export interface CountyTiming {
  label: string;
  path: string;
  medianMs: number;
  p95Ms: number;
  runs: number;
  statements: number;
}

export interface CountyResult {
  members: number;
  townships: number;
  branches: number;
  studyDayRows: number;
  transfers: number;
  commendations: number;
  setupSeconds: number;
  townshipMembers: number;
  timings: CountyTiming[];
  plans: { label: string; executionMs: number; planningMs: number; plan: string }[];
}

const NOW = new Date('2026-06-15T10:00:00+08:00');
const TODAY = shanghaiDate(NOW);

export async function runCounty(options: CountyOptions = {}): Promise<CountyResult> {
  const MEMBERS = options.members ?? 30_000;
  const TOWNSHIPS = options.townships ?? 20;
  const BRANCHES = options.branchesPerTownship ?? 20;
  const DAYS = options.days ?? 365;
  const RUNS = options.runs ?? 15;
  const log = options.log ?? ((line: string) => console.log(line));
  const scratch = await scratchDatabase('bench_county');
  const client = new pg.Client({ connectionString: scratch.url });
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    const t0 = performance.now();
    database = await openDatabase({ url: scratch.url, driver: 'node-postgres', poolMax: 4 });
    await migrateDatabase(database);
    await client.connect();
    const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[];
    // Bulk load: no FK checks or triggers per row (replica role), big sort memory for the index builds.
    await q(`set session_replication_role = replica`);
    await q(`set synchronous_commit = off`);
    await q(`set maintenance_work_mem = '512MB'`);
    await q(`set work_mem = '64MB'`);

    // ---- organizations: county → townships → branches; path is '/<id>/<id>/…'.
    const [county] = await q<{ id: number }>(`insert into organizations (name, kind) values ('基准县委', 'committee') returning id`);
    await q(`update organizations set path = '/' || id || '/' where id = $1`, [county!.id]);
    await q(
      `insert into organizations (name, kind, parent_id, sort_order)
       select '第' || g || '镇党委', 'committee', $1::int, g from generate_series(1, $2::int) g`,
      [county!.id, TOWNSHIPS],
    );
    await q(`update organizations set path = '/' || $1::int || '/' || id || '/' where parent_id = $1::int`, [county!.id]);
    await q(
      `insert into organizations (name, kind, parent_id, sort_order)
       select '第' || g || '村党支部', 'branch', t.id, g
       from organizations t cross join generate_series(1, $2::int) g where t.parent_id = $1::int`,
      [county!.id, BRANCHES],
    );
    await q(
      `update organizations b set path = t.path || b.id || '/' from organizations t where b.parent_id = t.id and t.parent_id = $1::int`,
      [county!.id],
    );
    await q(`create temp table branch_list as select row_number() over (order by id) - 1 as n, id from organizations where kind = 'branch'`);
    const branchCount = TOWNSHIPS * BRANCHES;

    // ---- members: spread evenly over the branches; 10% probationary; 1% transferred out.
    await q(
      `insert into members (name, gender, birth_date, id_cipher, id_hash, id_masked, phone, organization_id, category, joined_at, confirmed_at, status)
       select '党员' || g, case when g % 3 = 0 then 'female' else 'male' end, date '1950-01-01' + (g::bigint * 7919 % 20000)::int,
              'bench', 'bench-' || g, '110***********' || lpad((g % 10000)::text, 4, '0'), '138' || lpad(g::text, 8, '0'),
              b.id,
              case when g % 10 = 0 then 'probationary' else 'full' end,
              case when g % 10 = 0 then date '2025-07-01' + (g % 300) else date '1975-01-01' + (g::bigint * 104729 % 17000)::int end,
              case when g % 10 = 0 then null else date '1976-01-01' + (g::bigint * 104729 % 17000)::int end,
              case when g % 100 = 55 then 'transferred_out' else 'active' end
       from generate_series(1, $1::int) g join branch_list b on b.n = g % $2::int`,
      [MEMBERS, branchCount],
    );

    // ---- one township under the microscope: its first branch's secretary and its staff.
    const [township] = await q<{ id: number; path: string }>(`select id, path from organizations where parent_id = $1::int order by id limit 1`, [county!.id]);
    const [branch] = await q<{ id: number }>(`select id from organizations where parent_id = $1::int order by id limit 1`, [township!.id]);
    const [secretaryMember] = await q<{ id: number }>(`select id from members where organization_id = $1::int order by id limit 1`, [branch!.id]);
    const [staffMember] = await q<{ id: number }>(`select id from members where organization_id = $1::int order by id offset 1 limit 1`, [branch!.id]);
    const [secretaryAccount] = await q<{ id: number }>(
      `insert into accounts (openid, role, organization_id, member_id, display_name, is_demo) values ('bench-secretary', 'secretary', $1::int, $2::int, '书记', 1) returning id`,
      [branch!.id, secretaryMember!.id],
    );
    const [staffAccount] = await q<{ id: number }>(
      `insert into accounts (openid, role, organization_id, member_id, display_name, is_demo) values ('bench-staff', 'staff', $1::int, $2::int, '党委', 1) returning id`,
      [township!.id, staffMember!.id],
    );

    // ---- a year of study into the roll-up. Indexes are dropped and rebuilt around the load.
    const from = addDays(TODAY, -(DAYS - 1));
    const indexes = await q<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename like 'study\\_%' and tablename <> 'study_entries' and tablename <> 'study_sessions' and tablename <> 'study_events'
         and indexname not in (select conname from pg_constraint where contype = 'p')`,
    );
    const primaryKeys = await q<{ table: string; conname: string; def: string }>(
      `select c.conrelid::regclass::text as table, c.conname, pg_get_constraintdef(c.oid) as def from pg_constraint c
       where c.contype = 'p' and c.conrelid::regclass::text in ('study_days') `,
    );
    for (const i of indexes) await q(`drop index ${i.indexname}`);
    for (const k of primaryKeys) await q(`alter table ${k.table} drop constraint ${k.conname}`);
    // Each member has a diligence: most study nearly every day, some often, a few rarely; 5% lapsed in the last 10 days.
    await q(
      `insert into study_days (member_id, day, organization_id, minutes, self_reported_minutes, last_credit)
       select m.id, d::date, m.organization_id,
              case when random() < (array[0.85, 0.7, 0.5, 0.3])[1 + m.id % 4] then 60 + (random() * 60)::int else 5 + (random() * 50)::int end,
              case when random() < 0.3 then (random() * 60)::int else 0 end,
              0
       from members m
       cross join generate_series($1::date, $2::date, interval '1 day') d
       -- (d - d) keeps the draw per member-day: a predicate on m alone would be evaluated once per member.
       where random() + (d::date - d::date) < (array[0.99, 0.97, 0.93, 0.85])[1 + m.id % 4]
         and not (m.id % 20 = 7 and d > $2::date - 10)`,
      [from, TODAY],
    );
    for (const k of primaryKeys) await q(`alter table ${k.table} add constraint ${k.conname} ${k.def}`);
    for (const i of indexes) await q(i.indexdef);
    await rebuildRollups(q);

    // ---- transfers (2% of members, mixed states), commendations, registrations, birthday sign-ins.
    await q(
      `insert into transfers (kind, state, member_id, member_name, gender, ethnicity, category, id_masked, from_organization_id, from_organization_name,
                              to_organization_id, to_organization_name, scope, reason, dues_paid_through, contact_phone, applicant_account_id, applied_on,
                              letter_year, letter_sequence, letter_number, letter_issued_on, validity_days, letter_expires_on, receipt_due_on, completed_on)
       select case when g % 3 = 0 then 'internal' else 'out' end,
              (array['pending_branch', 'pending_committee', 'letter_issued', 'completed', 'completed', 'rejected'])[1 + g % 6],
              m.id, m.name, m.gender, m.ethnicity, m.category, m.id_masked, m.organization_id, o.name,
              case when g % 3 = 0 then (select b.id from branch_list b where b.n = (g * 7) % $2::int) end, '外县党组织',
              'in_county', 'job', '2026-05', m.phone, $3::int, date '2026-06-15' - (g % 300),
              case when g % 6 in (2, 3, 4) then 2026 end, case when g % 6 in (2, 3, 4) then g end,
              case when g % 6 in (2, 3, 4) then '2026-' || g end,
              case when g % 6 in (2, 3, 4) then date '2026-06-15' - (g % 300) + 3 end,
              case when g % 6 in (2, 3, 4) then 30 end,
              case when g % 6 in (2, 3, 4) then date '2026-06-15' - (g % 300) + 33 end,
              case when g % 6 in (2, 3, 4) then date '2026-06-15' - (g % 300) + 63 end,
              case when g % 6 in (3, 4) then date '2026-06-15' - (g % 300) + 20 end
       from generate_series(1, $1::int) g join members m on m.id = g * 50 join organizations o on o.id = m.organization_id`,
      [Math.floor(MEMBERS / 50), branchCount, staffAccount!.id],
    );
    await q(
      `insert into commendations (category, member_id, organization_id, level, year, title, awarded_on, issued_by)
       select (array['outstanding_member', 'outstanding_worker'])[1 + g % 2], m.id, m.organization_id, (array['township', 'county', 'city'])[1 + g % 3],
              2025 + g % 2, '表彰', date '2025-07-01' + (g % 2) * 365, '党委'
       from generate_series(1, $1::int) g join members m on m.id = g * 20`,
      [Math.floor(MEMBERS / 20)],
    );
    await q(
      `insert into commendations (category, member_id, organization_id, level, year, title, awarded_on, issued_by)
       select 'advanced_organization', null, b.id, 'township', 2026, '表彰', date '2026-07-01', '党委' from branch_list b where b.n % 5 = 0`,
    );
    await q(
      `insert into commendation_targets (organization_id, year, category, target)
       select t.id, 2026, c, 10 from organizations t cross join unnest(array['outstanding_member', 'outstanding_worker', 'advanced_organization']) c where t.parent_id = $1::int`,
      [county!.id],
    );
    await q(`insert into accounts (openid, role, display_name) select 'reg-' || g, 'applicant', '申请人' from generate_series(1, $1::int) g`, [
      Math.floor(MEMBERS / 50),
    ]);
    await q(
      `insert into registrations (account_id, organization_id, name, gender, ethnicity, birth_date, id_cipher, id_hash, id_masked, phone, category, joined_at, status, created_at)
       select a.id, b.id, '申请人' || g, 'male', '汉族', date '1990-01-01', 'bench', 'reg-' || g, '110***********0000', '139' || lpad(g::text, 8, '0'),
              'full', date '2010-01-01', 'pending', $2::timestamptz - (g % 30) * interval '1 day'
       from generate_series(1, $1::int) g join branch_list b on b.n = g % $3::int join accounts a on a.openid = 'reg-' || g`,
      [Math.floor(MEMBERS / 50), NOW.toISOString(), branchCount],
    ).catch((err: Error) => log(`  (registrations not generated: ${err.message})`));
    await q(
      `insert into birthday_sign_ins (member_id, year, years, mode, signed_at)
       select m.id, 2026, 2026 - extract(year from m.joined_at)::int, 'individual', $1::timestamptz
       from members m where extract(month from m.joined_at) = 6 and extract(year from m.joined_at) < 2026 and m.id % 2 = 0`,
      [NOW.toISOString()],
    );
    await q(`set session_replication_role = origin`);
    await q(`vacuum analyze`);

    const [counts] = await q<{ days: number; transfers: number; commendations: number; township_members: number }>(
      `select (select count(*) from study_days)::int as days, (select count(*) from transfers)::int as transfers,
              (select count(*) from commendations)::int as commendations,
              (select count(*) from members m join organizations o on o.id = m.organization_id where o.path like $1 || '%' and m.status = 'active')::int as township_members`,
      [township!.path],
    );
    const setupSeconds = (performance.now() - t0) / 1000;
    log(
      `county: ${MEMBERS.toLocaleString()} members, ${TOWNSHIPS} townships × ${BRANCHES} branches, ${counts!.days.toLocaleString()} member-days, ` +
        `${counts!.transfers} transfers, ${counts!.commendations} commendations, generated in ${setupSeconds.toFixed(0)} s`,
    );

    // ---- through the real app.
    const app = createApp(
      {
        database,
        config: loadConfig({ APP_ENV: 'test', LOGIN_RATE_LIMIT: '1000000' }),
        clock: new AdjustableClock(NOW.toISOString()),
        wechat: { code2session: () => Promise.reject(new Error('unused')) },
        logger: silentLogger,
      },
      routes,
    );
    const call = async (method: string, urlPath: string, token?: string, body?: unknown) => {
      const res = await app.fetch(
        new Request(`http://bench.local${urlPath}`, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) throw new Error(`${urlPath}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const login = async (role: 'secretary' | 'staff', accountId: number) =>
      (await call('POST', '/api/auth/dev', undefined, { role, accountId })).token as string;
    const secretaryToken = await login('secretary', secretaryAccount!.id);
    const staffToken = await login('staff', staffAccount!.id);

    const timings: CountyTiming[] = [];
    const measure = async (label: string, urlPath: string, token: string) => {
      for (let i = 0; i < 3; i++) await call('GET', urlPath, token); // warm-up
      const times: number[] = [];
      let statements = 0;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const { statements: n } = await statementCounter.measure(() => call('GET', urlPath, token));
        times.push(performance.now() - started);
        statements = n;
      }
      const timing = { label, path: urlPath, medianMs: round(median(times)), p95Ms: round(percentile(times, 95)), runs: RUNS, statements };
      timings.push(timing);
      log(`  ${label.padEnd(40)} median ${String(timing.medianMs).padStart(6)} ms   p95 ${String(timing.p95Ms).padStart(6)} ms   (${RUNS} runs, ${statements} statements)`);
    };
    const [{ v: version } = { v: '' }] = await q<{ v: string }>(`select current_setting('server_version') as v`);
    log(`latency through the app (PostgreSQL ${version}, one township of ${counts!.township_members} active members):`);
    await measure(`secretary branch week (branch of ~${Math.round(MEMBERS / branchCount)})`, `/api/study/organizations/${branch!.id}/week`, secretaryToken);
    await measure('staff study summary, 30 days', '/api/study/summary', staffToken);
    await measure('staff study summary, 92 days', `/api/study/summary?from=${addDays(TODAY, -91)}&to=${TODAY}`, staffToken);
    await measure('staff dashboard', '/api/dashboard', staffToken);
    await measure('secretary dashboard', '/api/dashboard', secretaryToken);

    // ---- plans of the statements those routes run, built by the app's own functions.
    const plans: CountyResult['plans'] = [];
    const explain = async (label: string, query: SQL) => {
      const rows = (await database!.db.execute(sql`explain (analyze, buffers) ${query}`)) as unknown as { rows: { 'QUERY PLAN': string }[] };
      const plan = rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      const executionMs = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
      const planningMs = Number(/Planning Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN);
      plans.push({ label, executionMs, planningMs, plan });
      if (options.printPlans !== false) log(`\n---- EXPLAIN (ANALYZE, BUFFERS): ${label}\n${plan}`);
      else log(`  plan: ${label.padEnd(52)} execution ${executionMs.toFixed(1)} ms, planning ${planningMs.toFixed(1)} ms`);
    };
    await explain('secretary branch week', branchWeekQuery(branch!.id, weekStart(TODAY), TODAY));
    await explain('staff summary 30 days, statement 1 (branches + trend)', summaryStatsQuery(township!.id, addDays(TODAY, -29), TODAY));
    await explain('staff summary 92 days, statement 1 (branches + trend)', summaryStatsQuery(township!.id, addDays(TODAY, -91), TODAY));
    const staff: Principal = { accountId: staffAccount!.id, role: 'staff', organizationId: township!.id, memberId: staffMember!.id, authVersion: 1 };
    for (const query of await capturedStatements((db) => loadDashboard(db, staff, TODAY), database.db)) {
      await explain('staff dashboard (its one statement)', query);
    }

    return {
      members: MEMBERS,
      townships: TOWNSHIPS,
      branches: branchCount,
      studyDayRows: counts!.days,
      transfers: counts!.transfers,
      commendations: counts!.commendations,
      setupSeconds: round(setupSeconds),
      townshipMembers: counts!.township_members,
      timings,
      plans,
    };
  } finally {
    await client.end().catch(() => {});
    await database?.close();
    if (process.env.KEEP_DB) log(`(kept database ${scratch.name}; drop it with: psql -h 127.0.0.1 -U postgres -c 'drop database ${scratch.name}')`);
    else await scratch.drop();
  }
}

/**
 * Roll-up tables derived from study_days, rebuilt in one statement each after
 * the bulk load (the load bypasses the triggers that maintain them).
 */
async function rebuildRollups(q: (text: string) => Promise<unknown[]>): Promise<void> {
  const [exists] = (await q(`select to_regclass('public.study_org_days') is not null as ok`)) as { ok: boolean }[];
  if (!exists?.ok) return;
  await q(`truncate study_org_days`);
  await q(`insert into study_org_days (organization_id, day, met_members, studied_members, total_minutes)
           select d.organization_id, d.day, count(*) filter (where d.minutes >= 60), count(*) filter (where d.minutes > 0), sum(d.minutes)
           from study_days d join members m on m.id = d.member_id and m.status = 'active' and m.organization_id = d.organization_id
           group by d.organization_id, d.day`);
}

/**
 * Runs a query function against a stand-in db that records the SQL of every
 * `execute` instead of running it (the first one ends the function), so the
 * plan printed is of the statement the app sends.
 */
async function capturedStatements(fn: (db: Db) => Promise<unknown>, db: Db): Promise<SQL[]> {
  const captured: SQL[] = [];
  const stop = new Error('captured');
  const recorder = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return (query: SQL) => {
          captured.push(query);
          return Promise.reject(stop);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  await fn(recorder).catch((err: unknown) => {
    if (err !== stop) throw err;
  });
  return captured;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runCounty({
    members: process.env.MEMBERS ? Number(process.env.MEMBERS) : undefined,
    townships: process.env.TOWNSHIPS ? Number(process.env.TOWNSHIPS) : undefined,
    runs: process.env.RUNS ? Number(process.env.RUNS) : undefined,
    printPlans: !process.env.QUIET_PLANS,
  });
}
