/**
 * 政治生日: the member's own view and sign-in, the branch's monthly list (with
 * the 光荣在党50年 state), the secretary's collective ceremony, and the daily
 * reminder job. The medal list and awards are in medals.ts. Date rules live in shared/birthdays.ts.
 */
import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import * as birthdaysApi from '../../shared/birthdays.js';
import {
  anniversaryInYear,
  anniversaryNumber,
  birthdayStatus,
  birthdayWindowSetting,
  chineseDate,
  isMilestone,
  occasionInYear,
  windowAround,
  windowClosedMessage,
  type BirthdayOccasion,
  type BirthdayWindow,
  type SignInRecord,
} from '../../shared/birthdays.js';
import { addDays, eachDay, parseIsoMonth, shanghaiMonth, type IsoDate } from '../../shared/calendar.js';
import { partyStandingYears } from '../../shared/members.js';
import { isMedalEligible, medalStateOf } from '../../shared/medals.js';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { accounts, birthdayCeremonies, birthdayReminders, birthdaySignIns, medalAwards, members, organizations } from '../../db/schema/index.js';
import { writeAudit } from '../_app/audit.js';
import { JsonResponse, route, type Ctx } from '../_app/context.js';
import { ApiError, conflict, forbidden } from '../_app/errors.js';
import { withIdempotency } from '../_app/idempotency.js';
import { assertOfficerMayUseOrganization, organizationScope, subtreeOf } from '../_app/scope.js';
import { subscribeSenderFor, type SubscribeSender } from '../_app/wechat-subscribe.js';

const branch = alias(organizations, 'branch');
const township = alias(organizations, 'township');

/** The signed-in member with their branch and their township's settings: one statement. */
async function loadSelf(db: Db, memberId: number) {
  const [row] = await db
    .select({
      id: members.id,
      name: members.name,
      status: members.status,
      joinedAt: members.joinedAt,
      confirmedAt: members.confirmedAt,
      organizationName: branch.name,
      settings: sql<unknown>`coalesce(${township.settings}, ${branch.settings})`,
    })
    .from(members)
    .innerJoin(branch, eq(branch.id, members.organizationId))
    .leftJoin(township, eq(township.id, branch.parentId))
    .where(eq(members.id, memberId));
  return row;
}

function requireMemberId(ctx: Ctx): number {
  const memberId = ctx.user.memberId;
  if (memberId == null) throw new ApiError('not_found', '未找到您的党员档案，请联系支部书记');
  return memberId;
}

const signInColumns = {
  id: birthdaySignIns.id,
  year: birthdaySignIns.year,
  years: birthdaySignIns.years,
  signedAt: birthdaySignIns.signedAt,
  mode: birthdaySignIns.mode,
  reflection: birthdaySignIns.reflection,
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
    ceremony:
      row.ceremonyId != null && row.ceremonyHeldOn != null && row.ceremonyTopic != null
        ? { id: row.ceremonyId, heldOn: row.ceremonyHeldOn, topic: row.ceremonyTopic }
        : null,
  };
}

function occasionBody(o: BirthdayOccasion) {
  return { year: o.year, anniversary: o.anniversary, years: o.years, opens: o.opens, closes: o.closes };
}

function reminderTemplateId(settings: unknown): string | null {
  const value = settings && typeof settings === 'object' ? (settings as Record<string, unknown>).birthdayReminderTemplateId : undefined;
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Two statements: the member with settings, then their sign-ins. */
export const myBirthday = route(birthdaysApi.myBirthday, async (ctx) => {
  const memberId = requireMemberId(ctx);
  const self = await loadSelf(ctx.db, memberId);
  if (!self) throw new ApiError('not_found', '未找到您的党员档案，请联系支部书记');
  const rows = await selectSignIns(ctx.db).where(eq(birthdaySignIns.memberId, memberId)).orderBy(desc(birthdaySignIns.year));
  const window = birthdayWindowSetting(self.settings);
  const status = birthdayStatus(self.joinedAt, ctx.today, window);
  const signIns = rows.map(toSignInRecord);
  return {
    today: ctx.today,
    window,
    member: {
      id: self.id,
      name: self.name,
      organizationName: self.organizationName,
      joinedAt: self.joinedAt,
      confirmedAt: self.confirmedAt,
    },
    yearsSinceJoining: birthdaysApi.yearsSinceJoining(self.joinedAt, ctx.today),
    partyStandingYears: partyStandingYears(self.confirmedAt, ctx.today),
    isToday: status.isToday,
    open: status.open ? occasionBody(status.open) : null,
    signedInThisWindow: status.open != null && signIns.some((s) => s.year === status.open?.year),
    upcoming: occasionBody(status.upcoming),
    next: occasionBody(status.next),
    daysUntilNext: status.daysUntilNext,
    signIns,
    reminderTemplateId: reminderTemplateId(self.settings),
  };
});

/**
 * One sign-in per (member, year), enforced by the unique index: the insert
 * does nothing on a retry, and the existing record is returned instead.
 */
export const signIn = route(birthdaysApi.signIn, async (ctx) => {
  const memberId = requireMemberId(ctx);
  const self = await loadSelf(ctx.db, memberId);
  if (!self) throw new ApiError('not_found', '未找到您的党员档案，请联系支部书记');
  if (self.status !== 'active') throw new ApiError('unprocessable', '您的党籍状态不是“在册”，无法签到，请联系支部书记');
  const status = birthdayStatus(self.joinedAt, ctx.today, birthdayWindowSetting(self.settings));
  const open = status.open;
  if (!open) throw conflict(windowClosedMessage(status), { opens: status.upcoming.opens, year: status.upcoming.year });

  const reflection = ctx.body.reflection ? ctx.body.reflection : null;
  const inserted = await ctx.db
    .insert(birthdaySignIns)
    .values({
      memberId,
      year: open.year,
      years: open.years,
      mode: 'individual',
      reflection,
      signedAt: ctx.now,
      recordedByAccountId: ctx.user.accountId,
    })
    .onConflictDoNothing({ target: [birthdaySignIns.memberId, birthdaySignIns.year] })
    .returning({
      id: birthdaySignIns.id,
      year: birthdaySignIns.year,
      years: birthdaySignIns.years,
      signedAt: birthdaySignIns.signedAt,
      mode: birthdaySignIns.mode,
      reflection: birthdaySignIns.reflection,
    });
  const [created] = inserted;
  if (created) {
    const record = toSignInRecord({ ...created, ceremonyId: null, ceremonyHeldOn: null, ceremonyTopic: null });
    return new JsonResponse(201, { signIn: record, alreadySignedIn: false });
  }
  // A retry, or signed in already (perhaps at the branch's ceremony): the first record stands.
  const [existing] = await selectSignIns(ctx.db).where(
    and(eq(birthdaySignIns.memberId, memberId), eq(birthdaySignIns.year, open.year)),
  );
  if (!existing) throw new Error('sign-in neither inserted nor found');
  return { signIn: toSignInRecord(existing), alreadySignedIn: true };
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

/**
 * The secretary records the branch's collective political birthday: every
 * ticked member must be an active member of the secretary's own branch whose
 * window contains the day; each is signed in (the same unique index), audited.
 */
export const recordCeremony = route(birthdaysApi.ceremony, async (ctx) => {
  const p = ctx.user;
  if (p.role !== 'secretary' || p.organizationId == null) throw forbidden('集体过政治生日由本支部书记记录');
  const branchId = p.organizationId;
  const body = ctx.body;
  if (body.heldOn > ctx.today) throw new ApiError('unprocessable', '活动日期不能晚于今天');

  return withIdempotency(ctx, 'birthdays.ceremony', async (tx) => {
    const attendees = await tx
      .select({
        id: members.id,
        name: members.name,
        organizationId: members.organizationId,
        status: members.status,
        joinedAt: members.joinedAt,
        settings: sql<unknown>`coalesce(${township.settings}, ${branch.settings})`,
      })
      .from(members)
      .innerJoin(branch, eq(branch.id, members.organizationId))
      .leftJoin(township, eq(township.id, branch.parentId))
      .where(inArray(members.id, body.attendeeMemberIds));
    const outside = body.attendeeMemberIds.length - attendees.filter((a) => a.organizationId === branchId).length;
    if (outside > 0) throw forbidden(`所选人员中有${outside}人不是本支部党员，只能为本支部党员记录`);
    const inactive = attendees.filter((a) => a.status !== 'active');
    if (inactive.length) throw new ApiError('unprocessable', `${inactive.map((a) => a.name).join('、')}已不在册，不能签到`);

    const year = Number(body.heldOn.slice(0, 4));
    const occasions = new Map<number, BirthdayOccasion>();
    const notDue: string[] = [];
    for (const a of attendees) {
      const occasion = occasionInYear(a.joinedAt, year, birthdayWindowSetting(a.settings));
      if (occasion && occasion.opens <= body.heldOn && body.heldOn <= occasion.closes) occasions.set(a.id, occasion);
      else notDue.push(`${a.name}（${Number(a.joinedAt.slice(5, 7))}月）`);
    }
    if (notDue.length) {
      throw new ApiError('unprocessable', `以下党员的政治生日不在${chineseDate(body.heldOn)}所在的签到时间内：${notDue.join('、')}`);
    }

    const [ceremonyRow] = await tx
      .insert(birthdayCeremonies)
      .values({
        organizationId: branchId,
        heldOn: body.heldOn,
        topic: body.topic,
        place: body.place || null,
        note: body.note || null,
        recordedByAccountId: p.accountId,
      })
      .returning({ id: birthdayCeremonies.id });
    if (!ceremonyRow) throw new Error('ceremony not created');
    const credited = await tx
      .insert(birthdaySignIns)
      .values(
        attendees.map((a) => ({
          memberId: a.id,
          year,
          years: occasions.get(a.id)?.years ?? anniversaryNumber(a.joinedAt, year),
          mode: 'ceremony' as const,
          ceremonyId: ceremonyRow.id,
          signedAt: ctx.now,
          recordedByAccountId: p.accountId,
        })),
      )
      .onConflictDoNothing({ target: [birthdaySignIns.memberId, birthdaySignIns.year] })
      .returning({ memberId: birthdaySignIns.memberId });
    const signedIn = credited.map((c) => c.memberId).sort((a, b) => a - b);
    const newly = new Set(signedIn);
    const alreadySignedIn = body.attendeeMemberIds.filter((id) => !newly.has(id)).sort((a, b) => a - b);
    await writeAudit(
      tx,
      p,
      {
        action: 'birthday.ceremony.record',
        targetType: 'birthday_ceremony',
        targetId: ceremonyRow.id,
        details: { organizationId: branchId, heldOn: body.heldOn, year, signedIn, alreadySignedIn },
      },
      ctx.now,
    );
    return new JsonResponse(201, { ceremonyId: ceremonyRow.id, heldOn: body.heldOn, signedIn, alreadySignedIn });
  });
});

// ------------------------------------------------------------------ reminders

/** A missed daily run (Vercel Cron is best effort) is caught up for this many days. */
const CATCH_UP_DAYS = 6;
const MAX_ATTEMPTS = 5;
const CLAIM_BATCH = 100;
/** A row left `sending` this long belongs to a run that died: claim it again. */
const STALE_SENDING_MINUTES = 15;
const SEND_CONCURRENCY = 4;
export const REMINDER_PAGE = 'packages/birthdays/sign-in/index';

/** Windows that opened between `today - CATCH_UP_DAYS` and today, as (year, months, opens, closes). */
function windowsOpenedRecently(today: IsoDate, window: BirthdayWindow) {
  const opened: { year: number; months: number[]; opens: IsoDate; closes: IsoDate }[] = [];
  for (const day of eachDay(addDays(today, -CATCH_UP_DAYS), today)) {
    const w = windowAround(day, window);
    if (w.opens !== day) continue;
    const year = Number(day.slice(0, 4));
    const first = Number(day.slice(5, 7));
    const months = window === 'month' ? [first] : [first, first + 1, first + 2];
    opened.push({ year, months, opens: w.opens, closes: w.closes });
  }
  return opened;
}

/** Queues one reminder per member whose window opened recently and who has not signed in. */
async function queueReminders(db: Db, today: IsoDate): Promise<number> {
  const townships = await db
    .select({ id: organizations.id, settings: organizations.settings })
    .from(organizations)
    .where(eq(organizations.kind, 'committee'));
  let queued = 0;
  for (const c of townships) {
    for (const w of windowsOpenedRecently(today, birthdayWindowSetting(c.settings))) {
      const due = await db
        .select({ memberId: members.id })
        .from(members)
        .where(
          and(
            eq(members.status, 'active'),
            sql`${members.organizationId} in ${subtreeOf(c.id)}`,
            sql`extract(month from ${members.joinedAt}) in (${sql.join(w.months.map((m) => sql`${m}`), sql`, `)})`,
            sql`extract(year from ${members.joinedAt}) < ${w.year}`,
            sql`not exists (select 1 from ${birthdaySignIns} s where s.member_id = ${members.id} and s.year = ${w.year})`,
          ),
        );
      if (due.length === 0) continue;
      // The unique (member_id, year) index makes a second run, or a concurrent one, insert nothing.
      const rows = await db
        .insert(birthdayReminders)
        .values(due.map((d) => ({ memberId: d.memberId, year: w.year, windowOpens: w.opens, windowCloses: w.closes })))
        .onConflictDoNothing({ target: [birthdayReminders.memberId, birthdayReminders.year] })
        .returning({ id: birthdayReminders.id });
      queued += rows.length;
    }
  }
  return queued;
}

/**
 * Claims due rows in one statement (pending, failed with attempts left, or
 * abandoned by a dead run), skipping rows another run holds: two runs at once
 * never claim the same reminder.
 */
async function claimReminders(db: Db, now: Date, today: IsoDate) {
  const staleBefore = new Date(now.getTime() - STALE_SENDING_MINUTES * 60_000);
  const due = db
    .select({ id: birthdayReminders.id })
    .from(birthdayReminders)
    .where(
      and(
        sql`${birthdayReminders.windowCloses} >= ${today}`,
        or(
          eq(birthdayReminders.state, 'pending'),
          and(eq(birthdayReminders.state, 'failed'), lt(birthdayReminders.attempts, MAX_ATTEMPTS)),
          and(eq(birthdayReminders.state, 'sending'), lt(birthdayReminders.lastAttemptAt, staleBefore)),
        ),
      ),
    )
    .orderBy(asc(birthdayReminders.id))
    .limit(CLAIM_BATCH)
    .for('update', { skipLocked: true });
  return db
    .update(birthdayReminders)
    .set({ state: 'sending', attempts: sql`${birthdayReminders.attempts} + 1`, lastAttemptAt: now })
    .where(inArray(birthdayReminders.id, due))
    .returning({ id: birthdayReminders.id, memberId: birthdayReminders.memberId, year: birthdayReminders.year });
}

async function runReminderJob(ctx: Ctx) {
  const db = ctx.db;
  const today = ctx.today;
  const sender: SubscribeSender = subscribeSenderFor(ctx.deps.config, ctx.deps.logger);
  const queued = await queueReminders(db, today);

  const [settingsRow] = await db
    .select({ settings: organizations.settings })
    .from(organizations)
    .where(and(eq(organizations.kind, 'committee'), sql`${organizations.settings} ->> 'birthdayReminderTemplateId' is not null`))
    .limit(1);
  const templateId = reminderTemplateId(settingsRow?.settings) ?? (sender.kind === 'log' ? 'log-only' : null);
  if (!templateId) {
    ctx.deps.logger.error('birthday_reminders_no_template', { queued });
    throw new ApiError('unavailable', '未配置政治生日订阅消息模板（党委设置 birthdayReminderTemplateId），提醒已排队，配置后将自动发送');
  }

  const claimed = await claimReminders(db, ctx.now, today);
  if (claimed.length === 0) return { today, queued, attempted: 0, sent: 0, failed: 0, sender: sender.kind };

  const recipients = await db
    .select({ memberId: members.id, joinedAt: members.joinedAt, openid: accounts.openid })
    .from(members)
    .leftJoin(accounts, eq(accounts.memberId, members.id))
    .where(inArray(members.id, claimed.map((c) => c.memberId)));
  const byMember = new Map(recipients.map((r) => [r.memberId, r]));

  let sent = 0;
  let failed = 0;
  // Network calls happen outside any transaction; each result is recorded right after.
  const queue = [...claimed];
  async function worker() {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const who = byMember.get(row.memberId);
      let outcome: Awaited<ReturnType<SubscribeSender['send']>>;
      if (!who?.openid) {
        outcome = { ok: false, permanent: false, error: '该党员尚未绑定微信，无法发送提醒' };
      } else {
        const anniversary = anniversaryInYear(who.joinedAt, row.year);
        outcome = await sender.send({
          openid: who.openid,
          templateId: templateId as string,
          page: REMINDER_PAGE,
          data: {
            thing1: { value: '政治生日签到' },
            date2: { value: chineseDate(anniversary) },
            thing3: { value: `入党${anniversaryNumber(who.joinedAt, row.year)}周年，请重温入党誓词并签到` },
          },
        });
      }
      if (outcome.ok) {
        sent += 1;
        await db
          .update(birthdayReminders)
          .set({ state: 'sent', sentAt: ctx.now, lastError: null })
          .where(eq(birthdayReminders.id, row.id));
      } else {
        failed += 1;
        await db
          .update(birthdayReminders)
          .set({
            state: 'failed',
            lastError: outcome.error,
            ...(outcome.permanent ? { attempts: MAX_ATTEMPTS } : {}),
          })
          .where(eq(birthdayReminders.id, row.id));
      }
    }
  }
  await Promise.all(Array.from({ length: SEND_CONCURRENCY }, worker));
  ctx.deps.logger.info('birthday_reminders_run', { today, queued, attempted: claimed.length, sent, failed, sender: sender.kind });
  return { today, queued, attempted: claimed.length, sent, failed, sender: sender.kind };
}

export const runReminders = route(birthdaysApi.runReminders, async (ctx) => runReminderJob(ctx as unknown as Ctx));
export const runRemindersFromCron = route(birthdaysApi.runRemindersFromCron, async (ctx) => runReminderJob(ctx as unknown as Ctx));
