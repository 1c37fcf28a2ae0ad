/** Commendations (两优一先): records, campaigns, targets, the honor roll. */
import { randomUUID } from 'node:crypto';
import { get, must, send, type Fixture } from './fixture.js';
import type { World } from './world.js';

async function newCommendation(w: World): Promise<{ id: number; version: number }> {
  const target = await w.freshMember();
  return must(w, 'POST', '/api/commendations', w.tokens.staff, {
    category: 'outstanding_member',
    memberId: target.memberId,
    level: 'township',
    year: 2026,
    awardedOn: '2026-06-01',
    issuedBy: '中共红旗镇委员会',
  });
}

export const COMMENDATION_FIXTURES: Record<string, Fixture> = {
  'GET /api/commendations': { prepare: async () => get('/api/commendations', { year: '2026' }) },
  'POST /api/commendations': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return send('POST', '/api/commendations', {
        category: 'outstanding_member',
        memberId: m.memberId,
        level: 'township',
        year: 2026,
        awardedOn: '2026-06-01',
        issuedBy: '中共红旗镇委员会',
      });
    },
  },
  'GET /api/commendations/export': { prepare: async () => get('/api/commendations/export', { year: '2026' }) },
  'GET /api/commendations/candidates': { prepare: async () => get('/api/commendations/candidates') },
  'PATCH /api/commendations/:id': {
    prepare: async (w) => {
      const c = await newCommendation(w);
      return send('PATCH', `/api/commendations/${c.id}`, { version: c.version, citation: '带头发展特色产业' });
    },
  },
  'DELETE /api/commendations/:id': { prepare: async (w) => send('DELETE', `/api/commendations/${(await newCommendation(w)).id}`) },
  'GET /api/commendation-campaigns': { prepare: async () => get('/api/commendation-campaigns', { year: '2026' }) },
  'POST /api/commendation-campaigns': {
    prepare: async () => send('POST', '/api/commendation-campaigns', { name: `表彰${randomUUID().slice(0, 8)}`, year: 2026 }),
  },
  'GET /api/commendation-targets': { prepare: async () => get('/api/commendation-targets', { year: '2026' }) },
  'PUT /api/commendation-targets': {
    prepare: async () => ({ request: { method: 'PUT', path: '/api/commendation-targets', query: { year: '2026' }, body: { targets: [{ category: 'outstanding_member', target: 10 }] } } }),
  },
  'GET /api/honor-roll': { prepare: async () => get('/api/honor-roll') },
};
