/** 谈心谈话: the secretary records a talk with a member of the branch (the calendar then drops them from 未谈话). */
import { and, eq } from 'drizzle-orm';
import { addDays } from '../../../shared/calendar.js';
import * as api from '../../../shared/orglife.js';
import { members, orglifeTalks } from '../../../db/schema/index.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { organizationScope } from '../../_app/scope.js';

export const recordTalk = route(api.recordTalk, async (ctx) => {
  const p = ctx.user;
  const b = ctx.body;
  if (b.day > ctx.today) throw new ApiError('validation_failed', '谈话日期不能晚于今天');
  if (b.day < addDays(ctx.today, -366)) throw new ApiError('validation_failed', '只能补记一年内的谈话');
  return withIdempotency(ctx, 'orglife.talk', async (tx) => {
    const [member] = await tx
      .select({ id: members.id, organizationId: members.organizationId })
      .from(members)
      .where(and(eq(members.id, b.withMemberId), eq(members.status, 'active'), organizationScope(p, members.organizationId)));
    if (!member) throw notFound('党员');
    const [row] = await tx
      .insert(orglifeTalks)
      .values({ organizationId: member.organizationId, talkerMemberId: p.memberId, withMemberId: member.id, day: b.day, topic: b.topic, note: b.note || null, createdByAccountId: p.accountId, createdAt: ctx.now })
      .returning({ id: orglifeTalks.id });
    if (!row) throw new Error('talk not recorded');
    await writeAudit(tx, p, { action: 'orglife.talk', targetType: 'orglife_talk', targetId: row.id, details: { withMemberId: member.id, day: b.day } }, ctx.now);
    return new JsonResponse(201, { id: row.id, withMemberId: member.id, day: b.day, topic: b.topic });
  });
});
