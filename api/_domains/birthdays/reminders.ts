/**
 * The daily 政治生日 reminder job (Vercel Cron, or staff's manual run): queues
 * one reminder per member whose window opened recently and who has not signed
 * in, claims a batch, sends the subscribe messages outside any transaction and
 * records each result. A job, not a handler: the two routes in index.ts call it.
 */
import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import {
  anniversaryInYear,
  anniversaryNumber,
  chineseDate,
  windowAround,
  type BirthdayWindow,
} from '../../../shared/birthdays.js';
import { addDays, eachDay, type IsoDate } from '../../../shared/calendar.js';
import { COUNTY_KIND, TOWNSHIP_KIND } from '../../../shared/common.js';
import { effectiveSettings, type Settings } from '../../../shared/settings.js';
import type { Db } from '../../../db/client.js';
import { accounts, birthdayReminders, birthdaySignIns, members, organizations } from '../../../db/schema/index.js';
import type { Ctx } from '../../_app/context.js';
import { ApiError } from '../../_app/errors.js';
import { subtreeOf } from '../../_app/scope.js';
import { subscribeSenderFor, type SubscribeSender } from '../../_app/wechat-subscribe.js';

/** The county's row and every township's, resolved (shared/settings.ts): one statement for the whole job. */
async function loadTownshipSettings(db: Db) {
  const rows = await db
    .select({ id: organizations.id, kind: organizations.kind, settings: organizations.settings })
    .from(organizations)
    .where(inArray(organizations.kind, [COUNTY_KIND, TOWNSHIP_KIND]))
    .orderBy(organizations.id);
  const county = rows.find((r) => r.kind === COUNTY_KIND)?.settings;
  return {
    county: effectiveSettings(county, undefined),
    townships: rows.filter((r) => r.kind === TOWNSHIP_KIND).map((r) => ({ id: r.id, settings: effectiveSettings(county, r.settings) })),
  };
}

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
async function queueReminders(db: Db, today: IsoDate, committees: readonly { id: number; settings: Settings }[]): Promise<number> {
  let queued = 0;
  for (const c of committees) {
    for (const w of windowsOpenedRecently(today, c.settings.birthdayWindow)) {
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

/** One run: queue what is due, claim a batch, send outside any transaction, record each result. */
export async function runReminderJob(ctx: Ctx) {
  const db = ctx.db;
  const today = ctx.today;
  const sender: SubscribeSender = subscribeSenderFor(ctx.deps.config, ctx.deps.logger);
  const loaded = await loadTownshipSettings(db);
  const queued = await queueReminders(db, today, loaded.townships);
  // The template belongs to the mini-program, one per county deployment: the county's setting first.
  const templateId =
    loaded.county.birthdayReminderTemplateId ??
    loaded.townships.find((t) => t.settings.birthdayReminderTemplateId)?.settings.birthdayReminderTemplateId ??
    (sender.kind === 'log' ? 'log-only' : null);
  if (!templateId) {
    ctx.deps.logger.error('birthday_reminders_no_template', { queued });
    throw new ApiError('unavailable', '未配置政治生日订阅消息模板（在“县级默认设置”或“本镇设置”中填写订阅消息模板ID），提醒已排队，配置后将自动发送');
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
