/** 投诉建议: a member's suggestion and the township's handling of it. */
import { get, must, send, type Fixture } from './fixture.js';
import type { World } from './world.js';

/** A fresh suggestion sent by a new member of branch A (through the API). */
async function feedbackOf(w: World): Promise<number> {
  const m = await w.freshMember();
  const res = await must<{ feedback: { id: number } }>(w, 'POST', '/api/feedback', m.token, { kind: 'suggestion', topic: 'work', text: '建议村里多办几次党课' });
  return res.feedback.id;
}

export const FEEDBACK_FIXTURES: Record<string, Fixture> = {
  'POST /api/feedback': { prepare: async () => send('POST', '/api/feedback', { kind: 'suggestion', topic: 'app', text: '希望字再大一点', anonymous: false }) },
  'GET /api/feedback': { prepare: async () => get('/api/feedback') },
  'POST /api/feedback/:id/assign': { prepare: async (w) => send('POST', `/api/feedback/${await feedbackOf(w)}/assign`, {}) },
  'POST /api/feedback/:id/reply': { prepare: async (w) => send('POST', `/api/feedback/${await feedbackOf(w)}/reply`, { reply: '已收到，谢谢' }) },
  'POST /api/feedback/:id/close': { prepare: async (w) => send('POST', `/api/feedback/${await feedbackOf(w)}/close`, {}) },
};
