/**
 * A county as the tenancy models it (issue 17), generated in bulk SQL on a migrated database:
 * the county root (organizations.kind 'county', the only one, at the root), township committees
 * under it (the tenants), village branches under those, the roster, one account per role
 * (county staff, township staff, a branch secretary, a member), a year of study, a year of
 * organizational life, transfers, commendations, registrations, complaints, birthday sign-ins.
 *
 * Everything goes through the real schema: CHECK, unique and NOT NULL constraints always hold,
 * foreign keys and triggers are live for every table except the three bulk tables
 * (study_days, orglife_attendance, orglife_study_credits), which load with triggers off
 * (session_replication_role = replica: a per-row trigger over 11 million rows would take the
 * whole bench budget); their roll-up (study_org_days) is then rebuilt in one statement, and
 * their foreign keys are verified by anti-joins afterwards, so a broken row fails the bench.
 */
import type pg from 'pg';
import { addDays } from '../shared/calendar.js';

export type Query = <T = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<T[]>;

export interface CountyShape {
  members: number;
  townships: number;
  branchesPerTownship: number;
  days: number;
  today: string;
}

export interface CountyFixture {
  countyId: number;
  township: { id: number; path: string };
  branchId: number;
  accounts: { county: number; staff: number; secretary: number; member: number };
  counts: { studyDays: number; transfers: number; commendations: number; meetings: number; attendance: number; townshipMembers: number };
}

export const queryOn = (client: pg.Client): Query => async (text, values = []) => (await client.query(text, values)).rows;

export async function buildCounty(q: Query, shape: CountyShape): Promise<CountyFixture> {
  const { members: MEMBERS, townships: TOWNSHIPS, branchesPerTownship: BRANCHES, today } = shape;
  await q(`set synchronous_commit = off`);
  await q(`set maintenance_work_mem = '512MB'`);
  await q(`set work_mem = '64MB'`);

  // ---- the tree: county → townships (kind 'committee') → branches; path is '/<id>/<id>/…'.
  const [county] = await q<{ id: number }>(`insert into organizations (name, kind, path, settings) values ('基准县委组织部', 'county', '', '{"birthdayWindow":"month"}') returning id`);
  const countyId = county!.id;
  await q(`update organizations set path = '/' || id || '/' where id = $1`, [countyId]);
  await q(
    `insert into organizations (name, kind, parent_id, sort_order, path)
     select '第' || g || '镇党委', 'committee', $1::int, g, '' from generate_series(1, $2::int) g`,
    [countyId, TOWNSHIPS],
  );
  await q(`update organizations set path = '/' || $1::int || '/' || id || '/' where parent_id = $1::int`, [countyId]);
  await q(
    `insert into organizations (name, kind, parent_id, sort_order, path, settings)
     select '第' || g || '村党支部', 'branch', t.id, g, '', '{"establishedOn":"2001-07-01"}'
     from organizations t cross join generate_series(1, $2::int) g where t.parent_id = $1::int`,
    [countyId, BRANCHES],
  );
  await q(`update organizations b set path = t.path || b.id || '/' from organizations t where b.parent_id = t.id and t.parent_id = $1::int`, [countyId]);
  await q(`create temp table branch_list as select row_number() over (order by id) - 1 as n, id, parent_id from organizations where kind = 'branch'`);
  const branchCount = TOWNSHIPS * BRANCHES;

  // ---- the roster: spread evenly; 10% 预备党员, 1% transferred out; ages, ethnicities and schooling vary.
  await q(
    `insert into members (name, gender, ethnicity, education, birth_date, id_cipher, id_hash, id_masked, phone, organization_id, category, joined_at, confirmed_at, status)
     select '党员' || g, case when g % 3 = 0 then 'female' else 'male' end,
            case when g % 17 = 0 then '回族' else '汉族' end, (array['小学', '初中', '高中', '中专', '大专', '本科', '研究生'])[1 + g % 7],
            j.joined - (6600 + g % 9000), 'bench', 'bench-' || g, '110***********' || lpad((g % 10000)::text, 4, '0'), '138' || lpad(g::text, 8, '0'),
            b.id, case when g % 10 = 0 then 'probationary' else 'full' end, j.joined,
            case when g % 10 = 0 then null else j.joined + 366 end,
            case when g % 100 = 55 then 'transferred_out' else 'active' end
     from generate_series(1, $1::int) g join branch_list b on b.n = g % $2::int
     cross join lateral (select case when g % 10 = 0 then date '2025-07-01' + (g % 300) else date '1975-01-01' + (g::bigint * 104729 % 17000)::int end as joined) j`,
    [MEMBERS, branchCount],
  );

  // ---- one township under the microscope: its first branch's secretary, its staff, a member; and county staff.
  const [township] = await q<{ id: number; path: string }>(`select id, path from organizations where parent_id = $1::int order by sort_order, id limit 1`, [countyId]);
  const [branch] = await q<{ id: number }>(`select id from organizations where parent_id = $1::int order by sort_order, id limit 1`, [township!.id]);
  const people = await q<{ id: number }>(`select id from members where organization_id = $1::int and status = 'active' order by id limit 3`, [branch!.id]);
  const account = async (openid: string, role: string, org: number | null, member: number | null) =>
    (await q<{ id: number }>(
      `insert into accounts (openid, role, organization_id, member_id, display_name, is_demo) values ($1, $2, $3, $4, $1, 1) returning id`,
      [openid, role, org, member],
    ))[0]!.id;
  const accounts = {
    secretary: await account('bench-secretary', 'secretary', branch!.id, people[0]!.id),
    staff: await account('bench-staff', 'staff', township!.id, people[1]!.id),
    member: await account('bench-member', 'member', null, people[2]!.id),
    county: await account('bench-county', 'county', countyId, null),
  };
  // Every branch has a secretary account (the 学时 figure of officers counts them).
  await q(
    `insert into accounts (openid, role, organization_id, member_id, display_name)
     select 'sec-' || b.id, 'secretary', b.id, (select min(m.id) from members m where m.organization_id = b.id and m.status = 'active'), '书记'
     from branch_list b where b.id <> $1::int`,
    [branch!.id],
  );

  await loadStudy(q, shape);
  await loadOrglife(q, today);
  await loadRecords(q, { members: MEMBERS, branchCount, staffAccount: accounts.staff, countyId, today });
  await verifyForeignKeys(q);
  await q(`vacuum analyze`);

  const [counts] = await q<CountyFixture['counts']>(
    `select (select count(*) from study_days)::int as "studyDays", (select count(*) from transfers)::int as transfers,
            (select count(*) from commendations)::int as commendations, (select count(*) from orglife_meetings)::int as meetings,
            (select count(*) from orglife_attendance)::int as attendance,
            (select count(*) from members m join organizations o on o.id = m.organization_id where o.path like $1 || '%' and m.status = 'active')::int as "townshipMembers"`,
    [township!.path],
  );
  return { countyId, township: township!, branchId: branch!.id, accounts, counts: counts! };
}

/** A year of study in the study_days roll-up, indexes rebuilt around the load; study_org_days rebuilt after. */
async function loadStudy(q: Query, shape: CountyShape): Promise<void> {
  const from = addDays(shape.today, -(shape.days - 1));
  const indexes = await q<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = 'study_days'
       and indexname not in (select conname from pg_constraint where contype = 'p')`,
  );
  const keys = await q<{ conname: string; def: string }>(
    `select conname, pg_get_constraintdef(oid) as def from pg_constraint where contype = 'p' and conrelid = 'study_days'::regclass`,
  );
  for (const i of indexes) await q(`drop index ${i.indexname}`);
  for (const k of keys) await q(`alter table study_days drop constraint ${k.conname}`);
  await q(`set session_replication_role = replica`);
  // Diligence per member: most study nearly every day, some often, a few rarely; 5% lapsed in the last 10 days.
  await q(
    `insert into study_days (member_id, day, organization_id, minutes, self_reported_minutes, last_credit)
     select m.id, d::date, m.organization_id,
            case when random() < (array[0.85, 0.7, 0.5, 0.3])[1 + m.id % 4] then 60 + (random() * 60)::int else 5 + (random() * 50)::int end,
            case when random() < 0.3 then (random() * 60)::int else 0 end, 0
     from members m cross join generate_series($1::date, $2::date, interval '1 day') d
     -- (d - d) keeps the draw per member-day: a predicate on m alone would be evaluated once per member.
     where random() + (d::date - d::date) < (array[0.99, 0.97, 0.93, 0.85])[1 + m.id % 4]
       and not (m.id % 20 = 7 and d > $2::date - 10)`,
    [from, shape.today],
  );
  await q(`set session_replication_role = origin`);
  for (const k of keys) await q(`alter table study_days add constraint ${k.conname} ${k.def}`);
  for (const i of indexes) await q(i.indexdef);
  await q(`truncate study_org_days`);
  await q(`insert into study_org_days (organization_id, day, met_members, studied_members, total_minutes)
           select d.organization_id, d.day, count(*) filter (where d.minutes >= 60), count(*) filter (where d.minutes > 0), sum(d.minutes)
           from study_days d join members m on m.id = d.member_id and m.status = 'active' and m.organization_id = d.organization_id
           group by d.organization_id, d.day`);
}

/**
 * A year of 组织生活 per branch: 支委会 and 党小组会 and 主题党日 monthly, 支部党员大会 and 党课 quarterly
 * (the 党课 with 学时), last year's 民主评议 completed, 谈心谈话 with about half the roster. Every
 * seventh branch skipped last month's 支委会, so the township list has overdue items.
 */
async function loadOrglife(q: Query, today: string): Promise<void> {
  const year = Number(today.slice(0, 4));
  await q(
    `insert into orglife_meetings (organization_id, type, topic, place, host, day, starts_at, ends_at, study_minutes)
     select b.id, p.type, p.topic, '党员活动室', '书记', p.day, (p.day::timestamp + time '09:00') at time zone 'Asia/Shanghai',
            (p.day::timestamp + time '10:30') at time zone 'Asia/Shanghai', p.study
     from branch_list b cross join lateral (
       select x.type, x.topic, (mo::date + (x.dom - 1)) as day, x.study
       from generate_series(date_trunc('month', $1::date - interval '12 months'), $1::date, interval '1 month') mo
       cross join (values ('branch_committee', '研究本月支部工作', 5, 0, 1), ('group_meeting', '党小组学习交流', 16, 0, 1),
                          ('party_day', '主题党日', 10, 0, 1), ('general_assembly', '支部党员大会', 20, 0, 3), ('party_lecture', '党课', 25, 120, 3)) x(type, topic, dom, study, every)
       where extract(month from mo)::int % x.every = 0 and mo::date + (x.dom - 1) < $1::date
         and not (x.type = 'branch_committee' and b.n % 7 = 0 and mo = date_trunc('month', $1::date - interval '1 month'))
     ) p`,
    [today],
  );
  await q(`set session_replication_role = replica`);
  // 应到 for this year's meetings: the branch's active roster, about 8% on leave, 4% absent.
  await q(
    `insert into orglife_attendance (meeting_id, member_id, status, leave_reason)
     select g.id, m.id, case when (m.id + g.id) % 25 < 2 then 'excused' when (m.id + g.id) % 25 = 2 then 'absent' else 'present' end,
            case when (m.id + g.id) % 25 < 2 then 'migrant_work' end
     from orglife_meetings g join members m on m.organization_id = g.organization_id and m.status = 'active'
     where g.day >= $1::date`,
    [`${year}-01-01`],
  );
  await q(
    `insert into orglife_study_credits (meeting_id, member_id, organization_id, year, day, minutes)
     select g.id, a.member_id, g.organization_id, extract(year from g.day)::int, g.day, g.study_minutes
     from orglife_meetings g join orglife_attendance a on a.meeting_id = g.id and a.status = 'present' where g.study_minutes > 0`,
  );
  await q(`set session_replication_role = origin`);
  await q(`insert into orglife_appraisals (organization_id, year, completed_on) select id, $1::int, make_date($1::int, 12, 20) from branch_list`, [year - 1]);
  await q(
    `insert into orglife_talks (organization_id, talker_member_id, with_member_id, day, topic)
     select m.organization_id, null, m.id, make_date($1::int, 1 + m.id % 5, 1 + m.id % 28), '谈心谈话'
     from members m where m.status = 'active' and m.id % 2 = 0`,
    [year],
  );
}

/** Transfers (2% of members, mixed states), commendations and targets, registrations, complaints, birthday sign-ins. */
async function loadRecords(q: Query, o: { members: number; branchCount: number; staffAccount: number; countyId: number; today: string }): Promise<void> {
  await q(
    `insert into transfers (kind, state, member_id, member_name, gender, ethnicity, category, id_masked, from_organization_id, from_organization_name,
                            to_organization_id, to_organization_name, scope, reason, dues_paid_through, contact_phone, applicant_account_id, applied_on,
                            letter_year, letter_sequence, letter_number, letter_issued_on, validity_days, letter_expires_on, receipt_due_on, completed_on)
     select case when g % 3 = 0 then 'internal' else 'out' end,
            (array['pending_branch', 'pending_committee', 'letter_issued', 'completed', 'completed', 'rejected'])[1 + g % 6],
            m.id, m.name, m.gender, m.ethnicity, m.category, m.id_masked, m.organization_id, o.name,
            case when g % 3 = 0 then (select b.id from branch_list b where b.n = (g * 7) % $2::int) end, '外县党组织',
            'in_county', 'job', '2026-05', m.phone, $3::int, $4::date - (g % 300),
            case when g % 6 in (2, 3, 4) then 2026 end, case when g % 6 in (2, 3, 4) then g end,
            case when g % 6 in (2, 3, 4) then '2026-' || g end,
            case when g % 6 in (2, 3, 4) then $4::date - (g % 300) + 3 end,
            case when g % 6 in (2, 3, 4) then 30 end,
            case when g % 6 in (2, 3, 4) then $4::date - (g % 300) + 33 end,
            case when g % 6 in (2, 3, 4) then $4::date - (g % 300) + 63 end,
            case when g % 6 in (3, 4) then $4::date - (g % 300) + 20 end
     from generate_series(1, $1::int) g join members m on m.id = g * 50 join organizations o on o.id = m.organization_id`,
    [Math.floor(o.members / 50), o.branchCount, o.staffAccount, o.today],
  );
  await q(
    `insert into commendations (category, member_id, organization_id, level, year, title, awarded_on, issued_by)
     select (array['outstanding_member', 'outstanding_worker'])[1 + g % 2], m.id, m.organization_id, (array['township', 'county', 'city'])[1 + g % 3],
            2025 + g % 2, '表彰', date '2025-07-01' + (g % 2) * 365, '党委'
     from generate_series(1, $1::int) g join members m on m.id = g * 20`,
    [Math.floor(o.members / 20)],
  );
  await q(
    `insert into commendations (category, member_id, organization_id, level, year, title, awarded_on, issued_by)
     select 'advanced_organization', null, b.id, 'township', 2026, '表彰', date '2026-07-01', '党委' from branch_list b where b.n % 5 = 0`,
  );
  await q(
    `insert into commendation_targets (organization_id, year, category, target)
     select t.id, 2026, c, 10 from organizations t cross join unnest(array['outstanding_member', 'outstanding_worker', 'advanced_organization']) c where t.parent_id = $1::int`,
    [o.countyId],
  );
  const applicants = Math.floor(o.members / 50);
  await q(`insert into accounts (openid, role, display_name) select 'reg-' || g, 'applicant', '申请人' from generate_series(1, $1::int) g`, [applicants]);
  await q(
    `insert into registrations (account_id, organization_id, name, gender, ethnicity, birth_date, id_cipher, id_hash, id_masked, phone, category, joined_at, status, created_at)
     select a.id, b.id, '申请人' || g, 'male', '汉族', date '1990-01-01', 'bench', 'reg-' || g, '110***********0000', '139' || lpad(g::text, 8, '0'),
            'full', date '2010-01-01', 'pending', ($2::date)::timestamptz - (g % 30) * interval '1 day'
     from generate_series(1, $1::int) g join branch_list b on b.n = g % $3::int join accounts a on a.openid = 'reg-' || g`,
    [applicants, o.today, o.branchCount],
  );
  await q(
    `insert into feedback (account_id, township_id, organization_id, kind, topic, body, state)
     select a.id, b.parent_id, b.id, (array['complaint', 'suggestion'])[1 + a.id % 2], 'work', '希望村里多开展学习活动', (array['open', 'closed'])[1 + a.id % 2]
     from accounts a join branch_list b on b.id = a.organization_id where a.role = 'secretary'`,
  );
  await q(
    `insert into birthday_sign_ins (member_id, year, years, mode, signed_at)
     select m.id, 2026, 2026 - extract(year from m.joined_at)::int, 'individual', ($1::date)::timestamptz
     from members m where extract(month from m.joined_at) = 6 and extract(year from m.joined_at) < 2026 and m.id % 2 = 0`,
    [o.today],
  );
}

/** The bulk tables loaded with triggers off: every reference must still resolve. */
async function verifyForeignKeys(q: Query): Promise<void> {
  const [bad] = await q<{ n: number }>(
    `select ((select count(*) from study_days d where not exists (select 1 from members m where m.id = d.member_id)
                or not exists (select 1 from organizations o where o.id = d.organization_id))
           + (select count(*) from orglife_attendance a where not exists (select 1 from orglife_meetings g where g.id = a.meeting_id)
                or not exists (select 1 from members m where m.id = a.member_id))
           + (select count(*) from orglife_study_credits c where not exists (select 1 from orglife_meetings g where g.id = c.meeting_id)
                or not exists (select 1 from members m where m.id = c.member_id)))::int as n`,
  );
  if (bad!.n !== 0) throw new Error(`county: ${bad!.n} bulk rows reference nothing`);
}
