/** 投诉建议: kinds, topics, states and labels (stored as English codes), and the routes. */
import { z } from 'zod';
import { idParam, text } from '../common.js';
import { endpoint } from '../http.js';

export const feedbackKinds = ['complaint', 'suggestion'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];
export const FEEDBACK_KIND_LABELS: Record<FeedbackKind, string> = { complaint: '投诉', suggestion: '建议' };

export const feedbackTopics = ['app', 'work'] as const;
export type FeedbackTopic = (typeof feedbackTopics)[number];
export const FEEDBACK_TOPIC_LABELS: Record<FeedbackTopic, string> = { app: '关于小程序', work: '关于镇村工作' };

export const feedbackStates = ['open', 'assigned', 'replied', 'closed'] as const;
export type FeedbackState = (typeof feedbackStates)[number];
export const FEEDBACK_STATE_LABELS: Record<FeedbackState, string> = { open: '待处理', assigned: '处理中', replied: '已答复', closed: '已办结' };

export const feedbackActions = ['sent', 'assigned', 'replied', 'closed'] as const;
export type FeedbackAction = (typeof feedbackActions)[number];
export const FEEDBACK_ACTION_LABELS: Record<FeedbackAction, string> = { sent: '提交', assigned: '承办', replied: '答复', closed: '办结' };

/** WeChat's content rules: plain text, bounded; no images required. */
export const FEEDBACK_TEXT_MIN = 5;
export const FEEDBACK_TEXT_MAX = 500;
export const FEEDBACK_REPLY_MAX = 500;

const body = (max: number, label: string, min = 1) =>
  text(max, label).pipe(z.string().min(min, min > 1 ? `${label}至少${min}个字` : `请填写${label}`));

export const feedbackItem = z.object({
  id: z.number().int(),
  kind: z.enum(feedbackKinds),
  topic: z.enum(feedbackTopics),
  text: z.string(),
  anonymous: z.boolean(),
  /** Staff only, and never for an anonymous one; null otherwise. */
  senderName: z.string().nullable(),
  /** Whether the caller sent it. */
  mine: z.boolean(),
  state: z.enum(feedbackStates),
  assignedToName: z.string().nullable(),
  reply: z.string().nullable(),
  repliedAt: z.string().nullable(),
  createdAt: z.string(),
  history: z.array(z.object({ action: z.enum(feedbackActions), at: z.string(), note: z.string().nullable() })),
});
export type FeedbackItem = z.infer<typeof feedbackItem>;

export const sendFeedback = endpoint({
  method: 'POST',
  path: '/api/feedback',
  summary: '提交投诉或建议（可选择不向支部显示姓名）',
  access: 'authenticated',
  ownership: 'self',
  idempotencyKey: 'required',
  body: z
    .object({
      kind: z.enum(feedbackKinds, { message: '请选择投诉或建议' }),
      topic: z.enum(feedbackTopics, { message: '请选择内容类别' }),
      text: body(FEEDBACK_TEXT_MAX, '内容', FEEDBACK_TEXT_MIN),
      anonymous: z.boolean().default(false),
    })
    .strict(),
  response: z.object({ feedback: feedbackItem }),
  idempotent: true,
});

export const listFeedback = endpoint({
  method: 'GET',
  path: '/api/feedback',
  summary: '投诉建议列表：本人看自己提交的；党委工作人员看本镇的（匿名的不显示姓名）；最新的在前',
  access: 'authenticated',
  ownership: 'none',
  query: z.object({}).strict(),
  response: z.object({ items: z.array(feedbackItem), openCount: z.number().int() }),
  idempotent: true,
});

export const assignFeedback = endpoint({
  method: 'POST',
  path: '/api/feedback/:id/assign',
  summary: '承办投诉建议（党委工作人员，由本人承办）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  params: idParam,
  body: z.object({}).strict(),
  response: z.object({ feedback: feedbackItem }),
  idempotent: true,
});

export const replyFeedback = endpoint({
  method: 'POST',
  path: '/api/feedback/:id/reply',
  summary: '答复投诉建议（党委工作人员；提交人可见）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  params: idParam,
  body: z.object({ reply: body(FEEDBACK_REPLY_MAX, '答复') }).strict(),
  response: z.object({ feedback: feedbackItem }),
  idempotent: true,
});

export const closeFeedback = endpoint({
  method: 'POST',
  path: '/api/feedback/:id/close',
  summary: '办结投诉建议（党委工作人员；记录保留，不能删除）',
  access: 'staff',
  ownership: 'township',
  idempotencyKey: 'required',
  params: idParam,
  body: z.object({ note: text(200, '说明').optional() }).strict(),
  response: z.object({ feedback: feedbackItem }),
  idempotent: true,
});
