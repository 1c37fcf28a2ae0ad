/**
 * "进度提醒我": after filing a transfer, the member may accept one WeChat subscribe message about
 * its next step. Never a condition for anything: the transfer goes on the same without it.
 */
import { z } from 'zod';
import { idParam } from '../common.js';
import { endpoint } from '../http.js';
import { TRANSFER_ACTION_LABELS, TRANSFER_STATE_LABELS, type TransferAction, type TransferState } from './machine.js';

export const transferReminderTemplate = endpoint({
  method: 'GET',
  path: '/api/transfers/progress-reminder',
  summary: '转接进度提醒的订阅消息模板（本镇未设置时为空，申请页不显示“进度提醒我”）',
  access: 'member',
  ownership: 'none',
  response: z.object({ templateId: z.string().nullable() }),
  idempotent: true,
});

export const subscribeTransferProgress = endpoint({
  method: 'POST',
  path: '/api/transfers/:id/progress-reminder',
  summary: '党员在微信里同意了一次转接进度提醒：下一步办理时发一条订阅消息（只发一次）',
  access: 'member',
  // The member the transfer moves (or who filed it) and nobody else: it is their WeChat.
  ownership: 'personal',
  // Recording the same acceptance twice changes nothing: a retry is safe without a key.
  idempotencyKey: 'optional',
  params: idParam,
  /** The template WeChat showed the member: refused when the township has changed it since. */
  body: z.object({ templateId: z.string().min(1).max(64) }).strict(),
  response: z.object({ transferId: z.number().int(), subscribed: z.literal(true) }),
  idempotent: true,
});

/** WeChat's `thing` keywords take at most 20 characters. */
const thing = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);

/** The subscribe message for one step (the template's keywords: 事项, 进度, 办理日期, 备注). */
export function transferProgressNotice(action: TransferAction, to: TransferState, day: string, comment: string | null) {
  return {
    thing1: { value: '组织关系转接' },
    thing2: { value: thing(`${TRANSFER_ACTION_LABELS[action]}，${TRANSFER_STATE_LABELS[to]}`) },
    date3: { value: day },
    thing4: { value: thing(comment?.trim() || '请打开小程序查看办理进度') },
  };
}
