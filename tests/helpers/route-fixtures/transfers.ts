/** Organization-relationship transfers (组织关系转接), each advanced to the step its route acts on. */
import { randomUUID } from 'node:crypto';
import { addDays } from '../../../shared/calendar.js';
import { makeIdNumber } from '../../../db/seed/identity.js';
import { branchesOf } from '../townships.js';
import { sameCountyOutBody } from '../transfer-bodies.js';
import { get, must, nextRegistrationSeq, send, type Fixture } from './fixture.js';
import type { World } from './world.js';

/** A transfer out of branch A for a fresh member, advanced to the wanted state. */
export async function transferOut(w: World, state: 'pending_branch' | 'pending_committee' | 'letter_issued') {
  const subject = await w.freshMember();
  let t = await must<{ id: number; version: number }>(w, 'POST', '/api/transfers', subject.token, sameCountyOutBody());
  if (state !== 'pending_branch') {
    t = await must(w, 'POST', `/api/transfers/${t.id}/review`, w.tokens.ownSecretary, { decision: 'approve', version: t.version });
  }
  if (state === 'letter_issued') {
    t = await must(w, 'POST', `/api/transfers/${t.id}/approve`, w.tokens.staff, { version: t.version });
  }
  return { subject, transfer: t };
}

/**
 * 县内跨镇转接 from township B's first branch to branch A, lettered by township B: township A (branch A's
 * secretary, its staff) receives it, so the record is township A's to act on like every other fixture's.
 */
async function crossTownshipIntoA(w: World) {
  const [fromBranch] = (await branchesOf(w.ctx.db, 'B')) as [number];
  const subject = await w.freshMember(fromBranch);
  let t = await must<{ id: number; version: number }>(w, 'POST', '/api/transfers', subject.token, {
    kind: 'cross_township',
    toOrganizationId: w.branchA,
    reason: 'relocation',
    duesPaidThrough: '2026-05',
    contactPhone: '13812345678',
  });
  t = await must(w, 'POST', `/api/transfers/${t.id}/review`, w.tokens.townshipBSecretary, { decision: 'approve', version: t.version });
  t = await must(w, 'POST', `/api/transfers/${t.id}/approve`, w.tokens.townshipBStaff, { version: t.version });
  return { subject, transfer: t };
}


export const TRANSFER_FIXTURES: Record<string, Fixture> = {
  // A member files for themselves; a secretary for a member of their branch; staff for anyone.
  'POST /api/transfers': {
    prepare: async (w, actor) => {
      const m = await w.freshMember();
      return { ...send('POST', '/api/transfers', sameCountyOutBody(actor === 'owner' ? undefined : m.memberId)), ownerToken: m.token };
    },
  },
  'GET /api/transfers': { prepare: async () => get('/api/transfers') },
  'GET /api/transfers/ledger': { prepare: async () => get('/api/transfers/ledger', { year: '2026' }) },
  'GET /api/transfers/:id': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'pending_branch');
      return { ...get(`/api/transfers/${transfer.id}`), ownerToken: subject.token };
    },
  },
  // The branch step belongs to the branch's secretary alone.
  'POST /api/transfers/:id/review': {
    prepare: async (w) => {
      const { transfer } = await transferOut(w, 'pending_branch');
      return send('POST', `/api/transfers/${transfer.id}/review`, { decision: 'approve', version: transfer.version });
    },
    override: { staff: 'denied' },
  },
  'POST /api/transfers/:id/approve': {
    prepare: async (w) => {
      const { transfer } = await transferOut(w, 'pending_committee');
      return send('POST', `/api/transfers/${transfer.id}/approve`, { version: transfer.version });
    },
  },
  // Rejection belongs to whoever acts at the current step: the branch secretary at 支部审核.
  'POST /api/transfers/:id/reject': {
    prepare: async (w) => {
      const { transfer } = await transferOut(w, 'pending_branch');
      return send('POST', `/api/transfers/${transfer.id}/reject`, { reason: '材料不全', version: transfer.version });
    },
    override: { staff: 'denied' },
  },
  'POST /api/transfers/:id/withdraw': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'pending_branch');
      return { ...send('POST', `/api/transfers/${transfer.id}/withdraw`, { version: transfer.version }), ownerToken: subject.token };
    },
  },
  'GET /api/transfers/progress-reminder': { prepare: async () => get('/api/transfers/progress-reminder') },
  // Only the member the transfer moves records their WeChat acceptance; 409 (no template set in the
  // township, or another one) still means authorization let them through.
  'POST /api/transfers/:id/progress-reminder': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'pending_branch');
      return { ...send('POST', `/api/transfers/${transfer.id}/progress-reminder`, { templateId: 'tmpl-transfer-progress' }), ownerToken: subject.token };
    },
    alsoOk: [409],
  },
  'POST /api/transfers/:id/receipt': {
    prepare: async (w) => {
      const { transfer } = await transferOut(w, 'letter_issued');
      return send('POST', `/api/transfers/${transfer.id}/receipt`, { version: transfer.version });
    },
  },
  'POST /api/transfers/:id/receive': {
    prepare: async (w) => {
      const { transfer } = await crossTownshipIntoA(w);
      return send('POST', `/api/transfers/${transfer.id}/receive`, { version: transfer.version });
    },
  },
  'POST /api/transfers/:id/report': {
    prepare: async (w) => {
      const birthDate = addDays('1982-01-01', nextRegistrationSeq());
      let t = await must<{ id: number; version: number }>(w, 'POST', '/api/transfers', w.tokens.staff, {
        kind: 'in',
        // The filer confirms the member agreed to the privacy guide (their ID number is typed by someone else).
        memberConsent: true,
        name: '转入党员',
        gender: 'male',
        ethnicity: '汉族',
        idNumber: makeIdNumber(birthDate, 'male', 55, '130104'),
        category: 'full',
        joinedAt: '2012-06-01',
        confirmedAt: '2013-06-01',
        toOrganizationId: w.branchA,
        fromOrganizationName: '中共某县某镇委员会',
        incomingLetterNumber: `来${randomUUID().slice(0, 6)}`,
        scope: 'in_county',
        reason: 'relocation',
        duesPaidThrough: '2026-05',
        contactPhone: '13612345678',
      });
      t = await must(w, 'POST', `/api/transfers/${t.id}/approve`, w.tokens.staff, { version: t.version });
      return send('POST', `/api/transfers/${t.id}/report`, { version: t.version });
    },
  },
  'GET /api/transfers/:id/letter': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'letter_issued');
      return { ...get(`/api/transfers/${transfer.id}/letter`), ownerToken: subject.token };
    },
  },
  'POST /api/transfers/:id/letter/print': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'letter_issued');
      return { ...send('POST', `/api/transfers/${transfer.id}/letter/print`), ownerToken: subject.token };
    },
  },
};
