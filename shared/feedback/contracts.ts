/** 投诉建议: kinds, topics, states and labels (stored as English codes), and the routes. */
import { z } from 'zod';
import { idParam, text } from '../common.js';
import type { Role } from '../common.js';
import { endpoint } from '../http.js';

export const feedbackKinds = ['complaint', 'suggestion'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];
export const FEEDBACK_KIND_LABELS: Record<FeedbackKind, string> = { complaint: '投诉', suggestion: '建议' };

export const feedbackTopics = ['app', 'work', 'township'] as const;
export type FeedbackTopic = (typeof feedbackTopics)[number];
export const FEEDBACK_TOPIC_LABELS: Record<FeedbackTopic, string> = {
  app: '关于小程序',
  work: '关于村（社区）工作',
  township: '关于镇党委的工作',
};

/** Which committee handles one: the sender's township, or the county organization department above it. */
export const feedbackLevels = ['township', 'county'] as const;
export type FeedbackLevel = (typeof feedbackLevels)[number];
export const FEEDBACK_LEVEL_LABELS: Record<FeedbackLevel, string> = { township: '镇党委', county: '县委组织部' };

/**
 * A complaint about the township committee's own work, or one sent by township or county staff, or by
 * someone who belongs to no township yet, is handled one level up, by the county: a committee does not
 * answer complaints about itself (国办函〔2026〕12号 asks the host for the 投诉建议 channel). The rest
 * goes to the sender's township.
 */
export function feedbackHandledBy(topic: FeedbackTopic, sender: { role: Role; hasTownship: boolean }): FeedbackLevel {
  if (topic === 'township') return 'county';
  if (sender.role === 'staff' || sender.role === 'county' || !sender.hasTownship) return 'county';
  return 'township';
}

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
  handledBy: z.enum(feedbackLevels),
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
  summary: '投诉建议列表：本人看自己提交的；镇党委工作人员看本镇办理的，县委组织部看由县里办理的（匿名的不显示姓名）；最新的在前',
  access: 'authenticated',
  ownership: 'none',
  query: z.object({}).strict(),
  response: z.object({ items: z.array(feedbackItem), openCount: z.number().int() }),
  idempotent: true,
});

export const assignFeedback = endpoint({
  method: 'POST',
  path: '/api/feedback/:id/assign',
  summary: '承办投诉建议（办理它的镇党委或县委组织部工作人员，由本人承办）',
  access: 'committee',
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
  summary: '答复投诉建议（办理它的镇党委或县委组织部工作人员；提交人可见）',
  access: 'committee',
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
  summary: '办结投诉建议（办理它的镇党委或县委组织部工作人员；记录保留，不能删除）',
  access: 'committee',
  ownership: 'township',
  idempotencyKey: 'required',
  params: idParam,
  body: z.object({ note: text(200, '说明').optional() }).strict(),
  response: z.object({ feedback: feedbackItem }),
  idempotent: true,
});
