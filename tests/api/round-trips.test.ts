/**
 * Round trips per request, counted by the db module's statement counter.
 * Budgets: authentication adds no query to reads (the token carries what
 * authorization needs); a write's session check rides in a statement it runs
 * anyway (its rate-limit counter; the check-in's own); a study check-in is one
 * statement; a read route at most two; the dashboard at most three; the few
 * 发展党员 and 组织生活 reads that need more have named budgets saying why. A new
 * GET route without a budget here fails.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { accounts, members, transfers } from '../../db/schema/index.js';
import { routes } from '../../api/_routes.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { tinyPng } from '../helpers/photos.js';
import { committeeMeetingBody } from '../helpers/route-fixtures/index.js';

type Role = 'member' | 'secretary' | 'staff' | 'county';
interface Probe {
  role: Role | null;
  budget: number;
  path?: (world: World) => string;
  query?: Record<string, string>;
}
interface World {
  memberId: number;
  branchId: number;
  transferWithLetterId: number;
  eventId: number;
  developmentId: number;
  meetingId: number;
  appraisalId: number;
  photoId: number;
}

const READ = 2;
/*
 * Named budgets of the 发展党员 and 组织生活 reads that need more than READ: every
 * statement is one batched query (`… in (…)`), so the count does not grow with
 * the branch or the township; each one is listed so a new statement shows up here.
 */
/** The records, their steps, and the work calendar (the deadlines count working days). */
const DEVELOPMENT_READ = 3;
/** DEVELOPMENT_READ, then the year's admissions so far and the township's target. */
const DEVELOPMENT_QUEUE = 5;
/** DEVELOPMENT_READ plus the export's rate-limit counter. */
const DEVELOPMENT_EXPORT = 4;
/**
 * The branch and the township's settings, its meetings, appraisals, roster and
 * talks of the year (what is due), then the roster again with each member's
 * study credits, study-event minutes and officer accounts (who is behind).
 */
const ORGLIFE_CALENDAR = 10;
/**
 * The township's branches and settings, then their meetings, appraisals, rosters and talks;
 * the dashboard figures: meetings held, the rosters, their study credits, study-event minutes, officer accounts.
 */
const ORGLIFE_TOWNSHIP = 11;
/** The member's meetings, study credits, study-event minutes, officer account and grades. */
const ORGLIFE_ME = 5;
/** The branches, their meetings, rosters, study credits, study-event minutes, officer accounts; the rate-limit counter; the 党课责任表 (LECTURE_DUTY). */
const ORGLIFE_EXPORT = 12;
/** The township's branches, settings and 包村 assignments, then the leaders' 党课 and their own branch's attendance. */
const LECTURE_DUTY = 5;
/**
 * A secretary's first page: the page with its unread count, their own political birthday, then the 事前提醒
 * from the one due engine: the branch, the township's settings, its meetings, appraisals, roster and the
 * roster's talks. A member's first page is the page and their birthday (2); later pages the page alone (1).
 */
const MESSAGES_SECRETARY = 8;
const GET_BUDGETS: Record<string, Probe> = {
  'GET /api/health': { role: null, budget: 0 },
  'GET /api/openapi.json': { role: null, budget: 0 },
  'GET /api/auth/dev/accounts': { role: null, budget: 1 },
  'GET /api/me': { role: 'member', budget: READ },
  // One statement: the export and its audit entry (a data-modifying CTE).
  'GET /api/me/export': { role: 'member', budget: 1 },
  'GET /api/organizations': { role: 'member', budget: 1 },
  'GET /api/members': { role: 'staff', budget: READ },
  'GET /api/members/:id': { role: 'staff', budget: READ, path: (w) => `/api/members/${w.memberId}` },
  'GET /api/members/export': { role: 'staff', budget: READ },
  'GET /api/members/import-template': { role: 'staff', budget: READ },
  'GET /api/registrations/mine': { role: 'member', budget: READ },
  'GET /api/registrations': { role: 'staff', budget: READ, query: { status: 'pending' } },
  'GET /api/commendations': { role: 'staff', budget: READ, query: { year: '2026' } },
  'GET /api/commendations/export': { role: 'staff', budget: READ, query: { year: '2026' } },
  'GET /api/commendations/candidates': { role: 'staff', budget: READ },
  'GET /api/commendation-campaigns': { role: 'staff', budget: READ, query: { year: '2026' } },
  'GET /api/commendation-targets': { role: 'staff', budget: READ, query: { year: '2026' } },
  // The township's row and the county's above it: one statement.
  'GET /api/settings': { role: 'staff', budget: 1 },
  'GET /api/county/settings': { role: 'county', budget: 1 },
  'GET /api/honor-roll': { role: 'member', budget: READ },
  'GET /api/dashboard': { role: 'staff', budget: 3 },
  'GET /api/birthdays/me': { role: 'member', budget: READ },
  'GET /api/birthdays': { role: 'secretary', budget: READ, query: { month: '2026-06' } },
  'GET /api/birthdays/medal-eligible': { role: 'staff', budget: READ, query: { year: '2026' } },
  'GET /api/members/:id/medal': { role: 'secretary', budget: 1, path: (w) => `/api/members/${w.memberId}/medal` },
  'GET /api/transfers': { role: 'staff', budget: READ },
  'GET /api/transfers/ledger': { role: 'staff', budget: READ, query: { year: '2026' } },
  'GET /api/transfers/:id': { role: 'staff', budget: READ, path: (w) => `/api/transfers/${w.transferWithLetterId}` },
  // The township's settings row and the county's: one statement.
  'GET /api/transfers/progress-reminder': { role: 'member', budget: 1 },
  'GET /api/transfers/:id/letter': { role: 'staff', budget: READ, path: (w) => `/api/transfers/${w.transferWithLetterId}/letter` },
  'GET /api/study/me': { role: 'member', budget: READ },
  'GET /api/study/events': { role: 'secretary', budget: READ },
  'GET /api/study/events/:id/qr': { role: 'staff', budget: READ, path: (w) => `/api/study/events/${w.eventId}/qr` },
  'GET /api/study/organizations/:id/week': { role: 'secretary', budget: READ, path: (w) => `/api/study/organizations/${w.branchId}/week` },
  'GET /api/study/summary': { role: 'staff', budget: READ, query: { from: '2026-05-17', to: '2026-06-15' } },
  'GET /api/feedback': { role: 'staff', budget: READ },
  'GET /api/privacy/consent': { role: 'member', budget: 1 },
  // The townships with their officer counts, then their branches.
  'GET /api/county/townships': { role: 'county', budget: READ },
  'GET /api/invitations': { role: 'staff', budget: 1 },
  'GET /api/development/mine': { role: 'member', budget: 1 },
  'GET /api/development/records': { role: 'secretary', budget: DEVELOPMENT_READ },
  'GET /api/development/records/:id': { role: 'secretary', budget: DEVELOPMENT_READ, path: (w) => `/api/development/records/${w.developmentId}` },
  'GET /api/development/queue': { role: 'staff', budget: DEVELOPMENT_QUEUE },
  'GET /api/development/export': { role: 'staff', budget: DEVELOPMENT_EXPORT },
  // The year's days with the list of listed years; the county's and every township's target and admissions: one statement each.
  'GET /api/work-calendar': { role: 'staff', budget: 1 },
  'GET /api/county/development': { role: 'county', budget: 1 },
  // Every township's figures, grouped in one statement.
  'GET /api/county/overview': { role: 'county', budget: 1 },
  'GET /api/county/roster-statistics': { role: 'county', budget: 1 },
  'GET /api/orglife/meetings': { role: 'secretary', budget: 1 },
  'GET /api/orglife/meetings/:id': { role: 'secretary', budget: 1, path: (w) => `/api/orglife/meetings/${w.meetingId}` },
  'GET /api/orglife/organizations/:id/expected': { role: 'secretary', budget: READ, path: (w) => `/api/orglife/organizations/${w.branchId}/expected`, query: { date: '2026-06-14' } },
  'GET /api/orglife/calendar': { role: 'secretary', budget: ORGLIFE_CALENDAR },
  'GET /api/orglife/township': { role: 'staff', budget: ORGLIFE_TOWNSHIP },
  'GET /api/orglife/me': { role: 'member', budget: ORGLIFE_ME },
  'GET /api/orglife/appraisals/:id': { role: 'secretary', budget: READ, path: (w) => `/api/orglife/appraisals/${w.appraisalId}` },
  'GET /api/orglife/export': { role: 'staff', budget: ORGLIFE_EXPORT },
  'GET /api/orglife/lecture-duty': { role: 'staff', budget: LECTURE_DUTY },
  'GET /api/orglife/meetings/:id/photos': { role: 'secretary', budget: READ, path: (w) => `/api/orglife/meetings/${w.meetingId}/photos` },
  'GET /api/orglife/photos/:id': { role: 'secretary', budget: READ, path: (w) => `/api/orglife/photos/${w.photoId}` },
  'GET /api/orglife/organizations/:id/speakers': { role: 'secretary', budget: READ, path: (w) => `/api/orglife/organizations/${w.branchId}/speakers` },
  'GET /api/messages': { role: 'secretary', budget: MESSAGES_SECRETARY },
};
/** Routes Vercel Cron calls (GET) are writes in disguise: they have their own budget elsewhere. */
const NOT_READS = new Set(['GET /api/cron/birthday-reminders']);

async function world(ctx: TestContext): Promise<World> {
  const [secretary] = await ctx.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id)).limit(1);
  const [member] = await ctx.db.select().from(members).where(eq(members.organizationId, secretary!.organizationId!)).orderBy(asc(members.id)).limit(1);
  const [withLetter] = await ctx.db.select().from(transfers).where(isNotNull(transfers.letterNumber)).limit(1);
  if (!member || !withLetter) throw new Error('the demo seed should have a member and an issued letter');
  // An event happening now, so its QR code can be shown.
  const now = ctx.clock.now();
  const created = await ctx.call<{ id: number }>('POST', '/api/study/events', {
    token: await ctx.login('secretary', secretary!.id),
    headers: { 'idempotency-key': `round-trip-event-${ctx.driver}` },
    body: {
      organizationId: secretary!.organizationId,
      way: 'branch',
      topic: '学习《中国共产党章程》',
      place: '村党群服务中心',
      startsAt: now.toISOString(),
      endsAt: new Date(now.getTime() + 3_600_000).toISOString(),
    },
  });
  const eventId = created.body?.id ?? (created.body as unknown as { event?: { id: number } })?.event?.id;
  if (created.status >= 300 || !eventId) throw new Error(`could not create a study event: ${JSON.stringify(created.body)}`);
  const branchId = secretary!.organizationId!;
  const secretaryToken = await ctx.login('secretary', secretary!.id);
  const write = async (path: string, body: unknown, token = secretaryToken) => {
    const res = await ctx.call<{ id: number }>('POST', path, { token, headers: { 'idempotency-key': `round-trip${path.replaceAll('/', '.')}-${ctx.driver}` }, body });
    if (res.status >= 300 || !res.body?.id) throw new Error(`could not POST ${path}: ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  // A 发展党员 record, a 支委会 and the year's 民主评议 of the secretary's branch, to read back.
  const developmentId = await write('/api/development/records', {
    organizationId: branchId,
    name: '申请人',
    idNumber: makeIdNumber(ctx.driver === 'neon' ? '1997-03-02' : '1997-03-01', 'female', 61, '130106'),
    phone: '13912345678',
    applicationDate: '2026-06-01',
    evidence: '入党申请书',
    memberConsent: true,
  });
  const meetingId = await write('/api/orglife/meetings', committeeMeetingBody(branchId));
  const appraisalId = await write('/api/orglife/appraisals', { organizationId: branchId, year: Number(now.toISOString().slice(0, 4)) });
  const photo = await ctx.call<{ id: number }>('POST', `/api/orglife/meetings/${meetingId}/photos`, {
    token: secretaryToken,
    rawBody: tinyPng(),
    headers: { 'content-type': 'image/png', 'idempotency-key': `round-trip-photo-${ctx.driver}` },
  });
  if (photo.status >= 300 || !photo.body?.id) throw new Error(`could not upload a meeting photo: ${JSON.stringify(photo.body)}`);
  return { memberId: member.id, branchId, transferWithLetterId: withLetter.id, eventId, developmentId, meetingId, appraisalId, photoId: photo.body.id };
}

async function measure(ctx: TestContext, method: string, path: string, token: string | null, body?: unknown, headers?: Record<string, string>) {
  const { result, statements, log } = await statementCounter.measure(() => ctx.call(method, path, { token, body, headers }), true);
  return { res: result, statements, log };
}

describeEachDriver('round trips per request', (ctx) => {
  it('every GET route in the route table has a budget', () => {
    const gets = routes.filter((r) => r.endpoint.method === 'GET').map((r) => `GET ${r.endpoint.path}`);
    const missing = gets.filter((key) => !GET_BUDGETS[key] && !NOT_READS.has(key));
    expect(missing, 'add a budget for each new read route').toEqual([]);
  });

  it('authentication adds no query: a one-query read costs one statement with a token', async () => {
    const token = await ctx().login('member');
    const { res, statements } = await measure(ctx(), 'GET', '/api/organizations', token);
    expect(res.status).toBe(200);
    expect(statements).toBe(1);
  });

  it('each read route stays within its budget (at most two, the dashboard three)', async () => {
    const w = await world(ctx());
    const tokens: Record<Role, string> = {
      member: await ctx().login('member'),
      secretary: await ctx().login('secretary'),
      staff: await ctx().login('staff'),
      county: await ctx().login('county'),
    };
    const report: string[] = [];
    for (const [key, probe] of Object.entries(GET_BUDGETS)) {
      const template = key.slice(4);
      const path = probe.path ? probe.path(w) : template;
      const url = probe.query ? `${path}?${new URLSearchParams(probe.query)}` : path;
      const { res, statements, log } = await measure(ctx(), 'GET', url, probe.role ? tokens[probe.role] : null);
      expect(res.status, `${key} → ${JSON.stringify(res.body)}`).toBeLessThan(300);
      expect(statements, `${key} ran:\n${log.join('\n')}`).toBeLessThanOrEqual(probe.budget);
      report.push(`${key.padEnd(44)} ${statements}/${probe.budget}`);
    }
    console.log(`[${ctx().driver}] statements per read:\n${report.join('\n')}`);
  });

  it('writes check the session at once in a statement they run anyway: the rate-limit counter, or the check-in itself', async () => {
    const signIn = async () => (await ctx().call<{ token: string; account: { id: number } }>('POST', '/api/auth/dev', { body: { role: 'member' } })).body;
    const withdraw = (token: string) => measure(ctx(), 'POST', '/api/transfers/2147483000/withdraw', token, { version: 1 }, { 'idempotency-key': randomUUID() });
    const member = await signIn();
    const current = await withdraw(member.token);
    expect(current.res.status).toBe(404);
    // Statement 1 is the rate-limit counter with the authVersion check folded in; the handler's own follow.
    expect(current.log[0]).toMatch(/rate_limits[\s\S]*auth_version/);
    const handlerOnly = current.statements - 1;

    await ctx().db.update(accounts).set({ authVersion: sql`${accounts.authVersion} + 1` }).where(eq(accounts.id, member.account.id));
    const stale = await withdraw(member.token);
    expect(stale.res.status).toBe(401);
    expect(stale.statements).toBe(1);
    console.log(`[${ctx().driver}] a rate-limited write: 1 statement for limit + session check, ${handlerOnly} for the handler; a stale session: 1 in all`);

    const staleCheckIn = await measure(ctx(), 'POST', '/api/study/checkins', member.token, { way: 'platform', topic: '学习党章', minutes: 5 }, { 'idempotency-key': randomUUID() });
    expect(staleCheckIn.res.status).toBe(401);
    expect(staleCheckIn.statements).toBe(1);
  });

  it('a refresh costs three statements (its rate limit, the account, its organization); login the same', async () => {
    const login = (await ctx().call<{ refreshToken: string }>('POST', '/api/auth/dev', { body: { role: 'secretary' } })).body;
    const { res, statements, log } = await measure(ctx(), 'POST', '/api/auth/refresh', null, { refreshToken: login.refreshToken });
    expect(res.status).toBe(200);
    expect(statements, log.join('\n')).toBeLessThanOrEqual(3);
  });

  it('a study check-in is one statement, its replay too', async () => {
    const token = await ctx().login('member');
    const body = { way: 'platform', topic: '学习党的二十大报告', minutes: 20 };
    const headers = { 'idempotency-key': 'round-trip-checkin-1' };
    const first = await measure(ctx(), 'POST', '/api/study/checkins', token, body, headers);
    expect(first.res.status, JSON.stringify(first.res.body)).toBeLessThan(300);
    expect(first.statements, first.log.join('\n')).toBe(1);
    const replay = await measure(ctx(), 'POST', '/api/study/checkins', token, body, headers);
    expect(replay.res.body).toEqual(first.res.body);
    expect(replay.statements).toBe(1);
  });

  it('a check-in that fills the day is one statement; one refused at the cap looks its key up once more (two, the second a read)', async () => {
    const token = await ctx().login('member');
    const fill = await measure(ctx(), 'POST', '/api/study/checkins', token, { way: 'platform', topic: '学习党章', minutes: 60 }, { 'idempotency-key': 'round-trip-checkin-fill' });
    expect(fill.statements, fill.log.join('\n')).toBe(1);
    const refused = await measure(ctx(), 'POST', '/api/study/checkins', token, { way: 'platform', topic: '学习党章', minutes: 5 }, { 'idempotency-key': 'round-trip-checkin-cap' });
    expect(refused.res.status).toBe(422);
    expect(refused.statements, refused.log.join('\n')).toBe(2);
    // The second look is a read of the key, not the check-in again (which would queue on the day's row).
    expect(refused.log.at(-1)).toMatch(/^\s*select\b/i);
    expect(refused.log.at(-1)).not.toMatch(/\b(insert|update)\b/i);
  });
});
