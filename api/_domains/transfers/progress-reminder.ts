/**
 * "进度提醒我" (shared/transfers/progress-reminder.ts): the member's one-time acceptance is stored
 * per transfer and account; the next step someone else takes spends it and sends one subscribe
 * message after the step's transaction committed. Sending never fails the step: WeChat being slow,
 * refusing, or not bound is logged and kept on the row.
 */
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import * as transfersApi from '../../../shared/transfers.js';
import { FINAL_STATES, transferProgressNotice, type TransferAction, type TransferState } from '../../../shared/transfers.js';
import { accounts, transfers, transferSubscriptions } from '../../../db/schema/index.js';
import { route, type Ctx } from '../../_app/context.js';
import { conflict, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { settingsFor } from '../../_app/settings.js';
import { subscribeSenderFor } from '../../_app/wechat-subscribe.js';

export const PROGRESS_PAGE = 'packages/transfers/detail/index';

export const transferReminderTemplate = route(transfersApi.transferReminderTemplate, async (ctx) => ({
  templateId: (await settingsFor(ctx.db, ctx.user)).transferProgressTemplateId,
}));

export const subscribeTransferProgress = route(transfersApi.subscribeTransferProgress, async (ctx) => {
  const p = ctx.user;
  const id = ctx.params.id;
  return withIdempotency(ctx, 'transfers.progress-reminder', async (tx) => {
    // Only the member the transfer moves: the message goes to their own WeChat.
    const [t] = p.memberId == null ? [] : await tx.select({ state: transfers.state }).from(transfers).where(and(eq(transfers.id, id), eq(transfers.memberId, p.memberId)));
    if (!t) throw notFound('转接申请');
    if ((FINAL_STATES as readonly string[]).includes(t.state)) throw conflict('这份申请已经办结，不再发送进度提醒');
    const templateId = (await settingsFor(tx, p)).transferProgressTemplateId;
    if (!templateId || templateId !== ctx.body.templateId) throw conflict('进度提醒的设置已更改，请重新打开页面后再点“进度提醒我”');
    await tx
      .insert(transferSubscriptions)
      .values({ transferId: id, accountId: p.accountId, templateId, acceptedAt: ctx.now })
      // A new acceptance after the last one was spent arms it again: WeChat allows one message per accept.
      .onConflictDoUpdate({
        target: [transferSubscriptions.transferId, transferSubscriptions.accountId],
        set: { templateId, acceptedAt: ctx.now, usedAt: null, sentAt: null, lastError: null },
      });
    return { transferId: id, subscribed: true as const };
  });
});

export interface TakenStep {
  transferId: number;
  action: TransferAction;
  to: TransferState;
  comment: string | null;
}

/**
 * After a step committed: spends the acceptances of this transfer (the actor's own excepted: a
 * member withdrawing needs no message about it) and sends each one. Errors are logged, never thrown.
 */
export async function sendProgressNotices(ctx: Ctx, step: TakenStep): Promise<void> {
  const { logger } = ctx.deps;
  try {
    const claimed = await ctx.db
      .update(transferSubscriptions)
      .set({ usedAt: ctx.now })
      .where(and(eq(transferSubscriptions.transferId, step.transferId), isNull(transferSubscriptions.usedAt), ne(transferSubscriptions.accountId, ctx.user.accountId)))
      .returning({ id: transferSubscriptions.id, accountId: transferSubscriptions.accountId, templateId: transferSubscriptions.templateId });
    if (claimed.length === 0) return;
    const bound = await ctx.db.select({ id: accounts.id, openid: accounts.openid }).from(accounts).where(inArray(accounts.id, claimed.map((c) => c.accountId)));
    const openidOf = new Map(bound.map((a) => [a.id, a.openid]));
    const sender = subscribeSenderFor(ctx.deps.config, logger);
    for (const c of claimed) {
      const openid = openidOf.get(c.accountId);
      const outcome = openid
        ? await sender.send({ openid, templateId: c.templateId, page: `${PROGRESS_PAGE}?id=${step.transferId}`, data: transferProgressNotice(step.action, step.to, ctx.today, step.comment) })
        : { ok: false as const, permanent: true, error: '该账号未绑定微信，无法发送提醒' };
      if (outcome.ok) {
        await ctx.db.update(transferSubscriptions).set({ sentAt: ctx.now }).where(eq(transferSubscriptions.id, c.id));
      } else {
        // Not retried: the step is already done and shown in the member's 消息中心; the row keeps why.
        logger.error('transfer_progress_notice_failed', { transferId: step.transferId, error: outcome.error });
        await ctx.db.update(transferSubscriptions).set({ lastError: outcome.error }).where(eq(transferSubscriptions.id, c.id));
      }
    }
  } catch (err) {
    logger.error('transfer_progress_notice_failed', { transferId: step.transferId, error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' });
  }
}
