/** System, sign-in, settings, privacy, the dashboard and the county's views: the domains of one handler file. */
import { randomUUID } from 'node:crypto';
import { PRIVACY_GUIDE_VERSION } from '../../../shared/privacy.js';
import { townshipId } from '../townships.js';
import { get, must, send, type Fixture } from './fixture.js';

export const SYSTEM_FIXTURES: Record<string, Fixture> = {
  'GET /api/health': { prepare: async () => get('/api/health') },
  'GET /api/openapi.json': { prepare: async () => get('/api/openapi.json') },
  'POST /api/dev/clock': { prepare: async () => send('POST', '/api/dev/clock', {}) },
  'POST /api/auth/wechat': { prepare: async () => send('POST', '/api/auth/wechat', { code: `matrix-${randomUUID()}` }) },
  'POST /api/auth/dev': { prepare: async () => send('POST', '/api/auth/dev', { role: 'member' }) },
  'POST /api/auth/refresh': {
    prepare: async (w) => send('POST', '/api/auth/refresh', { refreshToken: await must<{ refreshToken: string }>(w, 'POST', '/api/auth/dev', '', { role: 'member' }).then((s) => s.refreshToken) }),
  },
  'GET /api/auth/dev/accounts': { prepare: async () => get('/api/auth/dev/accounts') },
  'GET /api/me': { prepare: async () => get('/api/me') },
  // County staff name the township they read (township A's: the fixtures' records are A's).
  'GET /api/settings': { prepare: async (w, actor) => get('/api/settings', actor === 'county' ? { townshipId: String(await townshipId(w.ctx.db, 'A')) } : undefined) },
  'PUT /api/settings': { prepare: async () => send('PUT', '/api/settings', { partyDayOfMonth: 12 }) },
  'GET /api/county/settings': { prepare: async () => get('/api/county/settings') },
  'PUT /api/county/settings': { prepare: async () => send('PUT', '/api/county/settings', { partyDayOfMonth: 12 }) },
  'GET /api/dashboard': { prepare: async () => get('/api/dashboard') },
  'GET /api/county/overview': { prepare: async () => get('/api/county/overview') },
  'GET /api/county/roster-statistics': { prepare: async () => get('/api/county/roster-statistics') },
  'GET /api/privacy/consent': { prepare: async () => get('/api/privacy/consent') },
  'POST /api/privacy/consent': { prepare: async () => send('POST', '/api/privacy/consent', { version: PRIVACY_GUIDE_VERSION, guide: true, sensitive: true }) },
  'POST /api/privacy/consent/withdraw': { prepare: async () => send('POST', '/api/privacy/consent/withdraw', {}) },
};
