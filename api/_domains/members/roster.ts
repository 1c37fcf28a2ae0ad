/** Members and organizations: profiles, the roster, the audited ID reveal, a member's own data export, and helpers the other member routes share. */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { IsoDate } from '../../../shared/calendar.js';
import { PROBATIONARY_MEMBER } from '../../../shared/common.js';
import { disclosedIdentity } from '../../../shared/idcard.js';
import { maskPhone } from '../../../shared/phone.js';
import * as membersApi from '../../../shared/members.js';
import {
  confirmedAtBoundsForStanding,
  isProbationOverdue,
  partyStandingYears,
  PROBATION_OVERDUE_MONTHS,
  type RosterFilter,
} from '../../../shared/members.js';
import type { Db } from '../../../db/client.js';
import { openIdNumber } from '../../../db/pii.js';
import { members, organizations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAuditedRead } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { memberProfileColumns } from '../../_app/member-profile.js';
import { notFound } from '../../_app/errors.js';
import { piiKeys } from '../../_app/pii.js';
import { assertOfficerMayUseOrganization, memberScope } from '../../_app/scope.js';

/** Organization names are not personal data: everyone signed in sees the tree (branch pickers need it). */
export const listOrganizations = route(membersApi.organizations, async (ctx) => {
  const rows = await ctx.db
    .select({ id: organizations.id, parentId: organizations.parentId, name: organizations.name, kind: organizations.kind })
    .from(organizations)
    .orderBy(asc(organizations.sortOrder), asc(organizations.id));
  return { organizations: rows };
});

// ---------------------------------------------------------------------------
// Roster
// ---------------------------------------------------------------------------

/**
 * `date + 1 year (+ the extension's months) + 6 months` step by step, so month-end
 * clamping matches `probationEndsAt` and `isProbationOverdue`; only rows on the active roster are due.
 */
const overdueCondition = (today: IsoDate) =>
  sql`${members.status} = 'active' and ${members.category} = ${PROBATIONARY_MEMBER} and (((${members.joinedAt} + interval '1 year') + make_interval(months => coalesce(${members.probationExtensionMonths}, 0))) + ${`${PROBATION_OVERDUE_MONTHS} months`}::interval)::date < ${today}::date`;

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
      idNumberMasked: disclosedIdentity(r).idNumberMasked,
      probationOverdue: r.status === 'active' && isProbationOverdue(r.category, r.joinedAt, ctx.today, r.probationExtensionMonths),
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
    await writeAuditedRead(tx as unknown as Db, p, { action: 'member.reveal_id', targetType: 'member', targetId: id }, ctx.now, ctx.deps.config.auditedReadRateLimit);
    return { idNumber: openIdNumber(row.idCipher, piiKeys(ctx)) };
  });
});
