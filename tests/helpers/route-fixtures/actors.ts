/** Who calls in the authorization matrix, and what the contract says each of them gets. */
import { allowed, type Access, type HttpMethod, type Ownership } from '../../../shared/http.js';

export const ACTORS = [
  'anonymous',
  'forged',
  'expired',
  'owner',
  'peer',
  'otherMember',
  'ownSecretary',
  'otherSecretary',
  'staff',
  // Township B (柳林乡): every fixture's record belongs to township A, so to them it is another tenant's.
  'townshipBMember',
  'townshipBSecretary',
  'townshipBStaff',
  // 县委组织部: reads the whole county, writes nothing of a township's.
  'county',
] as const;
export type Actor = (typeof ACTORS)[number];
export type Outcome = 'ok' | 'unauthenticated' | 'denied';

const ROLE_OF: Record<Actor, 'member' | 'secretary' | 'staff' | 'county' | null> = {
  anonymous: null,
  forged: null,
  expired: null,
  owner: 'member',
  peer: 'member',
  otherMember: 'member',
  ownSecretary: 'secretary',
  otherSecretary: 'secretary',
  staff: 'staff',
  townshipBMember: 'member',
  townshipBSecretary: 'secretary',
  townshipBStaff: 'staff',
  county: 'county',
};

export function expectedOutcome(access: Access, owner: Ownership, actor: Actor, method = 'GET'): Outcome {
  if (access === 'public') return 'ok';
  if (access === 'cron') return 'unauthenticated';
  const role = ROLE_OF[actor];
  if (!role) return 'unauthenticated';
  if (!allowed(access, role, method as HttpMethod)) return 'denied';
  const otherTownship = actor === 'townshipBMember' || actor === 'townshipBSecretary' || actor === 'townshipBStaff';
  switch (owner) {
    case 'none':
    case 'self':
      return 'ok';
    case 'township':
      return otherTownship ? 'denied' : 'ok';
    case 'personal':
      return actor === 'owner' ? 'ok' : 'denied';
    case 'member':
      return actor === 'owner' || actor === 'ownSecretary' || actor === 'staff' || actor === 'county' ? 'ok' : 'denied';
    case 'branch':
      return actor === 'otherMember' || actor === 'otherSecretary' || otherTownship ? 'denied' : 'ok';
  }
}
