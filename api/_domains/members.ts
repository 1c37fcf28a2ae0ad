/** Members and organizations: the roster, member detail, staff edits and the audited ID reveal. */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { IsoDate } from '../../shared/calendar.js';
import type { FieldIssue } from '../../shared/errors.js';
import { disclosedIdentity } from '../../shared/idcard.js';
import { maskPhone } from '../../shared/phone.js';
import * as membersApi from '../../shared/members.js';
import {
  confirmedAtBoundsForStanding,
  isProbationOverdue,
  MEMBER_FIELD_LABELS,
  memberRecordIssues,
  memberTodayIssues,
  partyStandingYears,
  probationEndsAt,
  PROBATION_OVERDUE_MONTHS,
  type MemberDetail,
  type RosterFilter,
  type MemberProfile,
} from '../../shared/members.js';
import type { Db } from '../../db/client.js';
import { openIdNumber, type PiiKeys } from '../../db/pii.js';
import { accounts, members, organizations } from '../../db/schema/index.js';
import type { Principal } from '../_app/auth.js';
import { writeAudit, writeAuditedRead } from '../_app/audit.js';
import { route, type Ctx, type JsonResponse } from '../_app/context.js';
import { ApiError, notFound } from '../_app/errors.js';
import { withIdempotency } from '../_app/idempotency.js';
import { assertOfficerMayUseOrganization, memberScope, subtreeOf } from '../_app/scope.js';

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
    ...disclosedIdentity(row),
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

/** `date + 1 year + 6 months` as two steps, so month-end clamping matches `isProbationOverdue`. */
const overdueCondition = (today: IsoDate) =>
  sql`${members.category} = '预备党员' and ((${members.joinedAt} + interval '1 year') + ${`${PROBATION_OVERDUE_MONTHS} months`}::interval)::date < ${today}::date`;

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
    .select({ ...memberProfileColumns, total: sql<number>`count(*) over()`.mapWith(Number) })
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
      probationOverdue: isProbationOverdue(r.category, r.joinedAt, ctx.today),
    })),
    total,
    page,
    pageSize,
  };
});

const detailColumns = {
  ...memberProfileColumns,
  version: members.version,
  hasAccount: sql<boolean>`exists (select 1 from ${accounts} where ${accounts.memberId} = ${members.id})`,
};

async function loadDetail(db: Db, p: Principal, id: number, today: IsoDate): Promise<MemberDetail> {
  const [row] = await db
    .select(detailColumns)
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(and(eq(members.id, id), memberScope(p, members.id, members.organizationId)));
  // Outside the caller's scope it does not exist for them (no leak of who is on the roster).
  if (!row) throw notFound('党员');
  return {
    ...toMemberProfile(row, today),
    phone: row.phone,
    version: row.version,
    probationEndsAt: row.category === '预备党员' ? probationEndsAt(row.joinedAt) : null,
    probationOverdue: isProbationOverdue(row.category, row.joinedAt, today),
    hasAccount: Boolean(row.hasAccount),
  };
}

export const getMember = route(membersApi.getMember, async (ctx) => loadDetail(ctx.db, ctx.user, ctx.params.id, ctx.today));

const AUDITED_FIELDS = [
  'name',
  'gender',
  'ethnicity',
  'birthDate',
  'phone',
  'education',
  'organizationId',
  'category',
  'joinedAt',
  'confirmedAt',
  'status',
] as const;

export const updateMember = route(membersApi.updateMember, async (ctx) => {
  const p = ctx.user;
  const { id } = ctx.params;
  const { version, ...changes } = ctx.body;
  return runWrite(ctx, `members.update:${id}`, async (tx) => {
    const [current] = await tx
      .select()
      .from(members)
      .where(and(eq(members.id, id), memberScope(p, members.id, members.organizationId)))
      .for('update');
    if (!current) throw notFound('党员');
    if (current.version !== version) {
      throw new ApiError('stale_version', '该党员信息已被他人修改，请刷新后重新编辑', { currentVersion: current.version });
    }
    const merged = { ...current, ...changes };
    // 转正日期 follows the category: a 预备党员 has none.
    if (changes.category === '预备党员' && changes.confirmedAt === undefined) merged.confirmedAt = null;
    const idNumber = openIdNumber(current.idCipher, piiKeys(ctx));
    assertNoFieldIssues([
      ...memberRecordIssues({ ...merged, idNumber, confirmedAt: merged.confirmedAt ?? null }),
      ...memberTodayIssues({ ...merged, confirmedAt: merged.confirmedAt ?? null }, ctx.today),
    ]);
    if (changes.organizationId !== undefined && changes.organizationId !== current.organizationId) {
      const [branch] = await tx
        .select({ id: organizations.id })
        .from(organizations)
        .where(
          and(
            eq(organizations.id, changes.organizationId),
            eq(organizations.kind, 'branch'),
            sql`${organizations.id} in ${subtreeOf(p.organizationId ?? -1)}`,
          ),
        );
      if (!branch) {
        throw new ApiError('validation_failed', '所在支部：请选择本镇的一个党支部', {
          in: 'body',
          issues: [{ path: ['organizationId'], message: '请选择本镇的一个党支部' }],
        });
      }
    }
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of AUDITED_FIELDS) {
      const before = current[field] ?? null;
      const after = merged[field] ?? null;
      if (before !== after) {
        // The audit log is read by more people than the roster: it keeps phone numbers masked.
        diff[field] =
          field === 'phone' ? { from: maskPhone(String(before)), to: maskPhone(String(after)) } : { from: before, to: after };
      }
    }
    if (Object.keys(diff).length > 0) {
      await tx
        .update(members)
        .set({
          name: merged.name,
          gender: merged.gender,
          ethnicity: merged.ethnicity,
          birthDate: merged.birthDate,
          phone: merged.phone,
          education: merged.education,
          organizationId: merged.organizationId,
          category: merged.category,
          joinedAt: merged.joinedAt,
          confirmedAt: merged.confirmedAt ?? null,
          status: merged.status,
          version: sql`${members.version} + 1`,
          updatedAt: ctx.now,
        })
        .where(eq(members.id, id));
      await writeAudit(tx, p, { action: 'member.update', targetType: 'member', targetId: id, details: { changes: diff } }, ctx.now);
    }
    return loadDetail(tx, p, id, ctx.today);
  });
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
