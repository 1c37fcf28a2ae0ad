/** The applicant's own view: their record only (never another applicant's), found by their account or, once admitted, their roster row. */
import { and, eq, isNull, ne, or, sql } from 'drizzle-orm';
import * as api from '../../../shared/development.js';
import { rowsOf } from '../../../db/client.js';
import { hashIdNumber } from '../../../db/pii.js';
import { developmentRecords } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { consentRequired, standingIdConsent } from '../../_app/consent.js';
import { route } from '../../_app/context.js';
import { ApiError, notFound, isUniqueViolation, conflict } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { piiKeys } from '../../_app/pii.js';
import { loadOne } from './view.js';

export const myDevelopment = route(api.myDevelopment, async (ctx) => {
  const p = ctx.user;
  const mine = or(eq(developmentRecords.applicantAccountId, p.accountId), p.memberId != null ? eq(developmentRecords.memberId, p.memberId) : undefined);
  const [row] = await ctx.db.select({ id: developmentRecords.id }).from(developmentRecords).where(mine).orderBy(sql`${developmentRecords.id} desc`).limit(1);
  if (!row) return { record: null };
  const detail = await loadOne(ctx.db, row.id, sql`true`, ctx.today);
  if (!detail) return { record: null };
  const { memberId: _memberId, ...record } = detail;
  return { record };
});

export const linkMyDevelopment = route(api.linkMyDevelopment, async (ctx) => {
  const p = ctx.user;
  const idHash = hashIdNumber(ctx.body.idNumber, piiKeys(ctx));
  return withIdempotency(ctx, 'development.link', async (tx) => {
    let updated: { id: number }[];
    try {
      updated = await tx
        .update(developmentRecords)
        .set({ applicantAccountId: p.accountId })
        .where(
          and(
            eq(developmentRecords.idHash, idHash),
            eq(developmentRecords.name, ctx.body.name),
            ne(developmentRecords.stage, 'cancelled'),
            or(isNull(developmentRecords.applicantAccountId), eq(developmentRecords.applicantAccountId, p.accountId)),
            // PIPL arts. 14, 29: the applicant's ID number is processed only under their standing consent.
            standingIdConsent(p.accountId),
          ),
        )
        .returning({ id: developmentRecords.id });
    } catch (err) {
      if (isUniqueViolation(err, 'development_records_applicant_uq')) throw conflict('该微信账号已关联另一条发展记录');
      throw err;
    }
    const id = updated[0]?.id;
    // Only on the refusal path: tell "agree to the guide first" apart from "no such record".
    if (id === undefined) {
      const [state] = rowsOf<{ consented: boolean }>(await tx.execute(sql`select ${standingIdConsent(p.accountId)} as consented`));
      if (!state?.consented) throw consentRequired();
    }
    // One answer for "no such person" and "linked to someone else": the page is no lookup of who applied.
    if (id === undefined) throw notFound('与姓名和身份证号相符的发展记录');
    await writeAudit(tx, p, { action: 'development.link', targetType: 'development_record', targetId: id }, ctx.now);
    const detail = await loadOne(tx, id, sql`true`, ctx.today);
    if (!detail) throw new ApiError('internal', '关联失败，请重试');
    const { memberId: _memberId, ...record } = detail;
    return { record };
  });
});
