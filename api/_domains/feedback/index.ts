/**
 * 投诉建议: anyone signed in sends one and reads the answers to their own;
 * township staff see and handle (take on, reply, close) those their township
 * handles, county staff those handled one level up (`feedbackHandledBy`).
 * Anonymous ones never carry the sender's name to an officer. Each step is one
 * transaction: the state changes by a conditional update and a history row is
 * appended (the history is append-only in the database).
 */
import { and, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias, type PgUpdateSetSource } from 'drizzle-orm/pg-core';
import * as feedbackApi from '../../../shared/feedback.js';
import type { FeedbackAction, FeedbackItem, FeedbackState } from '../../../shared/feedback.js';
import type { Db } from '../../../db/client.js';
import { accounts, feedback, feedbackEvents, members } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { JsonResponse, route } from '../../_app/context.js';
import { ApiError, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { postMessage, recipients } from '../../_app/messages.js';
import { feedbackReplied } from '../../../shared/messages.js';
import { organizationScope, seesSubtree, townshipOf } from '../../_app/scope.js';

const sender = alias(accounts, 'sender');
const handler = alias(accounts, 'handler');
const senderMember = alias(members, 'sender_member');
const m = alias(members, 'm');

/** What the caller's level handles: township staff their township's, county staff the county-handled ones. */
function handledScope(p: Principal): SQL {
  if (!seesSubtree(p)) return sql`false`;
  if (p.role === 'county') {
    return and(eq(feedback.handledBy, 'county'), or(isNull(feedback.townshipId), organizationScope(p, feedback.townshipId))) as SQL;
  }
  return and(eq(feedback.handledBy, 'township'), organizationScope(p, feedback.townshipId)) as SQL;
}

/** Whose feedback the caller sees: their own, and what their level handles. */
const visible = (p: Principal): SQL => or(eq(feedback.accountId, p.accountId), handledScope(p)) as SQL;

/** Whether the caller handles this one (staff of its level); a sender who is staff reads their own like anyone. */
const handles = (p: Principal, r: { accountId: number }) => seesSubtree(p) && r.accountId !== p.accountId;

async function load(db: Db, p: Principal, where: SQL | undefined): Promise<FeedbackItem[]> {
  const rows = await db
    .select({
      id: feedback.id,
      accountId: feedback.accountId,
      kind: feedback.kind,
      topic: feedback.topic,
      body: feedback.body,
      anonymous: feedback.anonymous,
      state: feedback.state,
      handledBy: feedback.handledBy,
      reply: feedback.reply,
      repliedAt: feedback.repliedAt,
      createdAt: feedback.createdAt,
      senderName: sql<string>`coalesce(${senderMember.name}, ${sender.displayName})`,
      handlerName: handler.displayName,
    })
    .from(feedback)
    .innerJoin(sender, eq(sender.id, feedback.accountId))
    .leftJoin(senderMember, eq(senderMember.id, sender.memberId))
    .leftJoin(handler, eq(handler.id, feedback.assignedToAccountId))
    .where(and(visible(p), where))
    .orderBy(desc(feedback.createdAt), desc(feedback.id))
    .limit(200);
  const ids = rows.map((r) => r.id);
  const events = ids.length
    ? await db
        .select({ feedbackId: feedbackEvents.feedbackId, action: feedbackEvents.action, at: feedbackEvents.at, note: feedbackEvents.note })
        .from(feedbackEvents)
        .where(inArray(feedbackEvents.feedbackId, ids))
        .orderBy(feedbackEvents.id)
    : [];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    topic: r.topic,
    text: r.body,
    anonymous: r.anonymous,
    // Only staff see who sent it, and nobody sees it when the sender chose to stay anonymous.
    senderName: handles(p, r) && !r.anonymous ? r.senderName : null,
    mine: r.accountId === p.accountId,
    state: r.state,
    handledBy: r.handledBy,
    assignedToName: handles(p, r) ? r.handlerName : r.handlerName ? `${feedbackApi.FEEDBACK_LEVEL_LABELS[r.handledBy]}工作人员` : null,
    reply: r.reply,
    repliedAt: r.repliedAt ? r.repliedAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
    history: events.filter((e) => e.feedbackId === r.id).map((e) => ({ action: e.action, at: e.at.toISOString(), note: e.note })),
  }));
}

async function one(db: Db, p: Principal, id: number): Promise<FeedbackItem> {
  const [item] = await load(db, p, eq(feedback.id, id));
  if (!item) throw notFound('投诉建议');
  return item;
}

export const sendFeedback = route(feedbackApi.sendFeedback, async (ctx) => {
  const p = ctx.user;
  const b = ctx.body;
  // An applicant and county staff belong to no township: theirs is handled by the county (feedbackHandledBy).
  const township = townshipOf(p);
  const handledBy = feedbackApi.feedbackHandledBy(b.topic, { role: p.role, hasTownship: township != null });
  const branch = seesSubtree(p) ? null : (p.organizationId ?? (p.memberId != null ? sql`(select ${m.organizationId} from ${members} ${m} where ${m.id} = ${p.memberId})` : null));
  return withIdempotency(ctx, 'feedback.send', async (tx) => {
    const [row] = await tx
      .insert(feedback)
      .values({
        accountId: p.accountId,
        townshipId: township == null ? null : sql`${township}`,
        handledBy,
        organizationId: branch == null ? null : typeof branch === 'number' ? branch : sql`${branch}`,
        kind: b.kind,
        topic: b.topic,
        body: b.text,
        anonymous: b.anonymous,
        createdAt: ctx.now,
      })
      .returning({ id: feedback.id, townshipId: feedback.townshipId });
    // A township-handled one must have found its township (a member whose branch has none is a data error).
    if (!row || (handledBy === 'township' && row.townshipId == null)) throw new ApiError('unprocessable', '暂时无法提交，请稍后再试');
    await tx.insert(feedbackEvents).values({ feedbackId: row.id, action: 'sent', actorAccountId: p.accountId, at: ctx.now });
    return new JsonResponse(201, { feedback: await one(tx, p, row.id) });
  });
});

export const listFeedback = route(feedbackApi.listFeedback, async (ctx) => {
  const items = await load(ctx.db, ctx.user, undefined);
  return { items, openCount: items.filter((i) => i.state !== 'closed').length };
});

/** One handling step: the state moves only from the states allowed (a conditional update), and the step is appended. */
async function step(
  ctx: Parameters<Parameters<typeof route>[1]>[0] & { params: { id: number } },
  action: FeedbackAction,
  from: readonly FeedbackState[],
  set: PgUpdateSetSource<typeof feedback>,
  note: string | null,
) {
  const p = ctx.user;
  return withIdempotency(ctx, `feedback.${action}`, async (tx) => {
    const [current] = await tx
      .select({ id: feedback.id, state: feedback.state, kind: feedback.kind, accountId: feedback.accountId })
      .from(feedback)
      .where(and(eq(feedback.id, ctx.params.id), handledScope(p)))
      .for('update');
    if (!current) throw notFound('投诉建议');
    if (!from.includes(current.state)) {
      throw new ApiError('conflict', `这件投诉建议${feedbackApi.FEEDBACK_STATE_LABELS[current.state]}，不能再${feedbackApi.FEEDBACK_ACTION_LABELS[action]}`);
    }
    await tx.update(feedback).set(set).where(and(eq(feedback.id, current.id), ne(feedback.state, 'closed')));
    await tx.insert(feedbackEvents).values({ feedbackId: current.id, action, actorAccountId: p.accountId, note, at: ctx.now });
    // The sender hears of a reply (and of each later one) in the message centre; other steps show on the record itself.
    if (action === 'replied' && note) await postMessage(tx, p, [recipients.account(current.accountId)], feedbackReplied(current.id, current.kind, note), ctx.now);
    await writeAudit(tx, p, { action: `feedback.${action}`, targetType: 'feedback', targetId: current.id, details: {} }, ctx.now);
    return { feedback: await one(tx, p, current.id) };
  });
}

export const assignFeedback = route(feedbackApi.assignFeedback, async (ctx) =>
  step(ctx, 'assigned', ['open', 'assigned'], { state: 'assigned', assignedToAccountId: ctx.user.accountId }, null),
);

export const replyFeedback = route(feedbackApi.replyFeedback, async (ctx) =>
  step(
    ctx,
    'replied',
    ['open', 'assigned', 'replied'],
    { state: 'replied', reply: ctx.body.reply, repliedAt: ctx.now, assignedToAccountId: sql`coalesce(${feedback.assignedToAccountId}, ${ctx.user.accountId})` },
    ctx.body.reply,
  ),
);

export const closeFeedback = route(feedbackApi.closeFeedback, async (ctx) =>
  step(ctx, 'closed', ['open', 'assigned', 'replied'], { state: 'closed', closedAt: ctx.now }, ctx.body.note ?? null),
);
