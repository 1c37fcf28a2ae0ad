/** 消息中心: a member's messages. */
import { get, must, send, type Fixture } from './fixture.js';
import { transferOut } from './transfers.js';

export const MESSAGE_FIXTURES: Record<string, Fixture> = {
  'GET /api/messages': { prepare: async () => get('/api/messages') },
  // A message of a fresh member's own: their transfer passed the branch's review.
  'POST /api/messages/:id/read': {
    prepare: async (w) => {
      const { subject } = await transferOut(w, 'pending_committee');
      const listed = await must<{ items: { id: number }[] }>(w, 'GET', '/api/messages', subject.token);
      const id = listed.items[0]?.id;
      if (!id) throw new Error('the member should have a message of the review');
      return { ...send('POST', `/api/messages/${id}/read`, {}), ownerToken: subject.token };
    },
  },
  'POST /api/messages/read-all': { prepare: async () => send('POST', '/api/messages/read-all', {}) },
};
