/** 政治生日 reminders: the cron job and its WeChat subscribe messages, and the log-only sender in development. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accounts, birthdayReminders, birthdaySignIns, members, organizations } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError } from '../helpers/birthdays.js';
import { startSubscribeStub, subscribeStubEnv } from '../helpers/wechat-stub.js';

const stub = await startSubscribeStub({ templates: ['tmpl-birthday'] });
afterAll(() => stub.close());
const CRON_SECRET = 'test-cron-secret-0123456789';

describeEachDriver(
  'political birthday reminders (cron, WeChat subscribe messages)',
  (ctx, driver) => {
    const c = () => ctx();
    const cron = (method: 'GET' | 'POST' = 'POST') => c().call(method, '/api/cron/birthday-reminders', { token: CRON_SECRET });
    /** Active members admitted in July before 2026: whose window opens on 1 July. */
    let julyOpenids: string[];

    it('refuses a call without the cron secret', async () => {
      expectError(await c().call('POST', '/api/cron/birthday-reminders'), 401, 'unauthorized');
      expectError(await c().call('GET', '/api/cron/birthday-reminders', { token: 'dev-only-cron-secret' }), 401, 'unauthorized');
      expectError(await c().call('POST', '/api/cron/birthday-reminders', { token: await c().login('staff') }), 401, 'unauthorized');
    });

    beforeAll(async () => {
      await c().db.update(organizations).set({ settings: { birthdayWindow: 'month', birthdayReminderTemplateId: 'tmpl-birthday' } }).where(eq(organizations.kind, 'committee'));
      const july = await c().db
        .select({ openid: accounts.openid })
        .from(members)
        .innerJoin(accounts, eq(accounts.memberId, members.id))
        .where(and(eq(members.status, 'active'), sql`extract(month from ${members.joinedAt}) = 7`, sql`${members.joinedAt} < '2026-01-01'`));
      julyOpenids = july.map((r) => r.openid!).sort();
    });

    it('on 1 July queues and sends one subscribe message per member whose window opens; a second run the same day sends none', async () => {
      stub.sent.length = 0;
      expect(julyOpenids.length).toBeGreaterThan(0);
      // One of them fails once at WeChat (system busy).
      const flaky = julyOpenids[0]!;
      stub.failOnce.add(`${flaky}`);

      c().clock.set(new Date('2026-07-01T08:00:00+08:00'));
      const first = await cron('GET'); // as Vercel Cron calls it
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toMatchObject({ today: '2026-07-01', sender: 'wechat', queued: julyOpenids.length, attempted: julyOpenids.length, sent: julyOpenids.length - 1, failed: 1 });
      const [failedRow] = await c().db.select().from(birthdayReminders).where(eq(birthdayReminders.state, 'failed'));
      expect(failedRow).toMatchObject({ attempts: 1, lastError: expect.stringContaining('-1') });

      c().clock.set(new Date('2026-07-01T15:00:00+08:00'));
      const second = await cron('POST');
      expect(second.body).toMatchObject({ queued: 0, attempted: 1, sent: 1, failed: 0 });
      const third = await cron('POST');
      expect(third.body).toMatchObject({ queued: 0, attempted: 0, sent: 0 });

      expect(stub.sent.map((m) => m.touser).sort()).toEqual(julyOpenids);
      const rows = await c().db.select().from(birthdayReminders).where(eq(birthdayReminders.year, 2026));
      expect(rows).toHaveLength(julyOpenids.length);
      expect(rows.every((r) => r.state === 'sent' && r.sentAt && r.windowOpens === '2026-07-01' && r.windowCloses === '2026-07-31')).toBe(true);
    });

    it('a missed day is caught up, members who already signed in are not reminded, and closed windows are not retried', async () => {
      stub.sent.length = 0;
      // August: the cron did not run on the 1st; it runs on the 3rd.
      const august = await c().db
        .select({ id: members.id, openid: accounts.openid })
        .from(members)
        .innerJoin(accounts, eq(accounts.memberId, members.id))
        .where(and(eq(members.status, 'active'), sql`extract(month from ${members.joinedAt}) = 8`, sql`${members.joinedAt} < '2026-01-01'`))
        .orderBy(asc(members.id));
      // One has signed in already (at the branch's ceremony on 1 August, say).
      const signed = august[0];
      if (signed) await c().db.insert(birthdaySignIns).values({ memberId: signed.id, year: 2026, years: 1, mode: 'individual', signedAt: new Date('2026-08-01T02:00:00Z') });
      // A July reminder that failed: its window has closed by August, so it is left alone.
      const [julyRow] = await c().db.select().from(birthdayReminders).where(eq(birthdayReminders.windowOpens, '2026-07-01')).limit(1);
      await c().db.update(birthdayReminders).set({ state: 'failed', sentAt: null, lastError: 'test' }).where(eq(birthdayReminders.id, julyRow!.id));
      c().clock.set(new Date('2026-08-03T08:00:00+08:00'));
      const res = await cron();
      const expected = Math.max(0, august.length - 1);
      expect(res.body).toMatchObject({ queued: expected, attempted: expected, sent: expected });
      const [stillFailed] = await c().db.select().from(birthdayReminders).where(eq(birthdayReminders.id, julyRow!.id));
      expect(stillFailed).toMatchObject({ state: 'failed', attempts: julyRow!.attempts });
      expect(stub.sent.map((m) => m.touser).sort()).toEqual(august.slice(1).map((m) => m.openid).sort());
    });

    // PGlite is single-connection: the race needs PostgreSQL.
    it.runIf(driver === 'neon')('two runs at the same moment send each reminder once', async () => {
      stub.sent.length = 0;
      await c().db.delete(birthdayReminders).where(eq(birthdayReminders.year, 2026));
      await c().db.delete(birthdaySignIns).where(eq(birthdaySignIns.year, 2026));
      c().clock.set(new Date('2026-07-01T08:00:00+08:00'));
      const [a, b] = await Promise.all([cron(), cron()]);
      expect(a!.body.sent + b!.body.sent).toBe(julyOpenids.length);
      expect(stub.sent.map((m) => m.touser).sort()).toEqual(julyOpenids);
      c().clock.set(new Date('2026-06-15T10:00:00+08:00'));
    });
  },
  { env: { ...subscribeStubEnv(stub), CRON_SECRET } },
);

describeEachDriver('political birthday reminders without WeChat configured (development)', (ctx) => {
  it('uses the log-only sender and the development cron secret', async () => {
    ctx().clock.set(new Date('2026-07-01T08:00:00+08:00'));
    const res = await ctx().call('POST', '/api/cron/birthday-reminders', { token: 'dev-only-cron-secret' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.sender).toBe('log');
    expect(res.body.sent).toBe(res.body.queued);
    expect(res.body.queued).toBeGreaterThan(0);
  });
});
