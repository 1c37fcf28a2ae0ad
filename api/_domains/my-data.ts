/**
 * A member's own data export (PIPL right of access and copy): GET /api/me/export.
 * Each domain contributes its fragment (`*Export` beside its handlers); this
 * module owns the account, member, registration and access-log parts and
 * composes them all into one statement.
 */
import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { accounts, auditLog, members, organizations, registrations } from '../../db/schema/index.js';
import { col, cols } from '../../db/sql.js';
import { maskPhone } from '../../shared/phone.js';
import * as membersApi from '../../shared/members.js';
import { route } from '../_app/context.js';
import { jsonRow, jsonRows, type DataSubject, type ExportFragment } from '../_app/export-fragments.js';
import { auditedReadWindow, countHit, rateLimited } from '../_app/rate-limit.js';
import { birthdaysExport } from './birthdays-my-data.js';
import { commendationsExport } from './commendations/my-data.js';
import { studyExport } from './study/my-data.js';
import { transfersExport } from './transfers/my-data.js';

const a = alias(accounts, 'a');
const m = alias(members, 'm');
const o = alias(organizations, 'o');
const r = alias(registrations, 'r');
const l = alias(auditLog, 'l');

/** Whose audit-log entries are "about" the subject: the member record, or the account when there is none. */
const accessTarget = (who: DataSubject) =>
  who.memberId >= 0 ? { type: 'member', id: String(who.memberId) } : { type: 'account', id: String(who.accountId) };

const membersExport = {
  account: {
    single: true,
    select: (who) =>
      jsonRow(
        {
          id: a.id, role: a.role, displayName: a.displayName, wechatOpenid: a.openid, organizationId: a.organizationId,
          memberId: a.memberId, createdAt: a.createdAt, lastLoginAt: a.lastLoginAt,
        },
        sql`${accounts} ${a} where ${a.id} = ${who.accountId}::int`,
      ),
  },
  member: {
    single: true,
    maskPhone: 'phone',
    select: (who) =>
      jsonRow(
        {
          id: m.id, name: m.name, gender: m.gender, ethnicity: m.ethnicity, birthDate: m.birthDate, idNumberMasked: m.idMasked,
          phone: m.phone, education: m.education, organizationId: m.organizationId, organizationName: o.name, category: m.category,
          joinedAt: m.joinedAt, confirmedAt: m.confirmedAt, status: m.status, createdAt: m.createdAt, updatedAt: m.updatedAt,
        },
        sql`${members} ${m} join ${organizations} ${o} on ${o.id} = ${m.organizationId} where ${m.id} = ${who.memberId}::int`,
      ),
  },
  registrations: {
    maskPhone: 'phone',
    select: (who) =>
      jsonRows(
        {
          id: r.id, status: r.status, name: r.name, gender: r.gender, ethnicity: r.ethnicity, birthDate: r.birthDate,
          idNumberMasked: r.idMasked, phone: r.phone, organizationId: r.organizationId, category: r.category, joinedAt: r.joinedAt,
          confirmedAt: r.confirmedAt, rejectReason: r.rejectReason, decidedAt: r.decidedAt, createdAt: r.createdAt,
        },
        sql`${registrations} ${r} where ${r.accountId} = ${who.accountId}::int`,
        ['createdAt'],
      ),
  },
  accessLog: {
    select: (who) => {
      const target = accessTarget(who);
      return jsonRows(
        { action: l.action, at: l.at, actorRole: l.actorRole, details: l.details },
        sql`${auditLog} ${l} where ${l.targetType} = ${target.type} and ${l.targetId} = ${target.id}`,
        ['at'],
      );
    },
  },
} satisfies Record<string, ExportFragment>;

const FRAGMENTS = { ...membersExport, ...studyExport, ...birthdaysExport, ...transfersExport, ...commendationsExport };
type FragmentKey = keyof typeof FRAGMENTS;
type JsonRows = Record<string, unknown>[];

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
  const who: DataSubject = { accountId: p.accountId, memberId: p.memberId ?? -1 };
  const target = accessTarget(who);
  const limit = auditedReadWindow(p.accountId, ctx.deps.config.auditedReadRateLimit, ctx.now);
  const entries = Object.entries(FRAGMENTS) as [FragmentKey, ExportFragment][];
  const result = await ctx.db.execute(sql`
    with counted as (${countHit(limit)}),
    audited as (
      insert into ${auditLog} ${cols(auditLog.actorAccountId, auditLog.actorRole, auditLog.action, auditLog.targetType, auditLog.targetId, auditLog.at, auditLog.details)}
      select ${p.accountId}::int, ${p.role}, 'member.self_export', ${target.type}, ${target.id}, ${ctx.now.toISOString()}::timestamptz, '{}'::jsonb
      from counted where counted.count <= ${limit.limit}::int
      returning ${col(auditLog.id)}
    )
    select ${sql.join(entries.map(([key, fragment]) => sql`${fragment.select(who)} as ${sql.identifier(key)}`), sql`, `)},
      (select count(*) from audited)::int as audited`);
  const [row] = (result as unknown as { rows: (Record<FragmentKey, unknown> & { audited: number })[] }).rows;
  // Over the account's limit of audited reads: nothing was logged, so nothing is handed out.
  if (row?.audited === 0) throw rateLimited(limit);
  if (!row?.account || row.audited !== 1) throw new Error('self export returned no account');
  const masked = (key: FragmentKey): JsonRows => {
    const field = (FRAGMENTS[key] as ExportFragment).maskPhone;
    const value = row[key];
    const rows = (Array.isArray(value) ? value : value == null ? [] : [value]) as JsonRows;
    if (!field) return rows;
    return rows.map((x) => (typeof x[field] === 'string' ? { ...x, [field]: maskPhone(x[field] as string) } : x));
  };
  return {
    exportedAt: ctx.now.toISOString(),
    notice: membersApi.MY_DATA_EXPORT_NOTICE,
    account: row.account as Record<string, unknown>,
    member: masked('member')[0] ?? null,
    registrations: masked('registrations'),
    study: { sessions: masked('studySessions'), entries: masked('studyEntries'), days: masked('studyDays') },
    birthdaySignIns: masked('birthdaySignIns'),
    transfers: masked('transfers'),
    commendations: masked('commendations'),
    accessLog: masked('accessLog'),
  };
});
