/** Study (每天学习1小时): sessions, check-ins, events and their sign-in. */
import { get, must, send, type Fixture } from './fixture.js';
import type { World } from './world.js';

async function eventNow(w: World): Promise<number> {
  const now = w.ctx.clock.now();
  const event = await must<{ id: number }>(w, 'POST', '/api/study/events', w.tokens.ownSecretary, {
    organizationId: w.branchA,
    way: 'branch',
    topic: '学习党章',
    place: '村党群服务中心',
    startsAt: new Date(now.getTime() - 5 * 60_000).toISOString(),
    endsAt: new Date(now.getTime() + 55 * 60_000).toISOString(),
  });
  return event.id;
}

export const STUDY_FIXTURES: Record<string, Fixture> = {
  'POST /api/study/sessions': { prepare: async () => send('POST', '/api/study/sessions', { way: 'platform', topic: '学习党章' }) },
  'POST /api/study/sessions/:id/finish': {
    prepare: async (w) => {
      const m = await w.freshMember();
      const started = await must<{ session: { id: number } }>(w, 'POST', '/api/study/sessions', m.token, { way: 'platform', topic: '学习党章' });
      return { ...send('POST', `/api/study/sessions/${started.session.id}/finish`, {}), ownerToken: m.token };
    },
  },
  'POST /api/study/sessions/:id/presence': {
    prepare: async (w) => {
      const m = await w.freshMember();
      const started = await must<{ session: { id: number } }>(w, 'POST', '/api/study/sessions', m.token, { way: 'platform', topic: '学习党章' });
      return { ...send('POST', `/api/study/sessions/${started.session.id}/presence`, {}), ownerToken: m.token };
    },
  },
  'POST /api/study/checkins': { prepare: async () => send('POST', '/api/study/checkins', { way: 'platform', topic: '读《党员学习手册》', minutes: 10 }) },
  'GET /api/study/me': { prepare: async () => get('/api/study/me') },
  'POST /api/study/events': {
    prepare: async (w) => {
      const now = w.ctx.clock.now();
      return send('POST', '/api/study/events', {
        organizationId: w.branchA,
        way: 'branch',
        topic: '学习党章',
        place: '村党群服务中心',
        startsAt: new Date(now.getTime() + 3_600_000).toISOString(),
        endsAt: new Date(now.getTime() + 7_200_000).toISOString(),
      });
    },
  },
  'GET /api/study/events': { prepare: async () => get('/api/study/events') },
  'GET /api/study/events/:id/qr': { prepare: async (w) => get(`/api/study/events/${await eventNow(w)}/qr`) },
  // Attendees are members of the event's branch; staff belong to the 机关 branch.
  'POST /api/study/events/:id/sign-in': {
    prepare: async (w) => {
      const eventId = await eventNow(w);
      const qr = await must<{ token: string }>(w, 'GET', `/api/study/events/${eventId}/qr`, w.tokens.ownSecretary);
      return send('POST', `/api/study/events/${eventId}/sign-in`, { token: qr.token });
    },
    override: { staff: 'denied' },
  },
  'POST /api/study/events/:id/attendees': {
    prepare: async (w) => {
      const eventId = await eventNow(w);
      const m = await w.freshMember();
      return send('POST', `/api/study/events/${eventId}/attendees`, { memberIds: [m.memberId] });
    },
  },
  'GET /api/study/organizations/:id/week': { prepare: async (w) => get(`/api/study/organizations/${w.branchA}/week`) },
  'GET /api/study/summary': { prepare: async () => get('/api/study/summary', { from: '2026-06-01', to: '2026-06-15' }) },
};
