/**
 * 光荣在党50年纪念章: the year's list (eligible by 1 July and not yet given),
 * the staff's record of a presentation, and one member's medal for their
 * profile. The rule is in shared/medals.ts; once in a life is the unique index.
 */
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { chineseDate } from '../../shared/birthdays.js';
import * as medalsApi from '../../shared/medals.js';
import {
  isNewlyEligible,
  latestEligibleConfirmation,
  medalCutoff,
  medalReachesOn,
  isMedalEligible,
  standingAtCutoff,
  type MedalAward,
} from '../../shared/medals.js';
import type { Db } from '../../db/client.js';
import { medalAwards, members, organizations } from '../../db/schema/index.js';
import type { Principal } from '../_app/auth.js';
import { writeAudit, writeAuditedRead } from '../_app/audit.js';
import { JsonResponse, route } from '../_app/context.js';
import { ApiError, conflict, notFound } from '../_app/errors.js';
import { withIdempotency } from '../_app/idempotency.js';
import { jsonRows, type PersonalDataSection } from '../_app/personal-data.js';
import { memberScope, organizationScope } from '../_app/scope.js';

/**
 * Members with their medal if one was given (a left join): the year's list, the profile and the
 * presentation's answer read the award through this one select and `awardOf`.
 */
function selectMembersWithAward(db: Db) {
  return db
    .select({
      memberId: members.id,
      name: members.name,
      organizationName: organizations.name,
      status: members.status,
      joinedAt: members.joinedAt,
      confirmedAt: members.confirmedAt,
      awardId: medalAwards.id,
      awardYear: medalAwards.year,
      awardedOn: medalAwards.awardedOn,
      presentedBy: medalAwards.presentedBy,
      note: medalAwards.note,
    })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .leftJoin(medalAwards, eq(medalAwards.memberId, members.id));
}

type MemberWithAward = Awaited<ReturnType<typeof selectMembersWithAward>>[number];

/** The member's award, or null where the left join found none. */
function awardOf(r: MemberWithAward): MedalAward | null {
  if (r.awardId == null || r.awardYear == null || r.awardedOn == null || r.presentedBy == null) return null;
  return { id: r.awardId, memberId: r.memberId, name: r.name, organizationName: r.organizationName, year: r.awardYear, awardedOn: r.awardedOn, presentedBy: r.presentedBy, note: r.note };
}

/**
 * The year's list: active members of the township eligible by 1 July with no
 * medal yet, and the year's presentations, in one statement. Audited (a roster read).
 */
export const medalEligible = route(medalsApi.medalEligible, async (ctx) => {
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  const rows = await selectMembersWithAward(ctx.db)
    .where(
      and(
        organizationScope(ctx.user, members.organizationId),
        or(
          and(eq(members.status, 'active'), isNull(medalAwards.id), sql`${members.confirmedAt} <= ${latestEligibleConfirmation(year)}`),
          eq(medalAwards.year, year),
        ),
      ),
    )
    .orderBy(asc(members.confirmedAt), asc(members.id));
  const list = [];
  const awarded: MedalAward[] = [];
  for (const r of rows) {
    const award = awardOf(r);
    if (award) {
      awarded.push(award);
      continue;
    }
    const reachesOn = medalReachesOn(r.confirmedAt);
    if (!r.confirmedAt || !reachesOn || !isMedalEligible(r.confirmedAt, year)) continue;
    list.push({
      memberId: r.memberId,
      name: r.name,
      organizationName: r.organizationName,
      joinedAt: r.joinedAt,
      confirmedAt: r.confirmedAt,
      reachesOn,
      partyStandingYears: standingAtCutoff(r.confirmedAt, year) ?? 0,
      newlyEligible: isNewlyEligible(r.confirmedAt, year),
    });
  }
  awarded.sort((a, b) => (a.awardedOn < b.awardedOn ? -1 : a.awardedOn > b.awardedOn ? 1 : a.id - b.id));
  const entry = { action: 'birthday.medal_list.read', targetType: 'member_list', details: { year, count: list.length } };
  await writeAuditedRead(ctx.db, ctx.user, entry, ctx.now, ctx.deps.config.auditedReadRateLimit);
  return { year, cutoff: medalCutoff(year), members: list, total: list.length, newlyEligible: list.filter((m) => m.newlyEligible).length, awarded };
});

async function loadAward(db: Db, memberId: number): Promise<MedalAward | undefined> {
  const [row] = await selectMembersWithAward(db).where(eq(members.id, memberId));
  return (row && awardOf(row)) ?? undefined;
}

/**
 * Records a presentation. The unique index on member_id makes it once in a
 * life: a retry (same date and presenter) gets the first record back; a
 * different second record is refused naming the first.
 */
export const recordMedalAward = route(medalsApi.recordMedalAward, async (ctx) => {
  const p: Principal = ctx.user;
  const b = ctx.body;
  if (b.awardedOn > ctx.today) throw new ApiError('unprocessable', '颁发日期不能晚于今天');
  const year = Number(b.awardedOn.slice(0, 4));
  return withIdempotency<{ award: MedalAward; alreadyRecorded: boolean }>(ctx, 'medals.award', async (tx) => {
    const [member] = await tx
      .select({ id: members.id, name: members.name, status: members.status, confirmedAt: members.confirmedAt })
      .from(members)
      .where(and(eq(members.id, b.memberId), organizationScope(p, members.organizationId)))
      .for('share');
    if (!member) throw notFound('党员');
    if (member.status !== 'active') throw new ApiError('unprocessable', `${member.name}已不在册，不能登记颁发`);
    if (!isMedalEligible(member.confirmedAt, year)) {
      const reaches = medalReachesOn(member.confirmedAt);
      throw new ApiError(
        'unprocessable',
        reaches
          ? `${member.name}的党龄到${year}年7月1日未满50年（${chineseDate(reaches)}满50年），不能登记${year}年的纪念章`
          : `${member.name}尚未转正，党龄未满50年`,
      );
    }
    const [inserted] = await tx
      .insert(medalAwards)
      .values({ memberId: member.id, year, awardedOn: b.awardedOn, presentedBy: b.presentedBy, note: b.note || null, recordedByAccountId: p.accountId, createdAt: ctx.now })
      .onConflictDoNothing({ target: medalAwards.memberId })
      .returning({ id: medalAwards.id });
    const award = await loadAward(tx, member.id);
    if (!award) throw new Error('medal award neither inserted nor found');
    if (!inserted) {
      if (award.awardedOn === b.awardedOn && award.presentedBy === b.presentedBy) return { award, alreadyRecorded: true };
      throw conflict(`${member.name}已于${chineseDate(award.awardedOn)}由${award.presentedBy}颁发“光荣在党50年”纪念章，每名党员只颁发一次`, { existing: award });
    }
    await writeAudit(
      tx,
      p,
      { action: 'medal.award', targetType: 'member', targetId: member.id, details: { awardId: inserted.id, year, awardedOn: b.awardedOn, presentedBy: b.presentedBy } },
      ctx.now,
    );
    return new JsonResponse(201, { award, alreadyRecorded: false });
  });
});

/** One member's medal, for their profile (one statement): the member themselves, their branch's secretary, staff (404 otherwise). */
export const memberMedal = route(medalsApi.memberMedal, async (ctx) => {
  const [row] = await selectMembersWithAward(ctx.db).where(and(eq(members.id, ctx.params.id), memberScope(ctx.user, members.id, members.organizationId)));
  if (!row) throw notFound('党员');
  const award = awardOf(row);
  return { memberId: row.memberId, award, reachesOn: medalReachesOn(row.confirmedAt) };
});

/** The member's own medal, for their data export (api/_app/personal-data.ts). */
export const medalSections: PersonalDataSection[] = [
  {
    key: 'medal_awards',
    title: '光荣在党50年纪念章',
    tables: [medalAwards],
    rows: (s) => jsonRows(medalAwards, ['year', 'awardedOn', 'presentedBy', 'note'], { where: eq(medalAwards.memberId, s.memberId), orderBy: [medalAwards.year] }),
  },
];
