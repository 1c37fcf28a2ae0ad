/** 发展党员: records, their steps, targets, the work calendar and the county's view. */
import { addDays } from '../../../shared/calendar.js';
import { makeIdNumber } from '../../../db/seed/identity.js';
import { agreePrivacy } from '../privacy.js';
import { get, must, send, type Fixture } from './fixture.js';
import type { World } from './world.js';

let developmentSeq = 0;
/** A fresh 发展党员 record in branch A (the application only), by its secretary. */
async function newDevelopment(w: World): Promise<{ id: number; version: number; name: string; idNumber: string }> {
  const n = developmentSeq++;
  const idNumber = makeIdNumber(addDays('1996-01-01', n), 'male', 40 + (n % 50), '130105');
  const name = '申请人';
  const r = await must<{ id: number; version: number }>(w, 'POST', '/api/development/records', w.tokens.ownSecretary, {
    organizationId: w.branchA,
    name,
    idNumber,
    phone: '13912345678',
    applicationDate: '2026-06-01',
    evidence: '入党申请书',
    memberConsent: true,
  });
  return { ...r, name, idNumber };
}

export const DEVELOPMENT_FIXTURES: Record<string, Fixture> = {
  'GET /api/development/mine': { prepare: async () => get('/api/development/mine') },
  'POST /api/development/mine/link': {
    // The caller types their own ID number: they agree to the privacy guide first, as the page asks.
    prepare: async (w, actor) => {
      const r = await newDevelopment(w);
      const owner = actor === 'owner' ? await w.freshMember() : null;
      const token = owner?.token ?? (actor === 'anonymous' || actor === 'owner' ? null : w.tokens[actor]);
      if (token && actor !== 'forged' && actor !== 'expired') await agreePrivacy(w.ctx, token);
      return { ...send('POST', '/api/development/mine/link', { name: r.name, idNumber: r.idNumber }), ...(owner ? { ownerToken: owner.token } : {}) };
    },
  },
  'GET /api/development/records': { prepare: async () => get('/api/development/records') },
  'POST /api/development/records': {
    prepare: async (w) => {
      const n = developmentSeq++;
      return send('POST', '/api/development/records', {
        organizationId: w.branchA,
        name: '申请人',
        idNumber: makeIdNumber(addDays('1996-01-01', n), 'male', 40 + (n % 50), '130105'),
        phone: '13912345678',
        applicationDate: '2026-06-01',
        evidence: '入党申请书',
        memberConsent: true,
      });
    },
  },
  'GET /api/development/records/:id': { prepare: async (w) => get(`/api/development/records/${(await newDevelopment(w)).id}`) },
  'POST /api/development/records/:id/steps': {
    prepare: async (w) => {
      const r = await newDevelopment(w);
      return send('POST', `/api/development/records/${r.id}/steps`, { step: 'talk', date: '2026-06-10', evidence: '谈话记录', version: r.version });
    },
    // 派人谈话 is a branch step: the branch's secretary records it, not the committee (which has 预审、审批…).
    override: { staff: 'denied' },
  },
  'GET /api/development/queue': { prepare: async () => get('/api/development/queue') },
  'PUT /api/development/targets/:year': { prepare: async () => send('PUT', '/api/development/targets/2026', { target: 5 }) },
  'GET /api/development/export': { prepare: async () => get('/api/development/export') },
  'GET /api/work-calendar': { prepare: async () => get('/api/work-calendar', { year: '2026' }) },
  'PUT /api/work-calendar/:year': { prepare: async () => send('PUT', '/api/work-calendar/2027', { days: [{ day: '2027-01-01', kind: 'holiday', note: '元旦' }] }) },
  'GET /api/county/development': { prepare: async () => get('/api/county/development', { year: '2026' }) },
  'PUT /api/county/development/targets/:year': { prepare: async () => send('PUT', '/api/county/development/targets/2026', { target: 20 }) },
};
