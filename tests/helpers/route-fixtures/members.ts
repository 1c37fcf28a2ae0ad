/** Members: the roster, one member, the Excel import and export, the member's own data. */
import { IMPORT_QUERY } from '../privacy.js';
import { get, send, type Fixture } from './fixture.js';

export const MEMBER_FIXTURES: Record<string, Fixture> = {
  'GET /api/me/export': { prepare: async () => get('/api/me/export') },
  'GET /api/organizations': { prepare: async () => get('/api/organizations') },
  'GET /api/members': { prepare: async () => get('/api/members') },
  'GET /api/members/:id': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return { ...get(`/api/members/${m.memberId}`), ownerToken: m.token };
    },
  },
  'PATCH /api/members/:id': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return { ...send('PATCH', `/api/members/${m.memberId}`, { version: 1, education: '本科' }), ownerToken: m.token };
    },
  },
  'POST /api/members/:id/reveal-id': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return { ...send('POST', `/api/members/${m.memberId}/reveal-id`), ownerToken: m.token };
    },
  },
  // An empty upload: authorization is what this test checks; the import's rules have their own tests.
  'POST /api/members/import': { prepare: async () => ({ request: { method: 'POST', path: '/api/members/import', query: IMPORT_QUERY, rawBody: new Uint8Array() } }), alsoOk: [400, 422] },
  'GET /api/members/export': { prepare: async () => get('/api/members/export') },
  'GET /api/members/import-template': { prepare: async () => get('/api/members/import-template') },
};
