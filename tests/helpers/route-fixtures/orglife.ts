/** Organizational life (三会一课, 民主评议, 谈心谈话, 讲党课). */
import { randomUUID } from 'node:crypto';
import { tinyPng } from '../photos.js';
import { get, must, send, type Fixture } from './fixture.js';
import type { World } from './world.js';

/** A 支委会 of a branch held the day before the test clock's day, nobody ticked yet. */
export function committeeMeetingBody(organizationId: number) {
  return {
    organizationId,
    type: 'branch_committee',
    topic: '研究本月工作',
    place: '村党群服务中心',
    host: '支部书记',
    startsAt: '2026-06-14T09:00:00+08:00',
    endsAt: '2026-06-14T10:00:00+08:00',
    carriesStudy: false,
    attendance: [],
  };
}

const orglifeMeetingOf = async (w: World) => (await must<{ id: number }>(w, 'POST', '/api/orglife/meetings', w.tokens.ownSecretary, committeeMeetingBody(w.branchA))).id;

/** A photo in a fresh meeting of branch A, uploaded by its secretary. */
async function orglifePhotoOf(w: World): Promise<number> {
  const res = await w.ctx.call<{ id: number }>('POST', `/api/orglife/meetings/${await orglifeMeetingOf(w)}/photos`, {
    token: w.tokens.ownSecretary,
    rawBody: tinyPng(),
    headers: { 'idempotency-key': `fixture-${randomUUID()}`, 'content-type': 'image/png' },
  });
  if (res.status !== 201) throw new Error(`fixture photo upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

let gradeSeq = 0;
/** Branch A's 2026 民主评议 (opened once; later calls answer the same round). */
function orglifeAppraisal(w: World) {
  return must<{ id: number; members: { memberId: number }[] }>(w, 'POST', '/api/orglife/appraisals', w.tokens.staff, { organizationId: w.branchA, year: 2026 });
}

export const ORGLIFE_FIXTURES: Record<string, Fixture> = {
  'POST /api/orglife/meetings': { prepare: async (w) => send('POST', '/api/orglife/meetings', committeeMeetingBody(w.branchA)) },
  'PUT /api/orglife/meetings/:id/attendance': {
    prepare: async (w) => {
      const m = await w.freshMember();
      const meeting = await must<{ id: number }>(w, 'POST', '/api/orglife/meetings', w.tokens.ownSecretary, committeeMeetingBody(w.branchA));
      return send('PUT', `/api/orglife/meetings/${meeting.id}/attendance`, { attendance: [{ memberId: m.memberId, status: 'present' }] });
    },
  },
  'GET /api/orglife/meetings': { prepare: async () => get('/api/orglife/meetings') },
  'GET /api/orglife/meetings/:id': {
    prepare: async (w) => get(`/api/orglife/meetings/${(await must<{ id: number }>(w, 'POST', '/api/orglife/meetings', w.tokens.ownSecretary, committeeMeetingBody(w.branchA))).id}`),
  },
  'GET /api/orglife/organizations/:id/expected': { prepare: async (w) => get(`/api/orglife/organizations/${w.branchA}/expected`, { date: '2026-06-14' }) },
  'GET /api/orglife/calendar': { prepare: async (w) => get('/api/orglife/calendar', { organizationId: String(w.branchA) }) },
  'GET /api/orglife/township': { prepare: async () => get('/api/orglife/township') },
  'GET /api/orglife/me': { prepare: async () => get('/api/orglife/me') },
  'POST /api/orglife/appraisals': { prepare: async (w) => send('POST', '/api/orglife/appraisals', { organizationId: w.branchA, year: 2026 }) },
  'GET /api/orglife/appraisals/:id': { prepare: async (w) => get(`/api/orglife/appraisals/${(await orglifeAppraisal(w)).id}`) },
  'PUT /api/orglife/appraisals/:id/grades/:memberId': {
    prepare: async (w) => {
      // The round is opened once: each call grades the next member of it, so two calls are two records.
      const round = await orglifeAppraisal(w);
      if (round.members.length < 2) throw new Error('branch A\'s appraisal should assess at least two members');
      const member = round.members[gradeSeq++ % round.members.length]!;
      return send('PUT', `/api/orglife/appraisals/${round.id}/grades/${member.memberId}`, { grade: 'qualified' });
    },
  },
  'POST /api/orglife/talks': {
    prepare: async (w) => send('POST', '/api/orglife/talks', { withMemberId: (await w.freshMember()).memberId, day: '2026-06-14', topic: '思想和生活情况' }),
  },
  'GET /api/orglife/export': { prepare: async () => get('/api/orglife/export') },
  'GET /api/orglife/lecture-duty': { prepare: async () => get('/api/orglife/lecture-duty') },
  'PUT /api/orglife/lecture-duty/:id': {
    prepare: async (w) => send('PUT', `/api/orglife/lecture-duty/${(await w.freshMember()).memberId}`, { branchIds: [w.branchA] }),
  },
  'GET /api/orglife/organizations/:id/speakers': { prepare: async (w) => get(`/api/orglife/organizations/${w.branchA}/speakers`) },
  // Each caller a fresh meeting of branch A (and a fresh photo in it): nobody meets the nine-photo limit.
  'POST /api/orglife/meetings/:id/photos': {
    prepare: async (w) => ({ request: { method: 'POST', path: `/api/orglife/meetings/${await orglifeMeetingOf(w)}/photos`, rawBody: tinyPng(), contentType: 'image/png' } }),
  },
  'GET /api/orglife/meetings/:id/photos': { prepare: async (w) => get(`/api/orglife/meetings/${await orglifeMeetingOf(w)}/photos`) },
  'GET /api/orglife/photos/:id': { prepare: async (w) => get(`/api/orglife/photos/${await orglifePhotoOf(w)}`) },
  'DELETE /api/orglife/photos/:id': { prepare: async (w) => send('DELETE', `/api/orglife/photos/${await orglifePhotoOf(w)}`) },
};
