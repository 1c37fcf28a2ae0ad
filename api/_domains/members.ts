/** Members and organizations: profiles, the roster, the audited ID reveal, a member's own data export, and helpers the other member routes share. */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { IsoDate } from '../../shared/calendar.js';
import type { FieldIssue } from '../../shared/errors.js';
import { maskPhone } from '../../shared/phone.js';
import * as membersApi from '../../shared/members.js';
import {
  confirmedAtBoundsForStanding,
  isProbationOverdue,
  MEMBER_FIELD_LABELS,
  partyStandingYears,
  PROBATION_OVERDUE_MONTHS,
  type RosterFilter,
  type MemberProfile,
} from '../../shared/members.js';
import type { Db } from '../../db/client.js';
import { openIdNumber, type PiiKeys } from '../../db/pii.js';
import { members, organizations } from '../../db/schema/index.js';
import type { Principal } from '../_app/auth.js';
import { writeAudit } from '../_app/audit.js';
import { route, type Ctx, type JsonResponse } from '../_app/context.js';
import { ApiError, notFound } from '../_app/errors.js';
import { withIdempotency } from '../_app/idempotency.js';
import { assertOfficerMayUseOrganization, memberScope } from '../_app/scope.js';

/** Columns for a profile, joined with the organization's name: one statement. */
export const memberProfileColumns = {
  id: members.id,
  name: members.name,
  gender: members.gender,
  ethnicity: members.ethnicity,
  birthDate: members.birthDate,
  idMasked: members.idMasked,
  phone: members.phone,
  education: members.education,
  organizationId: members.organizationId,
  organizationName: organizations.name,
  category: members.category,
  joinedAt: members.joinedAt,
  confirmedAt: members.confirmedAt,
  status: members.status,
};

type ProfileRow = Awaited<ReturnType<typeof selectProfiles>>[number];

function selectProfiles(db: Db) {
  return db.select(memberProfileColumns).from(members).innerJoin(organizations, eq(organizations.id, members.organizationId));
}

export function toMemberProfile(row: ProfileRow, today: IsoDate): MemberProfile {
  return {
    id: row.id,
    name: row.name,
    gender: row.gender,
    ethnicity: row.ethnicity,
    birthDate: row.birthDate,
    idNumberMasked: row.idMasked,
    phoneMasked: maskPhone(row.phone),
    education: row.education,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    category: row.category,
    joinedAt: row.joinedAt,
    confirmedAt: row.confirmedAt,
    status: row.status,
    partyStandingYears: partyStandingYears(row.confirmedAt, today),
  };
}

export async function loadMemberProfile(db: Db, memberId: number, today: IsoDate): Promise<MemberProfile | null> {
  const [row] = await selectProfiles(db).where(eq(members.id, memberId));
  return row ? toMemberProfile(row, today) : null;
}

/** Organization names are not personal data: everyone signed in sees the tree (branch pickers need it). */
export const listOrganizations = route(membersApi.organizations, async (ctx) => {
  const rows = await ctx.db
    .select({ id: organizations.id, parentId: organizations.parentId, name: organizations.name, kind: organizations.kind })
    .from(organizations)
    .orderBy(asc(organizations.sortOrder), asc(organizations.id));
  return { organizations: rows };
});

// ---------------------------------------------------------------------------
// Helpers shared with registrations and the Excel import
// ---------------------------------------------------------------------------

export function piiKeys(ctx: Pick<Ctx, 'deps'>): PiiKeys {
  return { encryptionKey: ctx.deps.config.idEncryptionKey, hashKey: ctx.deps.config.idHashKey };
}

/**
 * A write in one transaction; with an `Idempotency-Key` header a retried request
 * gets the first answer back instead of doing it twice (or a confusing 409).
 */
export async function runWrite<T>(
  ctx: Ctx,
  routeName: string,
  write: (tx: Db) => Promise<T | JsonResponse<T>>,
): Promise<T | JsonResponse<T>> {
  if (ctx.idempotencyKey) return withIdempotency(ctx, routeName, write);
  return ctx.db.transaction(async (tx) => write(tx as unknown as Db));
}

/** Cross-field and against-today rules, answered like the contract's own validation errors. */
export function assertNoFieldIssues(issues: FieldIssue[]): void {
  const first = issues[0];
  if (!first) return;
  const label = MEMBER_FIELD_LABELS[first.path[0] as keyof typeof MEMBER_FIELD_LABELS] ?? String(first.path[0]);
  throw new ApiError('validation_failed', `${label}：${first.message}`, { in: 'body', issues });
}

// ---------------------------------------------------------------------------
// Roster
// ---------------------------------------------------------------------------

/**
 * `date + 1 year (+ the extension's months) + 6 months` step by step, so month-end
 * clamping matches `probationEndsAt` and `isProbationOverdue`.
 */
const overdueCondition = (today: IsoDate) =>
  sql`${members.category} = '预备党员' and (((${members.joinedAt} + interval '1 year') + make_interval(months => coalesce(${members.probationExtensionMonths}, 0))) + ${`${PROBATION_OVERDUE_MONTHS} months`}::interval)::date < ${today}::date`;

export function rosterConditions(p: Principal, filter: RosterFilter, today: IsoDate): SQL {
  const conditions: (SQL | undefined)[] = [memberScope(p, members.id, members.organizationId)];
  if (filter.organizationId !== undefined) {
    if (p.role === 'secretary' || p.role === 'staff') assertOfficerMayUseOrganization(p, filter.organizationId);
    conditions.push(eq(members.organizationId, filter.organizationId));
  }
  const q = filter.q?.trim();
  if (q) {
    if (/^\d{3,11}$/.test(q)) conditions.push(sql`${members.phone} like ${'%' + q}`);
    else conditions.push(sql`${members.name} like ${'%' + q.replace(/[\\%_]/g, '\\$&') + '%'}`);
  }
  if (filter.category) conditions.push(eq(members.category, filter.category));
  if (filter.status) conditions.push(eq(members.status, filter.status));
  const bounds = confirmedAtBoundsForStanding(today, filter.standingMin, filter.standingMax);
  if (bounds.confirmedOnOrBefore) conditions.push(sql`${members.confirmedAt} <= ${bounds.confirmedOnOrBefore}`);
  if (bounds.confirmedAfter) conditions.push(sql`${members.confirmedAt} > ${bounds.confirmedAfter}`);
  if (filter.overdue) conditions.push(overdueCondition(today));
  return and(...conditions) as SQL;
}

export const rosterOrder = [asc(organizations.sortOrder), asc(members.organizationId), asc(members.joinedAt), asc(members.id)];

export const listMembers = route(membersApi.listMembers, async (ctx) => {
  const { page, pageSize, ...filter } = ctx.query;
  const where = rosterConditions(ctx.user, filter, ctx.today);
  // One statement: the page and, through the window, the total.
  const rows = await ctx.db
    .select({
      ...memberProfileColumns,
      probationExtensionMonths: members.probationExtensionMonths,
      total: sql<number>`count(*) over()`.mapWith(Number),
    })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(where)
    .orderBy(...rosterOrder)
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page > 1) {
    // Past the last page the window has nothing to count: a second (and last) statement.
    const [counted] = await ctx.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(members)
      .innerJoin(organizations, eq(organizations.id, members.organizationId))
      .where(where);
    total = counted?.n ?? 0;
  }
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      gender: r.gender,
      organizationId: r.organizationId,
      organizationName: r.organizationName,
      category: r.category,
      status: r.status,
      joinedAt: r.joinedAt,
      confirmedAt: r.confirmedAt,
      partyStandingYears: partyStandingYears(r.confirmedAt, ctx.today),
      phoneMasked: maskPhone(r.phone),
      idNumberMasked: r.idMasked,
      probationOverdue: isProbationOverdue(r.category, r.joinedAt, ctx.today, r.probationExtensionMonths),
    })),
    total,
    page,
    pageSize,
  };
});

export const revealIdNumber = route(membersApi.revealIdNumber, async (ctx) => {
  const p = ctx.user;
  const { id } = ctx.params;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ idCipher: members.idCipher, name: members.name })
      .from(members)
      .where(and(eq(members.id, id), memberScope(p, members.id, members.organizationId)));
    if (!row) throw notFound('党员');
    // Audited before the number leaves the server, in the same transaction.
    await writeAudit(tx as unknown as Db, p, { action: 'member.reveal_id', targetType: 'member', targetId: id }, ctx.now);
    return { idNumber: openIdNumber(row.idCipher, piiKeys(ctx)) };
  });
});

// ---------------------------------------------------------------------------
// A member's own data export (PIPL right of access and copy)
// ---------------------------------------------------------------------------

const jsonArray = (query: SQL) => sql`coalesce((${query}), '[]'::json)`;

/**
 * Everything the system holds about the caller, in one statement that also
 * writes the audit entry (a data-modifying CTE): the export is a sensitive read
 * and is audited like the others, without a second round trip. Secrets are left
 * out (ID cipher and hash, request fingerprints); ID and phone numbers are
 * masked as the app shows them (see MY_DATA_EXPORT_NOTICE).
 */
export const exportMyData = route(membersApi.exportMyData, async (ctx) => {
  const p = ctx.user;
  const memberId = p.memberId ?? -1;
  const target = p.memberId != null ? { type: 'member', id: String(p.memberId) } : { type: 'account', id: String(p.accountId) };
  const result = await ctx.db.execute(sql`
    with audited as (
      insert into audit_log (actor_account_id, actor_role, action, target_type, target_id, at, details)
      values (${p.accountId}::int, ${p.role}, 'member.self_export', ${target.type}, ${target.id}, ${ctx.now.toISOString()}::timestamptz, '{}'::jsonb)
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
  const [row] = (result as unknown as { rows: ExportRow[] }).rows;
  if (!row?.account || row.audited !== 1) throw new Error('self export returned no account');
  const maskRows = (rows: Record<string, unknown>[], field: string) =>
    rows.map((r) => (typeof r[field] === 'string' ? { ...r, [field]: maskPhone(r[field] as string) } : r));
  return {
    exportedAt: ctx.now.toISOString(),
    notice: membersApi.MY_DATA_EXPORT_NOTICE,
    account: row.account,
    member: row.member ? maskRows([row.member], 'phone')[0]! : null,
    registrations: maskRows(row.registrations, 'phone'),
    study: { sessions: row.study_sessions, entries: row.study_entries, days: row.study_days },
    birthdaySignIns: row.birthday_sign_ins,
    transfers: maskRows(row.transfers, 'contactPhone'),
    commendations: row.commendations,
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
