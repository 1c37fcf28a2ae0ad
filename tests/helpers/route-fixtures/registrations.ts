/** Registrations (登记) and the branch's review of them. */
import { addDays } from '../../../shared/calendar.js';
import { makeIdNumber } from '../../../db/seed/identity.js';
import { consentingApplicant } from '../privacy.js';
import { get, must, nextRegistrationSeq, send, type Fixture } from './fixture.js';
import type { World } from './world.js';

async function pendingRegistration(w: World): Promise<number> {
  const applicant = await consentingApplicant(w.ctx);
  const birthDate = addDays('1985-03-01', nextRegistrationSeq());
  const reg = await must<{ id: number }>(w, 'POST', '/api/registrations', applicant, {
    name: '新党员',
    gender: 'male',
    ethnicity: '汉族',
    birthDate,
    idNumber: makeIdNumber(birthDate, 'male', 77, '130102'),
    phone: '13912345678',
    organizationId: w.branchA,
    category: 'full',
    joinedAt: '2015-06-01',
    confirmedAt: '2016-06-01',
  });
  return reg.id;
}

export const REGISTRATION_FIXTURES: Record<string, Fixture> = {
  // Everyone in the matrix is already a member: "already registered" is the domain's answer, not a refusal to authenticate.
  'POST /api/registrations': {
    prepare: async (w) => {
      const birthDate = addDays('1990-01-01', nextRegistrationSeq());
      return send('POST', '/api/registrations', {
        name: '重复登记',
        gender: 'female',
        ethnicity: '汉族',
        birthDate,
        idNumber: makeIdNumber(birthDate, 'female', 33, '130103'),
        phone: '13712345678',
        organizationId: w.branchA,
        category: 'full',
        joinedAt: '2014-06-01',
        confirmedAt: '2015-06-01',
      });
    },
    alsoOk: [409],
  },
  'GET /api/registrations/mine': { prepare: async () => get('/api/registrations/mine'), alsoOk: [404] },
  'GET /api/registrations': { prepare: async () => get('/api/registrations', { status: 'pending' }) },
  'POST /api/registrations/:id/approve': { prepare: async (w) => send('POST', `/api/registrations/${await pendingRegistration(w)}/approve`) },
  'POST /api/registrations/:id/reject': {
    prepare: async (w) => send('POST', `/api/registrations/${await pendingRegistration(w)}/reject`, { reason: '信息有误，请核对后重新登记' }),
  },
};
