/** Members and organizations. */
import { asc, eq } from 'drizzle-orm';
import type { IsoDate } from '../../shared/calendar.js';
import { maskPhone } from '../../shared/phone.js';
import * as membersApi from '../../shared/members.js';
import { partyStandingYears, type MemberProfile } from '../../shared/members.js';
import type { Db } from '../../db/client.js';
import { members, organizations } from '../../db/schema/index.js';
import { route } from '../_app/context.js';

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
    birthDate: row.birthDate,
    idNumberMasked: row.idMasked,
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

/** Organization names are not personal data: everyone signed in sees the tree (branch pickers need it). */
export const listOrganizations = route(membersApi.organizations, async (ctx) => {
  const rows = await ctx.db
    .select({ id: organizations.id, parentId: organizations.parentId, name: organizations.name, kind: organizations.kind })
    .from(organizations)
    .orderBy(asc(organizations.sortOrder), asc(organizations.id));
  return { organizations: rows };
});
