/**
 * 消息中心: the in-app record of what concerns an account. Two sorts:
 * - messages: an event happened (a registration decided, a transfer step, a
 *   reply to a complaint). Written once, in the same transaction as the fact,
 *   for the accounts it concerns; read/unread per account.
 * - reminders (提醒): a date is near or past (a political birthday this month,
 *   a 回执 overdue, organizational life due soon or overdue). Computed at read
 *   time from the facts, never stored, so one can never outlive what it says:
 *   it appears while the state holds and disappears when the work is done.
 * No message here is pushed: WeChat subscribe messages stay one-time and opt-in.
 */
import { z } from 'zod';
import { urlId, urlInt } from './common.js';
import { endpoint } from './http.js';
import { FEEDBACK_KIND_LABELS, type FeedbackKind } from './feedback/contracts.js';
import { DUE_KIND_LABELS, type DueKind } from './orglife/rules.js';
import { TRANSFER_ACTION_LABELS, TRANSFER_KIND_LABELS, TRANSFER_STATE_LABELS, type TransferAction, type TransferKind, type TransferState } from './transfers/machine.js';

export const messageKinds = ['registration_approved', 'registration_rejected', 'transfer_step', 'transfer_todo', 'feedback_replied'] as const;
export type MessageKind = (typeof messageKinds)[number];
export const MESSAGE_KIND_LABELS: Record<MessageKind, string> = {
  registration_approved: '登记审核',
  registration_rejected: '登记审核',
  transfer_step: '组织关系转接',
  transfer_todo: '转接待办',
  feedback_replied: '投诉建议',
};

/** What a message or reminder opens: the record it is about. */
export const messageTargets = ['registration', 'transfer', 'feedback', 'birthday', 'orglife'] as const;
export type MessageTarget = (typeof messageTargets)[number];

export const reminderKinds = ['birthday', 'receipt_overdue', 'orglife_due_soon', 'orglife_overdue'] as const;
export type ReminderKind = (typeof reminderKinds)[number];

export const MESSAGE_TITLE_MAX = 60;
export const MESSAGE_BODY_MAX = 300;
export const MESSAGES_PAGE = 20;

/** What one stored message says, built once here from the fact it records. */
export interface MessageText {
  kind: MessageKind;
  title: string;
  body: string;
  targetType: MessageTarget;
  targetId: number | null;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const text = (t: MessageText): MessageText => ({ ...t, title: clip(t.title, MESSAGE_TITLE_MAX), body: clip(t.body, MESSAGE_BODY_MAX) });

export function registrationDecided(registrationId: number, approved: boolean, reason: string | null): MessageText {
  return text(
    approved
      ? {
          kind: 'registration_approved',
          title: '您的党员登记已通过审核',
          body: '支部已核对您的信息，您现在可以使用学习、政治生日、组织生活等全部功能。',
          targetType: 'registration',
          targetId: registrationId,
        }
      : {
          kind: 'registration_rejected',
          title: '您的党员登记未通过审核',
          body: `原因：${reason ?? '未说明'}。请核对后重新登记，或联系所在支部书记。`,
          targetType: 'registration',
          targetId: registrationId,
        },
  );
}

export interface TransferStepFacts {
  transferId: number;
  kind: TransferKind;
  action: TransferAction | 'apply';
  to: TransferState;
  memberName: string;
  comment: string | null;
}

/** To the member moved and the one who filed it: what just happened and where it stands. */
export function transferStepForMember(f: TransferStepFacts): MessageText {
  const step = TRANSFER_ACTION_LABELS[f.action];
  const why = f.comment && (f.action === 'reject' || f.action === 'withdraw') ? `说明：${f.comment}。` : '';
  return text({
    kind: 'transfer_step',
    title: `组织关系${TRANSFER_KIND_LABELS[f.kind]}：${step}`,
    body: `${f.memberName}的组织关系${TRANSFER_KIND_LABELS[f.kind]}已${step}，现在的状态是「${TRANSFER_STATE_LABELS[f.to]}」。${why}`,
    targetType: 'transfer',
    targetId: f.transferId,
  });
}

/** To the officers who act next: what waits for them. */
export function transferTodo(f: TransferStepFacts): MessageText {
  return text({
    kind: 'transfer_todo',
    title: `待办：${f.memberName}的组织关系${TRANSFER_KIND_LABELS[f.kind]}`,
    body: `这项转接现在「${TRANSFER_STATE_LABELS[f.to]}」，需要您办理。`,
    targetType: 'transfer',
    targetId: f.transferId,
  });
}

export function feedbackReplied(feedbackId: number, kind: FeedbackKind, reply: string): MessageText {
  return text({
    kind: 'feedback_replied',
    title: `您的${FEEDBACK_KIND_LABELS[kind]}有了答复`,
    body: `答复：${reply}`,
    targetType: 'feedback',
    targetId: feedbackId,
  });
}

// ---------------------------------------------------------------- reminders (derived)

export interface ReminderView {
  /** Stable while the state holds (a list key), e.g. `orglife:12:branch_committee:2026-06`. */
  key: string;
  kind: ReminderKind;
  title: string;
  body: string;
  targetType: MessageTarget;
  targetId: number | null;
}

export function birthdayReminder(years: number, anniversary: string): ReminderView {
  return {
    key: `birthday:${anniversary}`,
    kind: 'birthday',
    title: `本月是您的政治生日（入党${years}周年）`,
    body: `${Number(anniversary.slice(5, 7))}月${Number(anniversary.slice(8, 10))}日是您入党${years}周年。可以在“政治生日”里重温入党誓词、签到。`,
    targetType: 'birthday',
    targetId: null,
  };
}

export function receiptOverdueReminder(transferId: number, memberName: string, receiptDueOn: string): ReminderView {
  return {
    key: `receipt:${transferId}`,
    kind: 'receipt_overdue',
    title: `回执逾期：${memberName}`,
    body: `${memberName}的组织关系介绍信回执应在${receiptDueOn}前收回，至今未登记。请联系接收单位，收到后登记回执。`,
    targetType: 'transfer',
    targetId: transferId,
  };
}

export function orglifeReminder(branchId: number, kind: DueKind, periodKey: string, periodLabel: string, periodEnd: string, overdue: boolean): ReminderView {
  const what = DUE_KIND_LABELS[kind];
  return {
    key: `orglife:${branchId}:${kind}:${periodKey}`,
    kind: overdue ? 'orglife_overdue' : 'orglife_due_soon',
    title: overdue ? `${what}已逾期（${periodLabel}）` : `${what}即将到期（${periodLabel}）`,
    body: overdue
      ? `${periodLabel}的${what}还没有记录，已过${periodEnd}。开过的请补记，没开的请尽快安排。`
      : `${periodLabel}的${what}还没有记录，${periodEnd}截止。开过后在“组织生活”里记录即可。`,
    targetType: 'orglife',
    targetId: branchId,
  };
}

// ---------------------------------------------------------------- contracts

export const message = z.object({
  id: z.number().int(),
  kind: z.enum(messageKinds),
  title: z.string(),
  body: z.string(),
  targetType: z.enum(messageTargets),
  targetId: z.number().int().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type Message = z.infer<typeof message>;

export const reminder = z.object({
  key: z.string(),
  kind: z.enum(reminderKinds),
  title: z.string(),
  body: z.string(),
  targetType: z.enum(messageTargets),
  targetId: z.number().int().nullable(),
});
export type Reminder = z.infer<typeof reminder>;

export const listMessages = endpoint({
  method: 'GET',
  path: '/api/messages',
  summary: '我的消息：最新的在前，分页（before=上一页最后一条的编号）；第一页附当前提醒（到期的事项，办完即消失）',
  access: 'authenticated',
  ownership: 'self',
  query: z.object({ before: urlId.optional(), limit: urlInt(1, 50, '条数').optional() }).strict(),
  response: z.object({
    items: z.array(message),
    /** Pass as `before` for the next page; null on the last. */
    nextBefore: z.number().int().nullable(),
    unreadCount: z.number().int(),
    /** First page only (empty on later pages). */
    reminders: z.array(reminder),
  }),
  idempotent: true,
});

export const markMessageRead = endpoint({
  method: 'POST',
  path: '/api/messages/:id/read',
  summary: '标记一条消息为已读（重复标记不变）',
  access: 'authenticated',
  // Each message is one account's: anyone else's id answers 404.
  ownership: 'personal',
  idempotencyKey: 'optional',
  params: z.object({ id: urlId }),
  body: z.object({}).strict(),
  response: z.object({ message, unreadCount: z.number().int() }),
  idempotent: true,
});

export const markAllMessagesRead = endpoint({
  method: 'POST',
  path: '/api/messages/read-all',
  summary: '全部标为已读',
  access: 'authenticated',
  ownership: 'self',
  idempotencyKey: 'optional',
  body: z.object({}).strict(),
  response: z.object({ marked: z.number().int(), unreadCount: z.number().int() }),
  idempotent: true,
});
