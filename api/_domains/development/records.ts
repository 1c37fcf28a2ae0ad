/** The branch's 发展党员 records: the board, one person's timeline, and a new application. */
import { and, eq, sql } from 'drizzle-orm';
import * as api from '../../../shared/development.js';
import { checkStep } from '../../../shared/development.js';
import { checkIdNumber, ID_PROBLEM_MESSAGES } from '../../../shared/idcard.js';
import { PRIVACY_GUIDE_VERSION } from '../../../shared/privacy.js';
import { sealIdNumber } from '../../../db/pii.js';
import { developmentRecords, developmentStepRows, organizations } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { ApiError, conflict, forbidden, isUniqueViolation, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { piiKeys } from '../../_app/pii.js';
import { assertOfficerMayUseOrganization, organizationScope } from '../../_app/scope.js';
import { loadOne, loadRecords, loadWorkCalendar, summaryOf } from './view.js';

export const listDevelopment = route(api.listDevelopment, async (ctx) => {
  const { organizationId, stage } = ctx.query;
  if (organizationId !== undefined) assertOfficerMayUseOrganization(ctx.user, organizationId);
  const where = and(
    organizationScope(ctx.user, developmentRecords.organizationId),
    organizationId !== undefined ? eq(developmentRecords.organizationId, organizationId) : undefined,
    stage ? eq(developmentRecords.stage, stage) : undefined,
  );
  const [{ records, steps }, cal] = [await loadRecords(ctx.db, where), await loadWorkCalendar(ctx.db)];
  return {
    items: records.map((r) => {
      const { open: _open, ...summary } = summaryOf(r, steps.get(r.id) ?? [], ctx.today, cal);
      return summary;
    }),
  };
});

export const getDevelopment = route(api.getDevelopment, async (ctx) => {
  const detail = await loadOne(ctx.db, ctx.params.id, organizationScope(ctx.user, developmentRecords.organizationId), ctx.today);
  if (!detail) throw notFound('发展记录');
  return detail;
});

export const createDevelopment = route(api.createDevelopment, async (ctx) => {
  const p = ctx.user;
  const b = ctx.body;
  assertOfficerMayUseOrganization(p, b.organizationId);
  if (p.role !== 'secretary') throw forbidden('入党申请由本支部书记登记');
  const id = checkIdNumber(b.idNumber);
  if (!id.ok) throw new ApiError('validation_failed', `身份证号：${ID_PROBLEM_MESSAGES[id.problem]}`, { in: 'body', issues: [{ path: ['idNumber'], message: ID_PROBLEM_MESSAGES[id.problem] }] });
  return withIdempotency(ctx, 'development.create', async (tx) => {
    const [branch] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(and(eq(organizations.id, b.organizationId), eq(organizations.kind, 'branch'), organizationScope(p, organizations.id)));
    if (!branch) throw notFound('支部');
    const cal = await loadWorkCalendar(tx);
    const check = checkStep({ birthDate: id.info.birthDate, steps: [] }, 'application', { date: b.applicationDate }, cal, ctx.today);
    if (!check.ok) throw new ApiError('unprocessable', check.message);
    const sealed = sealIdNumber(b.idNumber, piiKeys(ctx));
    let recordId: number;
    try {
      const [row] = await tx
        .insert(developmentRecords)
        .values({
          organizationId: b.organizationId,
          name: b.name,
          gender: id.info.gender,
          birthDate: id.info.birthDate,
          ...sealed,
          phone: b.phone,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning({ id: developmentRecords.id });
      if (!row) throw new ApiError('internal', '登记失败，请重试');
      recordId = row.id;
    } catch (err) {
      if (isUniqueViolation(err, 'development_records_id_hash_uq')) throw conflict('该身份证号已有发展记录，请联系党委工作人员核实');
      throw err;
    }
    await tx.insert(developmentStepRows).values({
      recordId,
      step: 'application',
      date: b.applicationDate,
      evidence: b.evidence,
      late: check.late,
      recordedByAccountId: p.accountId,
      createdAt: ctx.now,
    });
    await writeAudit(tx, p, { action: 'development.application', targetType: 'development_record', targetId: recordId, details: { organizationId: b.organizationId, date: b.applicationDate, memberConsentVersion: PRIVACY_GUIDE_VERSION } }, ctx.now);
    const detail = await loadOne(tx, recordId, sql`true`, ctx.today, cal);
    if (!detail) throw new ApiError('internal', '登记失败，请重试');
    return detail;
  });
});
