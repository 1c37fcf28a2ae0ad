/** One member: the detail, and staff corrections (every member-fact rule checked, every change audited). */
import { and, eq, sql } from 'drizzle-orm';
import type { IsoDate } from '../../../shared/calendar.js';
import { PROBATIONARY_MEMBER } from '../../../shared/common.js';
import * as membersApi from '../../../shared/members.js';
import { isProbationOverdue, memberFactIssues, probationEndsAt, type MemberDetail } from '../../../shared/members.js';
import { maskPhone } from '../../../shared/phone.js';
import type { Db } from '../../../db/client.js';
import { openIdNumber } from '../../../db/pii.js';
import { accounts, members, organizations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { ApiError, notFound } from '../../_app/errors.js';
import { memberScope, subtreeOf } from '../../_app/scope.js';
import { assertNoFieldIssues } from '../../_app/field-issues.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { piiKeys } from '../../_app/pii.js';
import { memberProfileColumns, toMemberProfile } from '../../_app/member-profile.js';

const detailColumns = {
  ...memberProfileColumns,
  version: members.version,
  probationExtensionMonths: members.probationExtensionMonths,
  probationExtendedOn: members.probationExtendedOn,
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
    probationEndsAt: row.category === PROBATIONARY_MEMBER ? probationEndsAt(row.joinedAt, row.probationExtensionMonths) : null,
    // Off the roster (cancelled, transferred out…) no 转正 is due here.
    probationOverdue: row.status === 'active' && isProbationOverdue(row.category, row.joinedAt, today, row.probationExtensionMonths),
    probationExtensionMonths: row.probationExtensionMonths,
    probationExtendedOn: row.probationExtendedOn,
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
  'probationExtensionMonths',
  'probationExtendedOn',
  'status',
] as const;

export const updateMember = route(membersApi.updateMember, async (ctx) => {
  const p = ctx.user;
  const { id } = ctx.params;
  const { version, ...changes } = ctx.body;
  return withIdempotency(ctx, `members.update:${id}`, async (tx) => {
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
    if (changes.category === PROBATIONARY_MEMBER && changes.confirmedAt === undefined) merged.confirmedAt = null;
    // Clearing the months clears the decision day with them (a mistaken entry is removed in one step).
    if (changes.probationExtensionMonths === null && changes.probationExtendedOn === undefined) merged.probationExtendedOn = null;
    // The whole record is checked, not only the changed fields: an earlier bad entry is named so it can be corrected here.
    assertNoFieldIssues(
      memberFactIssues(
        {
          ...merged,
          idNumber: openIdNumber(current.idCipher, piiKeys(ctx)),
          confirmedAt: merged.confirmedAt ?? null,
          probationExtensionMonths: merged.probationExtensionMonths ?? null,
          probationExtendedOn: merged.probationExtendedOn ?? null,
        },
        ctx.today,
      ),
    );
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
          probationExtensionMonths: merged.probationExtensionMonths ?? null,
          probationExtendedOn: merged.probationExtendedOn ?? null,
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
