/**
 * A member's own data export (PIPL right of access and copy): GET /api/me/export. The account, the roster
 * record and the access log are the members domain's; every other kind of record is a section its own domain
 * declares (api/_app/personal-data.ts), handed in by the route table.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../db/client.js';
import { accounts, auditLog, members, organizations } from '../../../db/schema/index.js';
import { cols, jsonObject } from '../../../db/sql.js';
import { GENDER_LABELS, MEMBER_CATEGORY_LABELS, MEMBER_STATUS_LABELS, ROLE_LABELS, withLabels } from '../../../shared/common.js';
import * as membersApi from '../../../shared/members.js';
import { maskPhone } from '../../../shared/phone.js';
import { route } from '../../_app/context.js';
import { myDataWorkbook } from './my-data-xlsx.js';
import { jsonRows, presentSections, sectionColumns, type DataSubject, type PersonalDataSection } from '../../_app/personal-data.js';
import { auditedReadWindow, countHit, rateLimited } from '../../_app/rate-limit.js';

const ACCOUNT_FIELDS = ['id', 'role', 'displayName', 'openid', 'organizationId', 'memberId', 'createdAt', 'lastLoginAt'] as const;
const MEMBER_FIELDS = [
  'id', 'name', 'gender', 'ethnicity', 'birthDate', 'idMasked', 'phone', 'education', 'organizationId', 'category', 'joinedAt',
  'confirmedAt', 'status', 'createdAt', 'updatedAt',
] as const;
const PERSON = { gender: GENDER_LABELS, category: MEMBER_CATEGORY_LABELS, status: MEMBER_STATUS_LABELS };

const accountRow = (s: DataSubject) => sql`(select ${jsonObject(accounts, ACCOUNT_FIELDS)} from ${accounts} where ${accounts.id} = ${s.accountId}::int)`;
const memberRow = (s: DataSubject) => sql`(select ${jsonObject(members, MEMBER_FIELDS, {
  organizationName: sql`(select ${organizations.name} from ${organizations} where ${organizations.id} = ${members.organizationId})`,
})} from ${members} where ${members.id} = ${s.memberId}::int)`;
/** Audit entries about the member's record (or account): edits, ID-number views, earlier exports. */
const accessLog = (target: { type: string; id: string }) =>
  sql`coalesce((${jsonRows(auditLog, ['action', 'at', 'actorRole', 'details'], {
    where: sql`${auditLog.targetType} = ${target.type} and ${auditLog.targetId} = ${target.id}`,
    orderBy: [auditLog.at, auditLog.id],
  })}), '[]'::json)`;

interface ExportRow {
  account: Record<string, unknown> | null;
  member: Record<string, unknown> | null;
  access_log: Record<string, unknown>[];
  audited: number;
  [section: string]: unknown;
}

/**
 * Everything the system holds about the caller, in one statement that also writes the audit entry (a
 * data-modifying CTE) and counts it against the account's limit of audited reads: the export is a sensitive
 * read, audited like the others, without a second round trip. Secrets are left out (ID cipher and hash,
 * request fingerprints); ID and phone numbers are masked as the app shows them (MY_DATA_EXPORT_NOTICE).
 */
export const personalDataExport = (sections: readonly PersonalDataSection[]) =>
  route(membersApi.exportMyData, async (ctx) => {
    const p = ctx.user;
    const subject: DataSubject = { accountId: p.accountId, memberId: p.memberId ?? -1 };
    const target = p.memberId != null ? { type: 'member', id: String(p.memberId) } : { type: 'account', id: String(p.accountId) };
    const limit = auditedReadWindow(p.accountId, ctx.deps.config.auditedReadRateLimit, ctx.now);
    const result = await ctx.db.execute(sql`
      with counted as (${countHit(limit)}),
      audited as (
        insert into ${auditLog} ${cols(auditLog.actorAccountId, auditLog.actorRole, auditLog.action, auditLog.targetType, auditLog.targetId, auditLog.at, auditLog.details)}
        select ${p.accountId}::int, ${p.role}, 'member.self_export', ${target.type}, ${target.id}, ${ctx.now.toISOString()}::timestamptz, '{}'::jsonb
        from counted where counted.count <= ${limit.limit}::int
        returning id
      )
      select ${accountRow(subject)} as account, ${memberRow(subject)} as member, ${sectionColumns(sections, subject)},
             ${accessLog(target)} as access_log, (select count(*) from audited)::int as audited`);
    const [row] = rowsOf<ExportRow>(result);
    // Over the account's limit of audited reads: nothing was logged, so nothing is handed out.
    if (row?.audited === 0) throw rateLimited(limit);
    if (!row?.account || row.audited !== 1) throw new Error('self export returned no account');
    const member = row.member && typeof row.member.phone === 'string' ? { ...row.member, phone: maskPhone(row.member.phone) } : row.member;
    const data = {
      exportedAt: ctx.now.toISOString(),
      notice: membersApi.MY_DATA_EXPORT_NOTICE,
      account: withLabels(row.account, { role: ROLE_LABELS }),
      member: member ? withLabels(member, PERSON) : null,
      sections: presentSections(sections, row),
      accessLog: row.access_log,
    };
    return ctx.query.format === 'xlsx' ? myDataWorkbook(data, ctx.now) : data;
  });
