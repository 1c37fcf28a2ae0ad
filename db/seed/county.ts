/**
 * The demo county: the county at the root (清河县), the demo township (红旗镇, seeded first, unchanged) moved
 * under it the way migration 0024 upgrades a deployment in place, and a second township (柳林乡) with its
 * own branches, members, staff and secretaries. It runs after every other seed and draws from its own random
 * stream, so township A's ids and figures are exactly what they were with one township.
 */
import { eq, isNull, ne, sql } from 'drizzle-orm';
import { addDays, shanghaiDate } from '../../shared/calendar.js';
import { BRANCH_KIND, COUNTY_KIND, genders, memberCategories, TOWNSHIP_KIND, type MemberCategory } from '../../shared/common.js';
import { probationEndsAt } from '../../shared/member-facts.js';
import { transferReasons, transferScopes } from '../../shared/transfers.js';
import type { Db } from '../client.js';
import { sealIdNumber, type PiiKeys } from '../pii.js';
import { accounts, members, organizations, transferEvents, transfers } from '../schema/index.js';
import { assertSeedFacts, DEMO_COMMITTEE } from './core.js';
import { makeIdNumber, makePhone } from './identity.js';
import { createRandom } from './random.js';

export const DEMO_COUNTY = '清河县委组织部';
export const SECOND_TOWNSHIP = '柳林乡党委';
export const SECOND_BRANCHES = ['北坡村党支部', '南湾社区党支部', '乡机关党支部'] as const;
/** Region code of the second township's members' ID numbers (distinct from township A's, so no hash collides). */
const REGION_B = '410527';
const NAMES_B = ['孙立新', '郑玉兰', '冯国强', '韩秀云', '曹建华', '彭丽萍', '曾广林', '蒋春梅', '蔡志刚', '贾红英', '丁文涛', '魏淑珍'];

export interface SeededCounty {
  countyId: number;
  townshipBId: number;
  branchBIds: number[];
}

/** The county above whatever townships sit at the root: ids kept, paths prefixed (as migration 0024 does). */
export async function adoptRootTownships(db: Db, name: string): Promise<number> {
  const [county] = await db.insert(organizations).values({ name, kind: COUNTY_KIND, path: '' }).returning({ id: organizations.id });
  if (!county) throw new Error('seed: county not created');
  await db.update(organizations).set({ path: `/${county.id}/` }).where(eq(organizations.id, county.id));
  await db.update(organizations).set({ path: sql`${`/${county.id}`} || ${organizations.path}` }).where(ne(organizations.id, county.id));
  await db.update(organizations).set({ parentId: county.id }).where(sql`${isNull(organizations.parentId)} and ${ne(organizations.id, county.id)}`);
  return county.id;
}

export async function seedCounty(db: Db, keys: PiiKeys, now: Date): Promise<SeededCounty> {
  const today = shanghaiDate(now);
  const random = createRandom(20_260_117);
  return db.transaction(async (tx) => {
    const countyId = await adoptRootTownships(tx as unknown as Db, DEMO_COUNTY);
    await tx.update(organizations).set({ sortOrder: 1 }).where(eq(organizations.name, DEMO_COMMITTEE));
    // The county-wide defaults a township inherits until it sets its own.
    await tx.update(organizations).set({ settings: { birthdayWindow: 'month' } }).where(eq(organizations.id, countyId));
    const [township] = await tx
      .insert(organizations)
      .values({ name: SECOND_TOWNSHIP, kind: TOWNSHIP_KIND, parentId: countyId, sortOrder: 2, settings: { birthdayWindow: 'quarter' } })
      .returning();
    if (!township) throw new Error('seed: second township not created');
    await tx.update(organizations).set({ path: `/${countyId}/${township.id}/` }).where(eq(organizations.id, township.id));
    const branchBIds: number[] = [];
    for (const [i, name] of SECOND_BRANCHES.entries()) {
      // Sort orders are display keys within a township; B's follow A's so a county-wide list keeps A's first.
      const [branch] = await tx
        .insert(organizations)
        .values({ name, kind: BRANCH_KIND, parentId: township.id, sortOrder: 11 + i })
        .returning();
      if (!branch) throw new Error('seed: branch not created');
      await tx.update(organizations).set({ path: `/${countyId}/${township.id}/${branch.id}/` }).where(eq(organizations.id, branch.id));
      branchBIds.push(branch.id);
    }

    const rows = NAMES_B.map((name, i) => {
      const gender = genders[i % 2]!;
      const birthDate = `${random.int(1955, 1998)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
      const joinedAt = `${Number(birthDate.slice(0, 4)) + random.int(20, 26)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
      const joined = joinedAt > addDays(today, -30) ? addDays(today, -400) : joinedAt;
      const probationary = probationEndsAt(joined) > today;
      const category: MemberCategory = probationary ? memberCategories[1] : memberCategories[0];
      const confirmedAt = probationary ? null : probationEndsAt(joined);
      const idNumber = makeIdNumber(birthDate, gender, i + 1, REGION_B);
      assertSeedFacts(name, { birthDate, gender, joinedAt: joined, confirmedAt, idNumber, category }, today);
      return {
        name,
        gender,
        ethnicity: '汉族',
        birthDate,
        ...sealIdNumber(idNumber, keys),
        phone: makePhone(500 + i),
        organizationId: branchBIds[i % branchBIds.length] as number,
        category,
        joinedAt: joined,
        confirmedAt,
      };
    });
    const inserted = await tx.insert(members).values(rows).returning({ id: members.id, organizationId: members.organizationId, name: members.name });

    // First member of each branch is its secretary; the second of the 机关 branch is the township's staff.
    const secretaries = new Set<number>();
    const seen = new Set<number>();
    for (const m of inserted) {
      if (seen.has(m.organizationId)) continue;
      seen.add(m.organizationId);
      secretaries.add(m.id);
    }
    const office = branchBIds[branchBIds.length - 1] as number;
    const staffMember = inserted.filter((m) => m.organizationId === office)[1];
    const accountRows = inserted.map((m) => ({
      openid: `demo-member-${m.id}`,
      role: m.id === staffMember?.id ? ('staff' as const) : secretaries.has(m.id) ? ('secretary' as const) : ('member' as const),
      organizationId: m.id === staffMember?.id ? township.id : secretaries.has(m.id) ? m.organizationId : null,
      memberId: m.id,
      displayName: m.name,
      isDemo: 1,
    }));
    const accountIds = await tx.insert(accounts).values(accountRows).returning({ id: accounts.id, role: accounts.role });
    await tx.insert(accounts).values({ openid: 'demo-county-1', role: 'county', organizationId: countyId, displayName: '县委组织部 组织员', isDemo: 1 });

    // The member who moved between the townships: 转入 to 柳林乡 from 红旗镇, finished before both joined the platform
    // (so the record names 红旗镇 by its name and township A's own ledger is as it was).
    const moved = inserted[inserted.length - 1]!;
    const movedRow = rows[rows.length - 1]!;
    const staffAccount = accountIds.find((a) => a.role === 'staff')!.id;
    const appliedOn = addDays(today, -120);
    const [t] = await tx
      .insert(transfers)
      .values({
        kind: 'in',
        state: 'completed',
        version: 3,
        memberId: moved.id,
        memberName: moved.name,
        gender: movedRow.gender,
        ethnicity: movedRow.ethnicity,
        category: movedRow.category,
        idMasked: movedRow.idMasked,
        idCipher: movedRow.idCipher,
        idHash: movedRow.idHash,
        fromOrganizationId: null,
        fromOrganizationName: DEMO_COMMITTEE,
        toOrganizationId: moved.organizationId,
        toTownshipId: township.id,
        toOrganizationName: SECOND_BRANCHES[(inserted.length - 1) % SECOND_BRANCHES.length] as string,
        incomingLetterNumber: `红组转〔${appliedOn.slice(0, 4)}〕009号`,
        scope: transferScopes[0],
        reason: transferReasons[2],
        duesPaidThrough: appliedOn.slice(0, 7),
        contactPhone: movedRow.phone,
        approverAccountId: staffAccount,
        appliedOn,
        applicantAccountId: staffAccount,
        completedOn: addDays(appliedOn, 3),
      })
      .returning({ id: transfers.id });
    await tx.insert(transferEvents).values(
      (['apply', 'approve', 'report'] as const).map((action, i) => ({
        transferId: t!.id,
        at: new Date(`${addDays(appliedOn, i)}T10:00:00+08:00`),
        actorAccountId: staffAccount,
        actorRole: 'staff',
        action,
        fromState: i === 0 ? null : (['pending_committee', 'awaiting_report'] as const)[i - 1]!,
        toState: (['pending_committee', 'awaiting_report', 'completed'] as const)[i]!,
        comment: i === 0 ? '从红旗镇转来，持介绍信报到' : null,
      })),
    );
    return { countyId, townshipBId: township.id, branchBIds };
  });
}
