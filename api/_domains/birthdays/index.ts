/**
 * 政治生日: the member's own view and sign-in and the branch's monthly list (with
 * the 光荣在党50年 state); the secretary's collective ceremony is in ceremony.ts,
 * the daily reminder job in reminders.ts. The medal list and awards are in
 * medals.ts. Date rules live in shared/birthdays.ts.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import * as birthdaysApi from '../../../shared/birthdays.js';
import {
  anniversaryInYear,
  anniversaryNumber,
  birthdayStatus,
  isMilestone,
  windowClosedMessage,
  type SignInRecord,
} from '../../../shared/birthdays.js';
import { parseIsoMonth, shanghaiMonth } from '../../../shared/calendar.js';
import { resolveQueuedTime } from '../../../shared/queued-writes.js';
import type { ResponseOf } from '../../../shared/http.js';
import { partyStandingYears } from '../../../shared/members.js';
import { isMedalEligible, medalStateOf } from '../../../shared/medals.js';
import type { Db } from '../../../db/client.js';
import { birthdayCeremonies, birthdaySignIns, medalAwards, members, organizations } from '../../../db/schema/index.js';
import { JsonResponse, route, type Ctx } from '../../_app/context.js';
import { ApiError, conflict } from '../../_app/errors.js';
import { writeAudit } from '../../_app/audit.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { assertOfficerMayUseOrganization, organizationScope } from '../../_app/scope.js';
import { branch, selectMembersWithSettings, settingsOf } from './members-settings.js';
import { runReminderJob } from './reminders.js';

export { recordCeremony } from './ceremony.js';
export { myBirthday } from './my-birthday.js';

/** The signed-in member with their branch and their township's settings: one statement. */
async function loadSelf(db: Db, memberId: number) {
  const [row] = await selectMembersWithSettings(db, {
    id: members.id,
    name: members.name,
    status: members.status,
    joinedAt: members.joinedAt,
    confirmedAt: members.confirmedAt,
    organizationName: branch.name,
  }).where(eq(members.id, memberId));
  return row;
}

function requireMemberId(ctx: Ctx): number {
  const memberId = ctx.user.memberId;
  if (memberId == null) throw new ApiError('not_found', '未找到您的党员档案，请联系支部书记');
  return memberId;
}

/** A sign-in's own columns (what an insert returns)… */
const signInFields = {
  id: birthdaySignIns.id,
  year: birthdaySignIns.year,
  years: birthdaySignIns.years,
  signedAt: birthdaySignIns.signedAt,
  mode: birthdaySignIns.mode,
  reflection: birthdaySignIns.reflection,
  offlineLate: birthdaySignIns.offlineLate,
};

/** …and with its ceremony, for reads. */
const signInColumns = {
  ...signInFields,
  ceremonyId: birthdayCeremonies.id,
  ceremonyHeldOn: birthdayCeremonies.heldOn,
  ceremonyTopic: birthdayCeremonies.topic,
};

function selectSignIns(db: Db) {
  return db.select(signInColumns).from(birthdaySignIns).leftJoin(birthdayCeremonies, eq(birthdayCeremonies.id, birthdaySignIns.ceremonyId));
}

type SignInRow = Awaited<ReturnType<typeof selectSignIns>>[number];

function toSignInRecord(row: SignInRow): SignInRecord {
  return {
    id: row.id,
    year: row.year,
    years: row.years,
    signedAt: row.signedAt.toISOString(),
    mode: row.mode,
    reflection: row.reflection,
    offlineLate: row.offlineLate,
    ceremony:
      row.ceremonyId != null && row.ceremonyHeldOn != null && row.ceremonyTopic != null
        ? { id: row.ceremonyId, heldOn: row.ceremonyHeldOn, topic: row.ceremonyTopic }
        : null,
  };
}

/**
 * One sign-in per (member, year), enforced by the unique index: the insert
 * does nothing on a retry, and the existing record is returned instead. A
 * sign-in queued offline counts for the day it was made (the window of that
 * day), within the bound (shared/queued-writes.ts); with an Idempotency-Key a
 * replay answers exactly as the first upload did.
 */
export const signIn = route(birthdaysApi.signIn, async (ctx) => {
  const memberId = requireMemberId(ctx);
  return withIdempotency<ResponseOf<typeof birthdaysApi.signIn>>(ctx, 'birthdays.sign-in', async (tx) => {
    const when = resolveQueuedTime(ctx.body.queued, ctx.now);
    if (!when.ok) throw new ApiError('unprocessable', when.message, { reason: when.reason });
    const self = await loadSelf(tx, memberId);
    if (!self) throw new ApiError('not_found', '未找到您的党员档案，请联系支部书记');
    if (self.status !== 'active') throw new ApiError('unprocessable', '您的党籍状态不是“在册”，无法签到，请联系支部书记');
    const status = birthdayStatus(self.joinedAt, when.day, settingsOf(self).birthdayWindow);
    const open = status.open;
    if (!open) throw conflict(windowClosedMessage(status), { opens: status.upcoming.opens, year: status.upcoming.year });

    const reflection = ctx.body.reflection ? ctx.body.reflection : null;
    const inserted = await tx
      .insert(birthdaySignIns)
      .values({
        memberId,
        year: open.year,
        years: open.years,
        mode: 'individual',
        reflection,
        signedAt: when.at,
        offlineLate: when.late,
        recordedByAccountId: ctx.user.accountId,
      })
      .onConflictDoNothing({ target: [birthdaySignIns.memberId, birthdaySignIns.year] })
      .returning(signInFields);
    const [created] = inserted;
    if (created) {
      if (when.late) {
        await writeAudit(tx, ctx.user, {
          action: 'birthdays.offline_sign_in', targetType: 'member', targetId: memberId,
          details: { signInId: created.id, year: open.year, offlineLate: true, recordedAt: when.at.toISOString() },
        }, ctx.now);
      }
      const record = toSignInRecord({ ...created, ceremonyId: null, ceremonyHeldOn: null, ceremonyTopic: null });
      return new JsonResponse(201, { signIn: record, alreadySignedIn: false });
    }
    // A retry, or signed in already (perhaps at the branch's ceremony): the first record stands.
    const [existing] = await selectSignIns(tx).where(
      and(eq(birthdaySignIns.memberId, memberId), eq(birthdaySignIns.year, open.year)),
    );
    if (!existing) throw new Error('sign-in neither inserted nor found');
    return { signIn: toSignInRecord(existing), alreadySignedIn: true };
  });
});

export const monthList = route(birthdaysApi.monthList, async (ctx) => {
  const p = ctx.user;
  const month = ctx.query.month ?? shanghaiMonth(ctx.now);
  const parsed = parseIsoMonth(month);
  if (!parsed) throw new ApiError('validation_failed', '月份格式应为 YYYY-MM');
  let organizationId = ctx.query.organizationId ?? null;
  if (p.role === 'secretary') organizationId ??= p.organizationId;
  if (organizationId != null) assertOfficerMayUseOrganization(p, organizationId);

  const signIn = birthdaySignIns;
  const rows = await ctx.db
    .select({
      memberId: members.id,
      name: members.name,
      organizationId: members.organizationId,
      organizationName: organizations.name,
      joinedAt: members.joinedAt,
      confirmedAt: members.confirmedAt,
      signedAt: signIn.signedAt,
      mode: signIn.mode,
      medalAwardId: medalAwards.id,
    })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .leftJoin(signIn, and(eq(signIn.memberId, members.id), eq(signIn.year, parsed.year)))
    .leftJoin(medalAwards, eq(medalAwards.memberId, members.id))
    .where(
      and(
        organizationScope(p, members.organizationId),
        organizationId != null ? eq(members.organizationId, organizationId) : undefined,
        eq(members.status, 'active'),
        sql`extract(month from ${members.joinedAt}) = ${parsed.month}`,
        sql`extract(year from ${members.joinedAt}) < ${parsed.year}`,
      ),
    )
    .orderBy(asc(sql`extract(day from ${members.joinedAt})`), asc(organizations.sortOrder), asc(members.id));

  const list = rows.map((r) => {
    const anniversary = anniversaryInYear(r.joinedAt, parsed.year);
    const years = anniversaryNumber(r.joinedAt, parsed.year);
    return {
      memberId: r.memberId,
      name: r.name,
      organizationId: r.organizationId,
      organizationName: r.organizationName,
      joinedAt: r.joinedAt,
      anniversary,
      years,
      partyStandingYears: partyStandingYears(r.confirmedAt, anniversary),
      milestone: isMilestone(years),
      medalEligible: r.medalAwardId != null || isMedalEligible(r.confirmedAt, parsed.year),
      medal: medalStateOf(r.confirmedAt, parsed.year, r.medalAwardId != null),
      signedIn: r.signedAt != null,
      signedAt: r.signedAt ? r.signedAt.toISOString() : null,
      mode: r.mode,
    };
  });
  // Sort by the anniversary (29 Feb joiners fall on the 28th in common years).
  list.sort((a, b) => (a.anniversary < b.anniversary ? -1 : a.anniversary > b.anniversary ? 1 : 0));
  return { month, organizationId, members: list, total: list.length, signed: list.filter((m) => m.signedIn).length };
});

export const runReminders = route(birthdaysApi.runReminders, async (ctx) => runReminderJob(ctx as unknown as Ctx));
export const runRemindersFromCron = route(birthdaysApi.runRemindersFromCron, async (ctx) => runReminderJob(ctx as unknown as Ctx));
