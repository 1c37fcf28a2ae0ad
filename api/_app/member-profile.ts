/**
 * A member's profile as everyone who may see it is shown it (masked ID number,
 * 出生年月, masked phone, 党龄): one statement. Used by /me and the member routes.
 */
import { eq } from 'drizzle-orm';
import type { IsoDate } from '../../shared/calendar.js';
import { disclosedIdentity } from '../../shared/idcard.js';
import { partyStandingYears, type MemberProfile } from '../../shared/members.js';
import { maskPhone } from '../../shared/phone.js';
import type { Db } from '../../db/client.js';
import { members, organizations } from '../../db/schema/index.js';

/** Columns for a profile, joined with the organization's name: one statement. */
export const memberProfileColumns = {
  id: members.id,
  name: members.name,
  gender: members.gender,
  ethnicity: members.ethnicity,
  birthDate: members.birthDate,
  idMasked: members.idMasked,
  phone: members.phone,
  education: members.education,
  organizationId: members.organizationId,
  organizationName: organizations.name,
  category: members.category,
  joinedAt: members.joinedAt,
  confirmedAt: members.confirmedAt,
  status: members.status,
};

type ProfileRow = Awaited<ReturnType<typeof selectProfiles>>[number];

function selectProfiles(db: Db) {
  return db.select(memberProfileColumns).from(members).innerJoin(organizations, eq(organizations.id, members.organizationId));
}

export function toMemberProfile(row: ProfileRow, today: IsoDate): MemberProfile {
  return {
    id: row.id,
    name: row.name,
    gender: row.gender,
    ethnicity: row.ethnicity,
    ...disclosedIdentity(row),
    phoneMasked: maskPhone(row.phone),
    education: row.education,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    category: row.category,
    joinedAt: row.joinedAt,
    confirmedAt: row.confirmedAt,
    status: row.status,
    partyStandingYears: partyStandingYears(row.confirmedAt, today),
  };
}

export async function loadMemberProfile(db: Db, memberId: number, today: IsoDate): Promise<MemberProfile | null> {
  const [row] = await selectProfiles(db).where(eq(members.id, memberId));
  return row ? toMemberProfile(row, today) : null;
}
