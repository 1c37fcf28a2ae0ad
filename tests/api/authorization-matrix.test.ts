/**
 * The authorization matrix, generated from the route table: every route is
 * called as no token, a forged token, an expired token, the owning member,
 * another member of the same branch, a member of another branch, the owning
 * branch's secretary, another branch's secretary and staff. The expected
 * answers are written out below, route by route, independently of the
 * production `allowed()` and ownership code they check; each caller gets fresh
 * state, so an allowed call can really succeed.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { routes } from '../../api/_routes.js';
import type { Ownership } from '../../shared/http.js';
import { describeEachDriver } from '../helpers/harness.js';
import { ACTORS, buildWorld, FIXTURES, requestOptions, type Actor, type Outcome } from '../helpers/route-fixtures/index.js';

const townshipB: Actor[] = ['townshipBMember', 'townshipBSecretary', 'townshipBStaff'];
const anyone: Actor[] = ['anonymous', 'forged', 'expired', 'owner', 'peer', 'otherMember', 'ownSecretary', 'otherSecretary', 'staff', ...townshipB, 'county'];
/** Signed-in callers who act for themselves (members, officers of either township); county staff are no member. */
const members: Actor[] = ['owner', 'peer', 'otherMember', 'ownSecretary', 'otherSecretary', 'staff', ...townshipB];
const signedIn: Actor[] = [...members, 'county'];
/** Collections each officer sees their own scope of: both townships' officers and the county. */
const officers: Actor[] = ['ownSecretary', 'otherSecretary', 'staff', 'townshipBSecretary', 'townshipBStaff', 'county'];
/** A township-wide collection or export: each township's staff their own, the county all. */
const townshipStaff: Actor[] = ['staff', 'townshipBStaff', 'county'];

/**
 * Who may succeed on each route ("owner" is the member the record belongs to, "peer" another member of
 * the owner's branch, "ownSecretary" that branch's secretary; every record is township A's, so township
 * B's callers may only succeed on collections, where they see their own township). Everyone not listed
 * is refused: 401 without a valid token (anonymous, forged, expired), 403 or 404 with one. County staff
 * read what township staff read, county-wide, and write nothing of a township's. A scheduler-only route
 * answers 401 to every token but the scheduler's secret.
 */
const MAY_SUCCEED: Record<string, Actor[] | 'scheduler only'> = {
  'GET /api/health': anyone,
  'GET /api/openapi.json': anyone,
  'POST /api/dev/clock': anyone,
  'POST /api/auth/wechat': anyone,
  'POST /api/auth/refresh': anyone,
  'POST /api/auth/dev': anyone,
  'GET /api/auth/dev/accounts': anyone,
  'GET /api/me': signedIn,
  'GET /api/organizations': signedIn,
  'GET /api/members': signedIn,
  'GET /api/members/:id': ['owner', 'ownSecretary', 'staff', 'county'],
  'PATCH /api/members/:id': ['staff'],
  'POST /api/members/:id/reveal-id': ['staff'],
  // County staff get their own account's data (no member record behind it).
  'GET /api/me/export': signedIn,
  // An empty upload into one's own township: the import's rules answer (400/422), not authorization.
  'POST /api/members/import': ['staff', 'townshipBStaff'],
  'GET /api/members/export': officers,
  'GET /api/members/import-template': officers,
  'POST /api/registrations': members,
  'GET /api/registrations/mine': signedIn,
  'GET /api/registrations': officers,
  'POST /api/registrations/:id/approve': ['ownSecretary', 'staff'],
  'POST /api/registrations/:id/reject': ['ownSecretary', 'staff'],
  'GET /api/commendations': signedIn,
  'POST /api/commendations': ['staff'],
  'GET /api/commendations/export': townshipStaff,
  'GET /api/commendations/candidates': townshipStaff,
  'PATCH /api/commendations/:id': ['staff'],
  'DELETE /api/commendations/:id': ['staff'],
  'GET /api/commendation-campaigns': officers,
  'POST /api/commendation-campaigns': ['staff', 'townshipBStaff'],
  // A township's own targets: county staff read them per township (the county dashboard), not here.
  'GET /api/commendation-targets': ['ownSecretary', 'otherSecretary', 'staff', 'townshipBSecretary', 'townshipBStaff'],
  'PUT /api/commendation-targets': ['staff', 'townshipBStaff'],
  // 本镇设置: each township's staff their own township's, county staff any township they name; the county row is the county's alone.
  'GET /api/settings': townshipStaff,
  'PUT /api/settings': ['staff', 'townshipBStaff'],
  'GET /api/county/settings': ['county'],
  'PUT /api/county/settings': ['county'],
  'GET /api/honor-roll': signedIn,
  'GET /api/dashboard': officers,
  'GET /api/birthdays/me': members,
  'POST /api/birthdays/sign-in': members,
  // Filtered to branch A: township B's staff get their own scope of it, which holds none of A's rows
  // (tests/api/county-bola.test.ts checks the rows); township B's secretary may name only their branch.
  'GET /api/birthdays': ['ownSecretary', 'staff', 'townshipBStaff', 'county'],
  'POST /api/birthdays/ceremonies': ['ownSecretary'],
  'GET /api/birthdays/medal-eligible': townshipStaff,
  'POST /api/birthdays/medal-awards': ['staff'],
  'GET /api/members/:id/medal': ['owner', 'ownSecretary', 'staff', 'county'],
  'POST /api/cron/birthday-reminders': 'scheduler only',
  'GET /api/cron/birthday-reminders': 'scheduler only',
  'POST /api/transfers': ['owner', 'ownSecretary', 'staff'],
  'GET /api/transfers': signedIn,
  'GET /api/transfers/ledger': townshipStaff,
  'GET /api/transfers/:id': ['owner', 'ownSecretary', 'staff', 'county'],
  'POST /api/transfers/:id/review': ['ownSecretary'],
  'POST /api/transfers/:id/approve': ['staff'],
  'POST /api/transfers/:id/reject': ['ownSecretary'],
  'POST /api/transfers/:id/withdraw': ['owner'],
  'POST /api/transfers/:id/receipt': ['staff'],
  'POST /api/transfers/:id/report': ['ownSecretary', 'staff'],
  // 县内跨镇转接 from township B into branch A: the receiving branch's secretary and township; township B, which
  // sent it, and everyone else may not receive it.
  'POST /api/transfers/:id/receive': ['ownSecretary', 'staff'],
  'GET /api/transfers/:id/letter': ['owner', 'ownSecretary', 'staff', 'county'],
  'GET /api/transfers/progress-reminder': signedIn,
  // 进度提醒我 goes to the member's own WeChat: nobody records it for them.
  'POST /api/transfers/:id/progress-reminder': ['owner'],
  'GET /api/development/mine': signedIn,
  'POST /api/development/mine/link': signedIn,
  'GET /api/development/records': officers,
  // The application and the branch's steps are the secretary's; the township's steps have their own tests.
  'POST /api/development/records': ['ownSecretary'],
  'GET /api/development/records/:id': ['ownSecretary', 'staff', 'county'],
  'POST /api/development/records/:id/steps': ['ownSecretary'],
  // The township's own queue and target: county staff belong to no one township.
  'GET /api/development/queue': ['staff', 'townshipBStaff'],
  'PUT /api/development/targets/:year': ['staff', 'townshipBStaff'],
  'GET /api/development/export': officers,
  // The holiday list: every officer reads it (the 公示 deadlines), the county alone keeps it; the county's own target likewise.
  'GET /api/work-calendar': officers,
  'PUT /api/work-calendar/:year': ['county'],
  'GET /api/county/development': ['county'],
  'GET /api/county/overview': ['county'],
  'GET /api/county/roster-statistics': ['county'],
  'PUT /api/county/development/targets/:year': ['county'],
  'POST /api/transfers/:id/letter/print': ['staff'],
  'POST /api/study/sessions': members,
  'POST /api/study/sessions/:id/presence': ['owner'],
  'POST /api/study/sessions/:id/finish': ['owner'],
  'POST /api/study/checkins': members,
  'GET /api/study/me': members,
  'POST /api/study/events': ['ownSecretary', 'staff'],
  'GET /api/study/events': signedIn,
  // The QR is shown by whoever runs the event: its branch's secretary or its township's staff.
  'GET /api/study/events/:id/qr': ['ownSecretary', 'staff'],
  'POST /api/study/events/:id/sign-in': ['owner', 'peer', 'ownSecretary'],
  'POST /api/study/events/:id/attendees': ['ownSecretary', 'staff'],
  'GET /api/study/organizations/:id/week': ['ownSecretary', 'staff', 'county'],
  'GET /api/study/summary': townshipStaff,
  'POST /api/orglife/meetings': ['ownSecretary', 'staff'],
  'PUT /api/orglife/meetings/:id/attendance': ['ownSecretary', 'staff'],
  'GET /api/orglife/meetings': signedIn,
  'GET /api/orglife/meetings/:id': ['owner', 'peer', 'ownSecretary', 'staff', 'county'],
  'GET /api/orglife/organizations/:id/expected': ['ownSecretary', 'staff', 'county'],
  'GET /api/orglife/calendar': ['ownSecretary', 'staff', 'county'],
  'GET /api/orglife/township': townshipStaff,
  'GET /api/orglife/me': members,
  'POST /api/orglife/appraisals': ['ownSecretary', 'staff'],
  'GET /api/orglife/appraisals/:id': ['ownSecretary', 'staff', 'county'],
  'PUT /api/orglife/appraisals/:id/grades/:memberId': ['ownSecretary', 'staff'],
  'POST /api/orglife/talks': ['ownSecretary', 'staff'],
  'GET /api/orglife/export': officers,
  'GET /api/orglife/lecture-duty': townshipStaff,
  // A fresh member of township A assigned a village: township B's staff do not find them (404).
  'PUT /api/orglife/lecture-duty/:id': ['staff'],
  'GET /api/orglife/organizations/:id/speakers': ['ownSecretary', 'staff', 'county'],
  // 现场照片: the branch's officers add and remove them, county staff read; members see the record, not its photos.
  'POST /api/orglife/meetings/:id/photos': ['ownSecretary', 'staff'],
  'GET /api/orglife/meetings/:id/photos': ['ownSecretary', 'staff', 'county'],
  'GET /api/orglife/photos/:id': ['ownSecretary', 'staff', 'county'],
  'DELETE /api/orglife/photos/:id': ['ownSecretary', 'staff'],
  'POST /api/feedback': signedIn, // any user may send one, county staff included: it is their own, not a township's record
  'GET /api/feedback': signedIn,
  'POST /api/feedback/:id/assign': ['staff'],
  'POST /api/feedback/:id/reply': ['staff'],
  'POST /api/feedback/:id/close': ['staff'],
  // Everyone has their own messages (county staff and applicants too); one message is its account's alone.
  'GET /api/messages': signedIn,
  'POST /api/messages/:id/read': ['owner'],
  'POST /api/messages/read-all': signedIn,
  // One's own consent: every signed-in account, county staff included (it is their account, not a township's record).
  'GET /api/privacy/consent': signedIn,
  'POST /api/privacy/consent': signedIn,
  'POST /api/privacy/consent/withdraw': signedIn,
  // 乡镇开通: the county builds townships and invites their staff; a township's staff invite its secretaries.
  'GET /api/county/townships': ['county'],
  'POST /api/county/townships': ['county'],
  'POST /api/county/townships/:id/branches': ['county'],
  'POST /api/county/invitations': ['county'],
  'POST /api/county/invitations/:id/revoke': ['county'],
  'POST /api/invitations': ['staff'],
  'GET /api/invitations': townshipStaff,
  'POST /api/invitations/:id/revoke': ['staff'],
  // Anyone signed in may try a code (here a revoked one: the refusal is the code's, not authorization's).
  'POST /api/invitations/redeem': signedIn,
};

function expectedFor(key: string, actor: Actor): Outcome {
  const allowed = MAY_SUCCEED[key]!;
  if (allowed === 'scheduler only') return 'unauthenticated';
  if (allowed.includes(actor)) return 'ok';
  return actor === 'anonymous' || actor === 'forged' || actor === 'expired' ? 'unauthenticated' : 'denied';
}

/** The ownership kinds the matrix knows how to expect (shared/http.ts `Ownership`). */
const OWNERSHIPS: readonly Ownership[] = ['none', 'self', 'personal', 'member', 'branch', 'township'];

describeEachDriver(
  'authorization matrix over every route',
  (ctx) => {
    it('every route declares its ownership and has a matrix fixture', () => {
      const keys = routes.map((r) => `${r.endpoint.method} ${r.endpoint.path}`);
      expect(
        routes.filter((r) => !OWNERSHIPS.includes(r.endpoint.ownership)).map((r) => `${r.endpoint.method} ${r.endpoint.path}`),
        'declare ownership on the contract (endpoint({ ownership }))',
      ).toEqual([]);
      expect(keys.filter((k) => !FIXTURES[k]), 'add a fixture in this test').toEqual([]);
      expect(Object.keys(FIXTURES).filter((k) => !keys.includes(k)), 'stale fixtures').toEqual([]);
      expect(keys.filter((k) => !MAY_SUCCEED[k]), 'write down who may call it in MAY_SUCCEED').toEqual([]);
      expect(Object.keys(MAY_SUCCEED).filter((k) => !keys.includes(k)), 'stale MAY_SUCCEED entries').toEqual([]);
    });

    it('each caller gets exactly what access and ownership allow', async () => {
      const w = await buildWorld(ctx());
      const failures: string[] = [];
      let calls = 0;
      for (const { endpoint } of routes) {
        const key = `${endpoint.method} ${endpoint.path}`;
        const fixture = FIXTURES[key];
        if (!fixture || !MAY_SUCCEED[key]) continue;
        for (const actor of ACTORS) {
          const expected = expectedFor(key, actor);
          const prepared = await fixture.prepare(w, actor);
          const token =
            actor === 'anonymous' ? null : actor === 'owner' ? (prepared.ownerToken ?? (await w.freshMember()).token) : w.tokens[actor];
          const { request } = prepared;
          const options = requestOptions(request);
          const res = await ctx().call(request.method, request.path, { ...options, token, headers: { ...options.headers, 'idempotency-key': `matrix-${randomUUID()}` } });
          calls++;
          const got: Outcome | 'other' =
            res.status === 401
              ? 'unauthenticated'
              : res.status === 403 || res.status === 404
                ? 'denied'
                : res.status < 300 || (fixture.alsoOk ?? []).includes(res.status)
                  ? 'ok'
                  : 'other';
          if (got !== expected) {
            failures.push(`${key} as ${actor}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
          }
          if (res.status >= 400) {
            expect(res.body, `${key} as ${actor}: error body`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
          }
        }
      }
      console.log(`[${ctx().driver}] authorization matrix: ${routes.length} routes × ${ACTORS.length} callers = ${calls} calls`);
      expect(failures).toEqual([]);
    }, 420_000);

    it('the scheduler secret opens the cron route and nothing else', async () => {
      const cron = ctx().config.cronSecret!;
      const res = await ctx().call('POST', '/api/cron/birthday-reminders', { token: cron });
      expect(res.status).toBeLessThan(300);
      expect((await ctx().call('GET', '/api/me', { token: cron })).status).toBe(401);
    });
  },
  { env: { WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' }, wechat: { code2session: async (code) => ({ openid: `wx-${code}` }) } },
);

