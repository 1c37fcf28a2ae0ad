/**
 * 消息中心, read side: the caller's own messages (newest first, paged by id),
 * marking read, and the reminders of the moment, computed from the records
 * as they stand (shared/messages.ts says why they are not stored).
 * Every statement names the caller's account: nobody reads another's messages.
 */
import { and, count, eq, isNull, lt, sql } from 'drizzle-orm';
import { birthdayStatus } from '../../../shared/birthdays.js';
import { reminderItems } from '../../../shared/orglife.js';
import * as messagesApi from '../../../shared/messages.js';
import { birthdayReminder, MESSAGES_PAGE, orglifeReminder, receiptOverdueReminder, type Message, type ReminderView } from '../../../shared/messages.js';
import { overdueOf } from '../../../shared/transfers.js';
import { rowsOf, type Db } from '../../../db/client.js';
import { jsonObject, ref, type JsonRow } from '../../../db/sql.js';
import { alias } from 'drizzle-orm/pg-core';
import { birthdaySignIns, members, messages, organizations, transfers } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { route } from '../../_app/context.js';
import { notFound } from '../../_app/errors.js';
import { dueFor, settingsFor, toBranch, BRANCH_COLUMNS } from '../../_app/orglife-due.js';
import { organizationScope } from '../../_app/scope.js';

type Row = typeof messages.$inferSelect;

const toMessage = (r: Row): Message => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  targetType: r.targetType,
  targetId: r.targetId,
  createdAt: r.createdAt.toISOString(),
  read: r.readAt != null,
});


/** A member's political birthday while its month is open and they have not yet signed in for it. */
async function birthdayReminders(db: Db, p: Principal, today: string): Promise<ReminderView[]> {
  if (p.memberId == null) return [];
  const [m] = await db
    .select({
      joinedAt: members.joinedAt,
      status: members.status,
      // The outer column named with its table: drizzle leaves a single-table select's columns unqualified.
      signedYears: sql<number[]>`coalesce((select array_agg(${birthdaySignIns.year}) from ${birthdaySignIns} where ${birthdaySignIns.memberId} = ${ref('members', members.id)}), '{}')`,
    })
    .from(members)
    .where(eq(members.id, p.memberId));
  if (!m || m.status !== 'active') return [];
  const open = birthdayStatus(m.joinedAt, today, 'month').open;
  if (!open || m.signedYears.map(Number).includes(open.year)) return [];
  return [birthdayReminder(open.years, open.anniversary)];
}

/** Township staff: letters out whose 回执 is past its month (the same rule as the transfer list's 回执逾期). */
async function receiptReminders(db: Db, p: Principal, today: string): Promise<ReminderView[]> {
  if (p.role !== 'staff') return [];
  const rows = await db
    .select()
    .from(transfers)
    .where(and(eq(transfers.state, 'letter_issued'), isNull(transfers.receiptReceivedOn), lt(transfers.receiptDueOn, today), organizationScope(p, transfers.fromOrganizationId)))
    .orderBy(transfers.receiptDueOn, transfers.id)
    .limit(50);
  return rows.filter((t) => overdueOf(t, today).receiptOverdue).map((t) => receiptOverdueReminder(t.id, t.memberName, t.receiptDueOn as string));
}

/** A secretary's branch: organizational life due soon (事前提醒, reminderItems) or overdue this year, from the one due engine. */
async function orglifeReminders(db: Db, p: Principal, today: string): Promise<ReminderView[]> {
  if (p.role !== 'secretary' || p.organizationId == null) return [];
  const [[row], settings] = await Promise.all([
    db.select(BRANCH_COLUMNS).from(organizations).where(and(eq(organizations.id, p.organizationId), eq(organizations.kind, 'branch'))),
    settingsFor(db, p),
  ]);
  if (!row) return [];
  const branch = toBranch(row);
  const due = (await dueFor(db, [branch], Number(today.slice(0, 4)), today, settings)).get(branch.id);
  if (!due) return [];
  const soon = reminderItems(due.items);
  const overdue = due.items.filter((i) => i.status === 'overdue');
  // Overdue first (oldest period first), then what is about to fall due.
  return [...overdue, ...soon].map((i) => orglifeReminder(branch.id, i.kind, i.period.key, i.period.label, i.period.end, i.status === 'overdue'));
}

interface PageRow {
  unread: number;
  /** Null on the one row an empty page answers with (the count still comes). */
  message: JsonRow<typeof messages, 'id' | 'kind' | 'title' | 'body' | 'targetType' | 'targetId' | 'createdAt' | 'readAt'> | null;
}

const PAGE_FIELDS = ['id', 'kind', 'title', 'body', 'targetType', 'targetId', 'createdAt', 'readAt'] as const;

/** The unread count and one page, newest first, in one statement (an empty page still carries the count). */
async function loadPage(db: Db, p: Principal, before: number | undefined, limit: number): Promise<{ items: Message[]; more: boolean; unread: number }> {
  const m = alias(messages, 'm');
  const rows = rowsOf<PageRow>(
    await db.execute(sql`select c.unread, page.message from
      (select count(*)::int as unread from ${messages} where ${messages.accountId} = ${p.accountId}::int and ${messages.readAt} is null) c
      left join lateral (
        select ${jsonObject(m, PAGE_FIELDS)} as message from ${messages} ${m}
        where ${m.accountId} = ${p.accountId}::int ${before ? sql`and ${m.id} < ${before}` : sql``}
        order by ${m.id} desc limit ${limit + 1}) page on true`),
  );
  const found = rows.flatMap((r) => (r.message ? [r.message] : []));
  const items = found.slice(0, limit).map((r) => toMessage({ ...r, accountId: p.accountId, createdAt: new Date(r.createdAt), readAt: r.readAt ? new Date(r.readAt) : null }));
  return { items, more: found.length > limit, unread: Number(rows[0]?.unread ?? 0) };
}

export const listMessages = route(messagesApi.listMessages, async (ctx) => {
  const p = ctx.user;
  const limit = ctx.query.limit ?? MESSAGES_PAGE;
  const before = ctx.query.before;
  const first = before === undefined;
  const [page, ...reminders] = await Promise.all([
    loadPage(ctx.db, p, before, limit),
    first ? birthdayReminders(ctx.db, p, ctx.today) : [],
    first ? receiptReminders(ctx.db, p, ctx.today) : [],
    first ? orglifeReminders(ctx.db, p, ctx.today) : [],
  ]);
  return {
    items: page.items,
    nextBefore: page.more ? (page.items[page.items.length - 1]?.id ?? null) : null,
    unreadCount: page.unread,
    reminders: reminders.flat(),
  };
});

async function unreadCount(db: Db, p: Principal): Promise<number> {
  const [row] = await db.select({ n: count() }).from(messages).where(and(eq(messages.accountId, p.accountId), isNull(messages.readAt)));
  return row?.n ?? 0;
}

export const markMessageRead = route(messagesApi.markMessageRead, async (ctx) => {
  const p = ctx.user;
  // Idempotent by itself: the first read time stays; marking again changes nothing.
  const [row] = await ctx.db
    .update(messages)
    .set({ readAt: sql`coalesce(${messages.readAt}, ${ctx.now})` })
    .where(and(eq(messages.id, ctx.params.id), eq(messages.accountId, p.accountId)))
    .returning();
  if (!row) throw notFound('消息');
  return { message: toMessage(row), unreadCount: await unreadCount(ctx.db, p) };
});

export const markAllMessagesRead = route(messagesApi.markAllMessagesRead, async (ctx) => {
  const p = ctx.user;
  const marked = await ctx.db
    .update(messages)
    .set({ readAt: ctx.now })
    .where(and(eq(messages.accountId, p.accountId), isNull(messages.readAt)))
    .returning({ id: messages.id });
  return { marked: marked.length, unreadCount: 0 };
});
