/** 乡镇开通: townships, branches and invitation codes. */
import { townshipId } from '../townships.js';
import { get, must, send, type Fixture } from './fixture.js';
import type { World } from './world.js';

let onboardingSeq = 0;
interface Issued {
  invitation: { id: number };
  code: string;
}
/** A fresh invitation for township A's staff, issued by county staff. */
const countyInvitation = async (w: World) =>
  must<Issued>(w, 'POST', '/api/county/invitations', w.tokens.county, { organizationId: await townshipId(w.ctx.db, 'A') });
/** A fresh invitation for branch A's secretary, issued by township A's staff. */
const secretaryInvitation = (w: World) => must<Issued>(w, 'POST', '/api/invitations', w.tokens.staff, { role: 'secretary', organizationId: w.branchA });

export const ONBOARDING_FIXTURES: Record<string, Fixture> = {
  'GET /api/county/townships': { prepare: async () => get('/api/county/townships') },
  'POST /api/county/townships': { prepare: async () => send('POST', '/api/county/townships', { name: `矩阵${++onboardingSeq}镇党委` }) },
  'POST /api/county/townships/:id/branches': {
    prepare: async (w) => send('POST', `/api/county/townships/${await townshipId(w.ctx.db, 'A')}/branches`, { names: [`矩阵${++onboardingSeq}村党支部`] }),
  },
  'POST /api/county/invitations': { prepare: async (w) => send('POST', '/api/county/invitations', { organizationId: await townshipId(w.ctx.db, 'A') }) },
  'POST /api/county/invitations/:id/revoke': {
    prepare: async (w) => send('POST', `/api/county/invitations/${(await countyInvitation(w)).invitation.id}/revoke`, {}),
  },
  'POST /api/invitations': { prepare: async (w) => send('POST', '/api/invitations', { role: 'secretary', organizationId: w.branchA }) },
  'GET /api/invitations': { prepare: async () => get('/api/invitations') },
  'POST /api/invitations/:id/revoke': { prepare: async (w) => send('POST', `/api/invitations/${(await secretaryInvitation(w)).invitation.id}/revoke`, {}) },
  // A revoked code: every signed-in caller gets through to the code's own refusal (409), and nobody's role changes.
  'POST /api/invitations/redeem': {
    prepare: async (w) => {
      const issued = await secretaryInvitation(w);
      await must(w, 'POST', `/api/invitations/${issued.invitation.id}/revoke`, w.tokens.staff, {});
      return send('POST', '/api/invitations/redeem', { code: issued.code });
    },
    alsoOk: [409],
  },
};
