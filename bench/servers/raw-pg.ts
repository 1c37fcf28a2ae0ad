/**
 * (b) The floor a framework can approach: a bare Node HTTP server with a raw
 * node-postgres Pool running the SAME SQL as the app's study check-in (its one
 * CTE statement, self-report case) and `GET /api/study/me` (its one statement),
 * and nothing else: no JWT, no zod, no router, no drizzle. The member and
 * account come from headers (`x-member-id`, `x-account-id`); the day from
 * `x-day` (the bench moves the app's clock a day per check-in run, and this
 * server follows with the header).
 *
 * The statements are copied from api/_domains/study.ts (checkIn, myStudy);
 * `npm run bench` prints both drivers' statement counts so a drift shows.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
pool.on('error', () => {});

const CAP = 60;
const TARGET = 60;

const ENTRY_JSON = (a: string) =>
  `json_build_object('id', ${a}.id, 'member_id', ${a}.member_id, 'day', ${a}.day, 'minutes', ${a}.minutes, ` +
  `'requested_minutes', ${a}.requested_minutes, 'way', ${a}.way, 'topic', ${a}.topic, 'source', ${a}.source, ` +
  `'session_id', ${a}.session_id, 'event_id', ${a}.event_id, 'created_at', ${a}.created_at, 'request_hash', ${a}.request_hash)`;
const SESSION_JSON = (a: string) =>
  `json_build_object('id', ${a}.id, 'way', ${a}.way, 'topic', ${a}.topic, 'started_at', ${a}.started_at, ` +
  `'finished_at', ${a}.finished_at, 'status', ${a}.status, 'credited_minutes', ${a}.credited_minutes, 'credited_day', ${a}.credited_day)`;

// $1 member, $2 account, $3 key, $4 day, $5 requested minutes, $6 way, $7 topic, $8 source, $9 fingerprint, $10 now, $11 role, $12 cap
const CHECK_IN = `
    with target as (
      select m.id, m.organization_id, (true) as allowed from members m where m.id = $1::int and m.status = 'active'
    ),
    existing as (
      select * from study_entries e where e.account_id = $2::int and e.idempotency_key = $3
    ),
    credit as (
      insert into study_days as d (member_id, day, organization_id, minutes, self_reported_minutes, last_credit)
      select t.id, $4::date, t.organization_id, $5::int, $5::int, $5::int
      from target t where t.allowed and not exists (select 1 from existing)
      on conflict (member_id, day) do update set
        last_credit = least(excluded.self_reported_minutes, $12::int - d.self_reported_minutes),
        minutes = d.minutes + least(excluded.self_reported_minutes, $12::int - d.self_reported_minutes),
        self_reported_minutes = d.self_reported_minutes + least(excluded.self_reported_minutes, $12::int - d.self_reported_minutes),
        organization_id = excluded.organization_id
      returning member_id, organization_id, last_credit
    ),
    inserted as (
      insert into study_entries (member_id, organization_id, day, minutes, requested_minutes, way, topic, source, account_id, idempotency_key, request_hash, created_at)
      select c.member_id, c.organization_id, $4::date, c.last_credit, $5::int, $6, $7,
             $8, $2::int, $3, $9, $10::timestamptz
      from credit c where c.last_credit > 0
      returning *
    ),
    audited as (
      insert into audit_log (actor_account_id, actor_role, action, target_type, target_id, at, details)
      select $2::int, $11, 'study.proxy_checkin', 'member', i.member_id::text, $10::timestamptz,
             jsonb_build_object('entryId', i.id, 'day', i.day, 'minutes', i.minutes, 'requestedMinutes', i.requested_minutes, 'way', i.way, 'topic', i.topic)
      from inserted i where false::boolean
      returning id
    )
    select (select row_to_json(t) from target t) as target,
           (select ${ENTRY_JSON('x')} from existing x) as existing,
           (select ${ENTRY_JSON('x')} from inserted x) as inserted,
           (select count(*) from audited)::int as audited`;

// $1 member, $2 today, $3 year start, $4 month from, $5 month to, $6 streak window start, $7 target
const MY_STUDY = `select
      (select json_build_object('minutes', d.minutes, 'self_reported_minutes', d.self_reported_minutes)
         from study_days d where d.member_id = $1::int and d.day = $2::date) as today,
      (select coalesce(sum(d.minutes), 0)::int from study_days d
         where d.member_id = $1::int and d.day between $3::date and $2::date) as year_minutes,
      (select json_agg(json_build_object('day', d.day, 'minutes', d.minutes) order by d.day) from study_days d
         where d.member_id = $1::int and d.day between $4::date and $5::date and d.minutes > 0) as calendar,
      (select json_agg(d.day order by d.day desc) from study_days d
         where d.member_id = $1::int and d.day between $6::date and $2::date
           and d.minutes >= $7::int) as met_days,
      (select json_agg(${ENTRY_JSON('e')} order by e.created_at desc, e.id desc) from
         (select * from study_entries e where e.member_id = $1::int order by e.created_at desc, e.id desc limit 10) e) as recent,
      (select ${SESSION_JSON('s')} from study_sessions s where s.member_id = $1::int and s.status = 'open') as open_session`;

const shanghaiDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const monthEnd = (day: string) => {
  const d = new Date(Date.parse(`${day.slice(0, 7)}-01T00:00:00Z`));
  d.setUTCMonth(d.getUTCMonth() + 1);
  return addDays(d.toISOString().slice(0, 10), -1);
};

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      const memberId = Number(req.headers['x-member-id']);
      const accountId = Number(req.headers['x-account-id']);
      const now = new Date();
      const today = typeof req.headers['x-day'] === 'string' ? req.headers['x-day'] : shanghaiDay(now);
      if (req.method === 'POST' && req.url === '/checkin') {
        const raw = Buffer.concat(chunks).toString();
        const body = JSON.parse(raw) as { way: string; topic: string; minutes: number };
        const key = String(req.headers['idempotency-key'] ?? '');
        const fingerprint = createHash('sha256').update(`study.checkin:${raw}`).digest('hex');
        const { rows } = await pool.query(CHECK_IN, [
          memberId, accountId, key, today, body.minutes, body.way, body.topic, 'self_report', fingerprint, now.toISOString(), 'member', CAP,
        ]);
        const row = rows[0] as { existing: unknown; inserted: unknown };
        if (row.existing) return send(res, 201, row.existing);
        if (!row.inserted) return send(res, 422, { error: { code: 'unprocessable', message: '今天自主填报已满' } });
        return send(res, 201, row.inserted);
      }
      if (req.method === 'GET' && req.url?.startsWith('/me')) {
        const { rows } = await pool.query(MY_STUDY, [
          memberId, today, `${today.slice(0, 4)}-01-01`, `${today.slice(0, 7)}-01`, monthEnd(today), addDays(today, -400), TARGET,
        ]);
        return send(res, 200, rows[0]);
      }
      send(res, 404, { error: 'not found' });
    })().catch((err: Error) => send(res, 500, { error: err.message }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`READY ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
