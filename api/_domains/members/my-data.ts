/** A member's own data export (PIPL right of access and copy): GET /api/me/export. */
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf } from '../../../db/client.js';
import { maskPhone } from '../../../shared/phone.js';
import * as membersApi from '../../../shared/members.js';
import { GENDER_LABELS, MEMBER_CATEGORY_LABELS, withLabels } from '../../../shared/common.js';
import { COMMENDATION_CATEGORY_LABELS, COMMENDATION_LEVEL_LABELS } from '../../../shared/commendations.js';
import { STUDY_WAY_LABELS } from '../../../shared/study.js';
import { TRANSFER_REASON_LABELS, TRANSFER_SCOPE_LABELS } from '../../../shared/transfers.js';

// The file is for the member to read: stored codes appear as the labels the app shows.
const PERSON = { gender: GENDER_LABELS, category: MEMBER_CATEGORY_LABELS };
const STUDY = { way: STUDY_WAY_LABELS };
const TRANSFER = { category: MEMBER_CATEGORY_LABELS, scope: TRANSFER_SCOPE_LABELS, reason: TRANSFER_REASON_LABELS };
const COMMENDATION = { category: COMMENDATION_CATEGORY_LABELS, level: COMMENDATION_LEVEL_LABELS };
const labelled = (rows: Record<string, unknown>[], fields: Record<string, Record<string, string>>) => rows.map((r) => withLabels(r, fields));
import { route } from '../../_app/context.js';
import { auditedReadWindow, countHit, rateLimited } from '../../_app/rate-limit.js';

const jsonArray = (query: SQL) => sql`coalesce((${query}), '[]'::json)`;

/**
 * Everything the system holds about the caller, in one statement that also
 * writes the audit entry (a data-modifying CTE) and counts it against the
 * account's limit of audited reads: the export is a sensitive read and is
 * audited like the others, without a second round trip. Secrets are left
 * out (ID cipher and hash, request fingerprints); ID and phone numbers are
 * masked as the app shows them (see MY_DATA_EXPORT_NOTICE).
 */
export const exportMyData = route(membersApi.exportMyData, async (ctx) => {
  const p = ctx.user;
  const memberId = p.memberId ?? -1;
  const target = p.memberId != null ? { type: 'member', id: String(p.memberId) } : { type: 'account', id: String(p.accountId) };
  const limit = auditedReadWindow(p.accountId, ctx.deps.config.auditedReadRateLimit, ctx.now);
  const result = await ctx.db.execute(sql`
    with counted as (${countHit(limit)}),
    audited as (
      insert into audit_log (actor_account_id, actor_role, action, target_type, target_id, at, details)
      select ${p.accountId}::int, ${p.role}, 'member.self_export', ${target.type}, ${target.id}, ${ctx.now.toISOString()}::timestamptz, '{}'::jsonb
      from counted where counted.count <= ${limit.limit}::int
      returning id
    )
    select
      (select row_to_json(x) from (
        select a.id, a.role, a.display_name as "displayName", a.openid as "wechatOpenid", a.organization_id as "organizationId",
               a.member_id as "memberId", a.created_at as "createdAt", a.last_login_at as "lastLoginAt"
        from accounts a where a.id = ${p.accountId}::int) x) as account,
      (select row_to_json(x) from (
        select m.id, m.name, m.gender, m.ethnicity, m.birth_date as "birthDate", m.id_masked as "idNumberMasked", m.phone,
               m.education, m.organization_id as "organizationId", o.name as "organizationName", m.category,
               m.joined_at as "joinedAt", m.confirmed_at as "confirmedAt", m.status, m.created_at as "createdAt", m.updated_at as "updatedAt"
        from members m join organizations o on o.id = m.organization_id where m.id = ${memberId}::int) x) as member,
      ${jsonArray(sql`select json_agg(x order by x."createdAt") from (
        select r.id, r.status, r.name, r.gender, r.ethnicity, r.birth_date as "birthDate", r.id_masked as "idNumberMasked", r.phone,
               r.organization_id as "organizationId", r.category, r.joined_at as "joinedAt", r.confirmed_at as "confirmedAt",
               r.reject_reason as "rejectReason", r.decided_at as "decidedAt", r.created_at as "createdAt"
        from registrations r where r.account_id = ${p.accountId}::int) x`)} as registrations,
      ${jsonArray(sql`select json_agg(x order by x."startedAt") from (
        select s.id, s.way, s.topic, s.started_at as "startedAt", s.finished_at as "finishedAt", s.status,
               s.credited_minutes as "creditedMinutes", s.credited_day as "creditedDay"
        from study_sessions s where s.member_id = ${memberId}::int) x`)} as study_sessions,
      ${jsonArray(sql`select json_agg(x order by x."createdAt", x.id) from (
        select e.id, e.day, e.minutes, e.requested_minutes as "requestedMinutes", e.way, e.topic, e.source, e.event_id as "eventId",
               e.created_at as "createdAt"
        from study_entries e where e.member_id = ${memberId}::int) x`)} as study_entries,
      ${jsonArray(sql`select json_agg(x order by x.day) from (
        select d.day, d.minutes, d.self_reported_minutes as "selfReportedMinutes", d.organization_id as "organizationId"
        from study_days d where d.member_id = ${memberId}::int) x`)} as study_days,
      ${jsonArray(sql`select json_agg(x order by x.year) from (
        select b.year, b.years, b.mode, b.reflection, b.signed_at as "signedAt", c.held_on as "ceremonyHeldOn", c.topic as "ceremonyTopic"
        from birthday_sign_ins b left join birthday_ceremonies c on c.id = b.ceremony_id where b.member_id = ${memberId}::int) x`)} as birthday_sign_ins,
      ${jsonArray(sql`select json_agg(x order by x.id) from (
        select t.id, t.kind, t.state, t.member_name as "memberName", t.id_masked as "idNumberMasked", t.category,
               t.from_organization_name as "fromOrganizationName", t.to_organization_name as "toOrganizationName",
               t.letter_addressee as "letterAddressee", t.scope, t.reason, t.reason_note as "reasonNote",
               t.dues_paid_through as "duesPaidThrough", t.contact_phone as "contactPhone", t.applied_on as "appliedOn",
               t.letter_number as "letterNumber", t.letter_issued_on as "letterIssuedOn", t.letter_expires_on as "letterExpiresOn",
               t.receipt_received_on as "receiptReceivedOn", t.reported_on as "reportedOn", t.completed_on as "completedOn",
               t.closing_reason as "closingReason",
               ${jsonArray(sql`select json_agg(e order by e.at, e.id) from (
                 select ev.id, ev.at, ev.action, ev.actor_role as "actorRole", ev.from_state as "fromState", ev.to_state as "toState", ev.comment
                 from transfer_events ev where ev.transfer_id = t.id) e`)} as events
        from transfers t where t.member_id = ${memberId}::int) x`)} as transfers,
      ${jsonArray(sql`select json_agg(x order by x."awardedOn") from (
        select c.id, c.category, c.level, c.year, c.title, c.awarded_on as "awardedOn", c.issued_by as "issuedBy", c.citation
        from commendations c where c.member_id = ${memberId}::int and c.deleted_at is null) x`)} as commendations,
      ${jsonArray(sql`select json_agg(x order by x.at) from (
        select l.action, l.at, l.actor_role as "actorRole", l.details
        from audit_log l where l.target_type = ${target.type} and l.target_id = ${target.id}) x`)} as access_log,
      (select count(*) from audited)::int as audited`);
  const [row] = rowsOf<ExportRow>(result);
  // Over the account's limit of audited reads: nothing was logged, so nothing is handed out.
  if (row?.audited === 0) throw rateLimited(limit);
  if (!row?.account || row.audited !== 1) throw new Error('self export returned no account');
  const maskRows = (rows: Record<string, unknown>[], field: string) =>
    rows.map((r) => (typeof r[field] === 'string' ? { ...r, [field]: maskPhone(r[field] as string) } : r));
  return {
    exportedAt: ctx.now.toISOString(),
    notice: membersApi.MY_DATA_EXPORT_NOTICE,
    account: row.account,
    member: row.member ? labelled(maskRows([row.member], 'phone'), PERSON)[0]! : null,
    registrations: labelled(maskRows(row.registrations, 'phone'), PERSON),
    study: { sessions: labelled(row.study_sessions, STUDY), entries: labelled(row.study_entries, STUDY), days: row.study_days },
    birthdaySignIns: row.birthday_sign_ins,
    transfers: labelled(maskRows(row.transfers, 'contactPhone'), TRANSFER),
    commendations: labelled(row.commendations, COMMENDATION),
    accessLog: row.access_log,
  };
});

type JsonRows = Record<string, unknown>[];
interface ExportRow {
  account: Record<string, unknown> | null;
  member: Record<string, unknown> | null;
  registrations: JsonRows;
  study_sessions: JsonRows;
  study_entries: JsonRows;
  study_days: JsonRows;
  birthday_sign_ins: JsonRows;
  transfers: JsonRows;
  commendations: JsonRows;
  access_log: JsonRows;
  audited: number;
}
