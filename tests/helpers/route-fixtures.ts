/**
 * A valid request for every route in the route table, built on fresh state
 * (a new member, a transfer at the wanted step, an event happening now), for
 * the authorization matrix and the fuzz tests. Setup writes go through the API
 * where one exists, and straight to the tables only to create members.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { addDays } from '../../shared/calendar.js';
import { allowed, type Access, type HttpMethod, type Ownership } from '../../shared/http.js';
import { PRIVACY_GUIDE_VERSION } from '../../shared/privacy.js';
import { sealIdNumber } from '../../db/pii.js';
import { accounts, members } from '../../db/schema/index.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import type { TestContext } from './harness.js';
import { tinyPng } from './photos.js';
import { accountIn, branchesOf as branchIdsOf, townshipId } from './townships.js';
import { agreePrivacy, consentingApplicant, IMPORT_QUERY } from './privacy.js';

const branchesOf = (ctx: TestContext, which: 'A' | 'B') => branchIdsOf(ctx.db, which);

export const ACTORS = [
  'anonymous',
  'forged',
  'expired',
  'owner',
  'peer',
  'otherMember',
  'ownSecretary',
  'otherSecretary',
  'staff',
  // Township B (柳林乡): every fixture's record belongs to township A, so to them it is another tenant's.
  'townshipBMember',
  'townshipBSecretary',
  'townshipBStaff',
  // 县委组织部: reads the whole county, writes nothing of a township's.
  'county',
] as const;
export type Actor = (typeof ACTORS)[number];
export type Outcome = 'ok' | 'unauthenticated' | 'denied';

export interface Person {
  memberId: number;
  accountId: number;
  token: string;
}
export interface World {
  ctx: TestContext;
  branchA: number;
  branchB: number;
  tokens: Record<Exclude<Actor, 'anonymous' | 'owner'>, string>;
  /** A new member of branch A (fresh state: no open transfer, no session, no sign-in). */
  freshMember(branchId?: number): Promise<Person>;
}
export interface Request {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: Uint8Array;
  /** The raw body's Content-Type (default: the xlsx type of the roster import). */
  contentType?: string;
}
export interface Prepared {
  request: Request;
  /** The owning member's token, when the target belongs to a member made for this call. */
  ownerToken?: string;
}
export interface Fixture {
  prepare(w: World, actor: Actor): Promise<Prepared>;
  /** Domain answers that still mean "authorization let the caller through" (e.g. 409 already registered). */
  alsoOk?: number[];
  /** Where the domain's own rules narrow who may act beyond access + ownership. */
  override?: Partial<Record<Actor, Outcome>>;
}

const ROLE_OF: Record<Actor, 'member' | 'secretary' | 'staff' | 'county' | null> = {
  anonymous: null,
  forged: null,
  expired: null,
  owner: 'member',
  peer: 'member',
  otherMember: 'member',
  ownSecretary: 'secretary',
  otherSecretary: 'secretary',
  staff: 'staff',
  townshipBMember: 'member',
  townshipBSecretary: 'secretary',
  townshipBStaff: 'staff',
  county: 'county',
};

export function expectedOutcome(access: Access, owner: Ownership, actor: Actor, method = 'GET'): Outcome {
  if (access === 'public') return 'ok';
  if (access === 'cron') return 'unauthenticated';
  const role = ROLE_OF[actor];
  if (!role) return 'unauthenticated';
  if (!allowed(access, role, method as HttpMethod)) return 'denied';
  const otherTownship = actor === 'townshipBMember' || actor === 'townshipBSecretary' || actor === 'townshipBStaff';
  switch (owner) {
    case 'none':
    case 'self':
      return 'ok';
    case 'township':
      return otherTownship ? 'denied' : 'ok';
    case 'personal':
      return actor === 'owner' ? 'ok' : 'denied';
    case 'member':
      return actor === 'owner' || actor === 'ownSecretary' || actor === 'staff' || actor === 'county' ? 'ok' : 'denied';
    case 'branch':
      return actor === 'otherMember' || actor === 'otherSecretary' || otherTownship ? 'denied' : 'ok';
  }
}

const get = (path: string, query?: Record<string, string>): Prepared => ({ request: { method: 'GET', path, query } });
const send = (method: string, path: string, body?: unknown): Prepared => ({ request: { method, path, body } });

async function must<T>(w: World, method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await w.ctx.call<T>(method, path, { token, body, headers: { 'idempotency-key': `fixture-${randomUUID()}` } });
  if (res.status >= 300) throw new Error(`fixture ${method} ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const outTransferBody = (memberId?: number) => ({
  kind: 'out',
  ...(memberId ? { memberId } : {}),
  toOrganizationName: '中共某县某街道工作委员会',
  letterAddressee: '中共某县某街道工作委员会',
  scope: 'in_province',
  reason: 'job',
  duesPaidThrough: '2026-05',
  contactPhone: '13812345678',
});

/** A transfer out of branch A for a fresh member, advanced to the wanted state. */
async function transferOut(w: World, state: 'pending_branch' | 'pending_committee' | 'letter_issued') {
  const subject = await w.freshMember();
  let t = await must<{ id: number; version: number }>(w, 'POST', '/api/transfers', subject.token, outTransferBody());
  if (state !== 'pending_branch') {
    t = await must(w, 'POST', `/api/transfers/${t.id}/review`, w.tokens.ownSecretary, { decision: 'approve', version: t.version });
  }
  if (state === 'letter_issued') {
    t = await must(w, 'POST', `/api/transfers/${t.id}/approve`, w.tokens.staff, { version: t.version });
  }
  return { subject, transfer: t };
}

/**
 * 县内跨镇转接 from township B's first branch to branch A, lettered by township B: township A (branch A's
 * secretary, its staff) receives it, so the record is township A's to act on like every other fixture's.
 */
async function crossTownshipIntoA(w: World) {
  const [fromBranch] = (await branchesOf(w.ctx, 'B')) as [number];
  const subject = await w.freshMember(fromBranch);
  let t = await must<{ id: number; version: number }>(w, 'POST', '/api/transfers', subject.token, {
    kind: 'cross_township',
    toOrganizationId: w.branchA,
    reason: 'relocation',
    duesPaidThrough: '2026-05',
    contactPhone: '13812345678',
  });
  t = await must(w, 'POST', `/api/transfers/${t.id}/review`, w.tokens.townshipBSecretary, { decision: 'approve', version: t.version });
  t = await must(w, 'POST', `/api/transfers/${t.id}/approve`, w.tokens.townshipBStaff, { version: t.version });
  return { subject, transfer: t };
}

let registrationSeq = 0;
async function pendingRegistration(w: World): Promise<number> {
  const applicant = await consentingApplicant(w.ctx);
  const birthDate = addDays('1985-03-01', registrationSeq++);
  const reg = await must<{ id: number }>(w, 'POST', '/api/registrations', applicant, {
    name: '新党员',
    gender: 'male',
    ethnicity: '汉族',
    birthDate,
    idNumber: makeIdNumber(birthDate, 'male', 77, '130102'),
    phone: '13912345678',
    organizationId: w.branchA,
    category: 'full',
    joinedAt: '2015-06-01',
    confirmedAt: '2016-06-01',
  });
  return reg.id;
}

async function eventNow(w: World): Promise<number> {
  const now = w.ctx.clock.now();
  const event = await must<{ id: number }>(w, 'POST', '/api/study/events', w.tokens.ownSecretary, {
    organizationId: w.branchA,
    way: 'branch',
    topic: '学习党章',
    place: '村党群服务中心',
    startsAt: new Date(now.getTime() - 5 * 60_000).toISOString(),
    endsAt: new Date(now.getTime() + 55 * 60_000).toISOString(),
  });
  return event.id;
}

async function newCommendation(w: World): Promise<{ id: number; version: number }> {
  const target = await w.freshMember();
  return must(w, 'POST', '/api/commendations', w.tokens.staff, {
    category: 'outstanding_member',
    memberId: target.memberId,
    level: 'township',
    year: 2026,
    awardedOn: '2026-06-01',
    issuedBy: '中共红旗镇委员会',
  });
}

let developmentSeq = 0;
/** A fresh 发展党员 record in branch A (the application only), by its secretary. */
async function newDevelopment(w: World): Promise<{ id: number; version: number; name: string; idNumber: string }> {
  const n = developmentSeq++;
  const idNumber = makeIdNumber(addDays('1996-01-01', n), 'male', 40 + (n % 50), '130105');
  const name = '申请人';
  const r = await must<{ id: number; version: number }>(w, 'POST', '/api/development/records', w.tokens.ownSecretary, {
    organizationId: w.branchA,
    name,
    idNumber,
    phone: '13912345678',
    applicationDate: '2026-06-01',
    evidence: '入党申请书',
    memberConsent: true,
  });
  return { ...r, name, idNumber };
}

export const FIXTURES: Record<string, Fixture> = {
  'GET /api/health': { prepare: async () => get('/api/health') },
  'GET /api/openapi.json': { prepare: async () => get('/api/openapi.json') },
  'POST /api/dev/clock': { prepare: async () => send('POST', '/api/dev/clock', {}) },
  'POST /api/auth/wechat': { prepare: async () => send('POST', '/api/auth/wechat', { code: `matrix-${randomUUID()}` }) },
  'POST /api/auth/dev': { prepare: async () => send('POST', '/api/auth/dev', { role: 'member' }) },
  'POST /api/auth/refresh': {
    prepare: async (w) => send('POST', '/api/auth/refresh', { refreshToken: await must<{ refreshToken: string }>(w, 'POST', '/api/auth/dev', '', { role: 'member' }).then((s) => s.refreshToken) }),
  },
  'GET /api/auth/dev/accounts': { prepare: async () => get('/api/auth/dev/accounts') },
  'GET /api/me': { prepare: async () => get('/api/me') },
  'GET /api/me/export': { prepare: async () => get('/api/me/export') },
  'GET /api/organizations': { prepare: async () => get('/api/organizations') },
  'GET /api/members': { prepare: async () => get('/api/members') },
  'GET /api/members/:id': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return { ...get(`/api/members/${m.memberId}`), ownerToken: m.token };
    },
  },
  'PATCH /api/members/:id': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return { ...send('PATCH', `/api/members/${m.memberId}`, { version: 1, education: '本科' }), ownerToken: m.token };
    },
  },
  'POST /api/members/:id/reveal-id': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return { ...send('POST', `/api/members/${m.memberId}/reveal-id`), ownerToken: m.token };
    },
  },
  // An empty upload: authorization is what this test checks; the import's rules have their own tests.
  'POST /api/members/import': { prepare: async () => ({ request: { method: 'POST', path: '/api/members/import', query: IMPORT_QUERY, rawBody: new Uint8Array() } }), alsoOk: [400, 422] },
  'GET /api/members/export': { prepare: async () => get('/api/members/export') },
  'GET /api/members/import-template': { prepare: async () => get('/api/members/import-template') },
  // Everyone in the matrix is already a member: "already registered" is the domain's answer, not a refusal to authenticate.
  'POST /api/registrations': {
    prepare: async (w) => {
      const birthDate = addDays('1990-01-01', registrationSeq++);
      return send('POST', '/api/registrations', {
        name: '重复登记',
        gender: 'female',
        ethnicity: '汉族',
        birthDate,
        idNumber: makeIdNumber(birthDate, 'female', 33, '130103'),
        phone: '13712345678',
        organizationId: w.branchA,
        category: 'full',
        joinedAt: '2014-06-01',
        confirmedAt: '2015-06-01',
      });
    },
    alsoOk: [409],
  },
  'GET /api/registrations/mine': { prepare: async () => get('/api/registrations/mine'), alsoOk: [404] },
  'GET /api/registrations': { prepare: async () => get('/api/registrations', { status: 'pending' }) },
  'POST /api/registrations/:id/approve': { prepare: async (w) => send('POST', `/api/registrations/${await pendingRegistration(w)}/approve`) },
  'POST /api/registrations/:id/reject': {
    prepare: async (w) => send('POST', `/api/registrations/${await pendingRegistration(w)}/reject`, { reason: '信息有误，请核对后重新登记' }),
  },
  'GET /api/commendations': { prepare: async () => get('/api/commendations', { year: '2026' }) },
  'POST /api/commendations': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return send('POST', '/api/commendations', {
        category: 'outstanding_member',
        memberId: m.memberId,
        level: 'township',
        year: 2026,
        awardedOn: '2026-06-01',
        issuedBy: '中共红旗镇委员会',
      });
    },
  },
  'GET /api/commendations/export': { prepare: async () => get('/api/commendations/export', { year: '2026' }) },
  'GET /api/commendations/candidates': { prepare: async () => get('/api/commendations/candidates') },
  'PATCH /api/commendations/:id': {
    prepare: async (w) => {
      const c = await newCommendation(w);
      return send('PATCH', `/api/commendations/${c.id}`, { version: c.version, citation: '带头发展特色产业' });
    },
  },
  'DELETE /api/commendations/:id': { prepare: async (w) => send('DELETE', `/api/commendations/${(await newCommendation(w)).id}`) },
  'GET /api/commendation-campaigns': { prepare: async () => get('/api/commendation-campaigns', { year: '2026' }) },
  'POST /api/commendation-campaigns': {
    prepare: async () => send('POST', '/api/commendation-campaigns', { name: `表彰${randomUUID().slice(0, 8)}`, year: 2026 }),
  },
  'GET /api/commendation-targets': { prepare: async () => get('/api/commendation-targets', { year: '2026' }) },
  'PUT /api/commendation-targets': {
    prepare: async () => ({ request: { method: 'PUT', path: '/api/commendation-targets', query: { year: '2026' }, body: { targets: [{ category: 'outstanding_member', target: 10 }] } } }),
  },
  // County staff name the township they read (township A's: the fixtures' records are A's).
  'GET /api/settings': { prepare: async (w, actor) => get('/api/settings', actor === 'county' ? { townshipId: String(await townshipId(w.ctx.db, 'A')) } : undefined) },
  'PUT /api/settings': { prepare: async () => send('PUT', '/api/settings', { partyDayOfMonth: 12 }) },
  'GET /api/county/settings': { prepare: async () => get('/api/county/settings') },
  'PUT /api/county/settings': { prepare: async () => send('PUT', '/api/county/settings', { partyDayOfMonth: 12 }) },
  'GET /api/honor-roll': { prepare: async () => get('/api/honor-roll') },
  'GET /api/dashboard': { prepare: async () => get('/api/dashboard') },
  'GET /api/birthdays/me': { prepare: async () => get('/api/birthdays/me') },
  // Outside one's anniversary window the sign-in is refused by the calendar, after authorization.
  'POST /api/birthdays/sign-in': { prepare: async () => send('POST', '/api/birthdays/sign-in', { oathConfirmed: true }), alsoOk: [409] },
  'GET /api/birthdays': { prepare: async (w) => get('/api/birthdays', { month: '2026-06', organizationId: String(w.branchA) }) },
  'POST /api/birthdays/ceremonies': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return send('POST', '/api/birthdays/ceremonies', {
        heldOn: w.ctx.clock.now().toISOString().slice(0, 10),
        topic: '主题党日·集体过政治生日',
        attendeeMemberIds: [m.memberId],
        oathConfirmed: true,
      });
    },
    // The ceremony is the branch's own 主题党日: its secretary records it, not the committee.
    override: { staff: 'denied' },
  },
  'GET /api/birthdays/medal-eligible': { prepare: async () => get('/api/birthdays/medal-eligible', { year: '2026' }) },
  // A member whose 党龄 reached 50 long ago, so the award can really be recorded.
  'POST /api/birthdays/medal-awards': {
    prepare: async (w) => {
      const m = await w.freshMember();
      await w.ctx.db.update(members).set({ joinedAt: '1960-03-01', confirmedAt: '1961-03-01' }).where(eq(members.id, m.memberId));
      return send('POST', '/api/birthdays/medal-awards', { memberId: m.memberId, awardedOn: '2026-06-10', presentedBy: '镇党委书记' });
    },
  },
  'GET /api/members/:id/medal': {
    prepare: async (w) => {
      const m = await w.freshMember();
      return { ...get(`/api/members/${m.memberId}/medal`), ownerToken: m.token };
    },
  },
  'POST /api/cron/birthday-reminders': { prepare: async () => send('POST', '/api/cron/birthday-reminders') },
  'GET /api/cron/birthday-reminders': { prepare: async () => get('/api/cron/birthday-reminders') },
  // A member files for themselves; a secretary for a member of their branch; staff for anyone.
  'POST /api/transfers': {
    prepare: async (w, actor) => {
      const m = await w.freshMember();
      return { ...send('POST', '/api/transfers', outTransferBody(actor === 'owner' ? undefined : m.memberId)), ownerToken: m.token };
    },
  },
  'GET /api/transfers': { prepare: async () => get('/api/transfers') },
  'GET /api/transfers/ledger': { prepare: async () => get('/api/transfers/ledger', { year: '2026' }) },
  'GET /api/transfers/:id': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'pending_branch');
      return { ...get(`/api/transfers/${transfer.id}`), ownerToken: subject.token };
    },
  },
  // The branch step belongs to the branch's secretary alone.
  'POST /api/transfers/:id/review': {
    prepare: async (w) => {
      const { transfer } = await transferOut(w, 'pending_branch');
      return send('POST', `/api/transfers/${transfer.id}/review`, { decision: 'approve', version: transfer.version });
    },
    override: { staff: 'denied' },
  },
  'POST /api/transfers/:id/approve': {
    prepare: async (w) => {
      const { transfer } = await transferOut(w, 'pending_committee');
      return send('POST', `/api/transfers/${transfer.id}/approve`, { version: transfer.version });
    },
  },
  // Rejection belongs to whoever acts at the current step: the branch secretary at 支部审核.
  'POST /api/transfers/:id/reject': {
    prepare: async (w) => {
      const { transfer } = await transferOut(w, 'pending_branch');
      return send('POST', `/api/transfers/${transfer.id}/reject`, { reason: '材料不全', version: transfer.version });
    },
    override: { staff: 'denied' },
  },
  'POST /api/transfers/:id/withdraw': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'pending_branch');
      return { ...send('POST', `/api/transfers/${transfer.id}/withdraw`, { version: transfer.version }), ownerToken: subject.token };
    },
  },
  'GET /api/transfers/progress-reminder': { prepare: async () => get('/api/transfers/progress-reminder') },
  // Only the member the transfer moves records their WeChat acceptance; 409 (no template set in the
  // township, or another one) still means authorization let them through.
  'POST /api/transfers/:id/progress-reminder': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'pending_branch');
      return { ...send('POST', `/api/transfers/${transfer.id}/progress-reminder`, { templateId: 'tmpl-transfer-progress' }), ownerToken: subject.token };
    },
    alsoOk: [409],
  },
  'POST /api/transfers/:id/receipt': {
    prepare: async (w) => {
      const { transfer } = await transferOut(w, 'letter_issued');
      return send('POST', `/api/transfers/${transfer.id}/receipt`, { version: transfer.version });
    },
  },
  'POST /api/transfers/:id/receive': {
    prepare: async (w) => {
      const { transfer } = await crossTownshipIntoA(w);
      return send('POST', `/api/transfers/${transfer.id}/receive`, { version: transfer.version });
    },
  },
  'POST /api/transfers/:id/report': {
    prepare: async (w) => {
      const birthDate = addDays('1982-01-01', registrationSeq++);
      let t = await must<{ id: number; version: number }>(w, 'POST', '/api/transfers', w.tokens.staff, {
        kind: 'in',
        // The filer confirms the member agreed to the privacy guide (their ID number is typed by someone else).
        memberConsent: true,
        name: '转入党员',
        gender: 'male',
        ethnicity: '汉族',
        idNumber: makeIdNumber(birthDate, 'male', 55, '130104'),
        category: 'full',
        joinedAt: '2012-06-01',
        confirmedAt: '2013-06-01',
        toOrganizationId: w.branchA,
        fromOrganizationName: '中共某县某镇委员会',
        incomingLetterNumber: `来${randomUUID().slice(0, 6)}`,
        scope: 'in_county',
        reason: 'relocation',
        duesPaidThrough: '2026-05',
        contactPhone: '13612345678',
      });
      t = await must(w, 'POST', `/api/transfers/${t.id}/approve`, w.tokens.staff, { version: t.version });
      return send('POST', `/api/transfers/${t.id}/report`, { version: t.version });
    },
  },
  'GET /api/transfers/:id/letter': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'letter_issued');
      return { ...get(`/api/transfers/${transfer.id}/letter`), ownerToken: subject.token };
    },
  },
  'POST /api/transfers/:id/letter/print': {
    prepare: async (w) => {
      const { subject, transfer } = await transferOut(w, 'letter_issued');
      return { ...send('POST', `/api/transfers/${transfer.id}/letter/print`), ownerToken: subject.token };
    },
  },
  'POST /api/study/sessions': { prepare: async () => send('POST', '/api/study/sessions', { way: 'platform', topic: '学习党章' }) },
  'POST /api/study/sessions/:id/finish': {
    prepare: async (w) => {
      const m = await w.freshMember();
      const started = await must<{ session: { id: number } }>(w, 'POST', '/api/study/sessions', m.token, { way: 'platform', topic: '学习党章' });
      return { ...send('POST', `/api/study/sessions/${started.session.id}/finish`, {}), ownerToken: m.token };
    },
  },
  'POST /api/study/sessions/:id/presence': {
    prepare: async (w) => {
      const m = await w.freshMember();
      const started = await must<{ session: { id: number } }>(w, 'POST', '/api/study/sessions', m.token, { way: 'platform', topic: '学习党章' });
      return { ...send('POST', `/api/study/sessions/${started.session.id}/presence`, {}), ownerToken: m.token };
    },
  },
  'POST /api/study/checkins': { prepare: async () => send('POST', '/api/study/checkins', { way: 'platform', topic: '读《党员学习手册》', minutes: 10 }) },
  'GET /api/study/me': { prepare: async () => get('/api/study/me') },
  'POST /api/study/events': {
    prepare: async (w) => {
      const now = w.ctx.clock.now();
      return send('POST', '/api/study/events', {
        organizationId: w.branchA,
        way: 'branch',
        topic: '学习党章',
        place: '村党群服务中心',
        startsAt: new Date(now.getTime() + 3_600_000).toISOString(),
        endsAt: new Date(now.getTime() + 7_200_000).toISOString(),
      });
    },
  },
  'GET /api/study/events': { prepare: async () => get('/api/study/events') },
  'GET /api/study/events/:id/qr': { prepare: async (w) => get(`/api/study/events/${await eventNow(w)}/qr`) },
  // Attendees are members of the event's branch; staff belong to the 机关 branch.
  'POST /api/study/events/:id/sign-in': {
    prepare: async (w) => {
      const eventId = await eventNow(w);
      const qr = await must<{ token: string }>(w, 'GET', `/api/study/events/${eventId}/qr`, w.tokens.ownSecretary);
      return send('POST', `/api/study/events/${eventId}/sign-in`, { token: qr.token });
    },
    override: { staff: 'denied' },
  },
  'POST /api/study/events/:id/attendees': {
    prepare: async (w) => {
      const eventId = await eventNow(w);
      const m = await w.freshMember();
      return send('POST', `/api/study/events/${eventId}/attendees`, { memberIds: [m.memberId] });
    },
  },
  'GET /api/study/organizations/:id/week': { prepare: async (w) => get(`/api/study/organizations/${w.branchA}/week`) },
  'GET /api/study/summary': { prepare: async () => get('/api/study/summary', { from: '2026-06-01', to: '2026-06-15' }) },
  'GET /api/development/mine': { prepare: async () => get('/api/development/mine') },
  'POST /api/development/mine/link': {
    // The caller types their own ID number: they agree to the privacy guide first, as the page asks.
    prepare: async (w, actor) => {
      const r = await newDevelopment(w);
      const owner = actor === 'owner' ? await w.freshMember() : null;
      const token = owner?.token ?? (actor === 'anonymous' || actor === 'owner' ? null : w.tokens[actor]);
      if (token && actor !== 'forged' && actor !== 'expired') await agreePrivacy(w.ctx, token);
      return { ...send('POST', '/api/development/mine/link', { name: r.name, idNumber: r.idNumber }), ...(owner ? { ownerToken: owner.token } : {}) };
    },
  },
  'GET /api/development/records': { prepare: async () => get('/api/development/records') },
  'POST /api/development/records': {
    prepare: async (w) => {
      const n = developmentSeq++;
      return send('POST', '/api/development/records', {
        organizationId: w.branchA,
        name: '申请人',
        idNumber: makeIdNumber(addDays('1996-01-01', n), 'male', 40 + (n % 50), '130105'),
        phone: '13912345678',
        applicationDate: '2026-06-01',
        evidence: '入党申请书',
        memberConsent: true,
      });
    },
  },
  'GET /api/development/records/:id': { prepare: async (w) => get(`/api/development/records/${(await newDevelopment(w)).id}`) },
  'POST /api/development/records/:id/steps': {
    prepare: async (w) => {
      const r = await newDevelopment(w);
      return send('POST', `/api/development/records/${r.id}/steps`, { step: 'talk', date: '2026-06-10', evidence: '谈话记录', version: r.version });
    },
    // 派人谈话 is a branch step: the branch's secretary records it, not the committee (which has 预审、审批…).
    override: { staff: 'denied' },
  },
  'GET /api/development/queue': { prepare: async () => get('/api/development/queue') },
  'PUT /api/development/targets/:year': { prepare: async () => send('PUT', '/api/development/targets/2026', { target: 5 }) },
  'GET /api/development/export': { prepare: async () => get('/api/development/export') },
  'GET /api/work-calendar': { prepare: async () => get('/api/work-calendar', { year: '2026' }) },
  'PUT /api/work-calendar/:year': { prepare: async () => send('PUT', '/api/work-calendar/2027', { days: [{ day: '2027-01-01', kind: 'holiday', note: '元旦' }] }) },
  'GET /api/county/development': { prepare: async () => get('/api/county/development', { year: '2026' }) },
  'GET /api/county/overview': { prepare: async () => get('/api/county/overview') },
  'GET /api/county/roster-statistics': { prepare: async () => get('/api/county/roster-statistics') },
  'PUT /api/county/development/targets/:year': { prepare: async () => send('PUT', '/api/county/development/targets/2026', { target: 20 }) },
  'POST /api/orglife/meetings': { prepare: async (w) => send('POST', '/api/orglife/meetings', orglifeMeetingBody(w)) },
  'PUT /api/orglife/meetings/:id/attendance': {
    prepare: async (w) => {
      const m = await w.freshMember();
      const meeting = await must<{ id: number }>(w, 'POST', '/api/orglife/meetings', w.tokens.ownSecretary, orglifeMeetingBody(w));
      return send('PUT', `/api/orglife/meetings/${meeting.id}/attendance`, { attendance: [{ memberId: m.memberId, status: 'present' }] });
    },
  },
  'GET /api/orglife/meetings': { prepare: async () => get('/api/orglife/meetings') },
  'GET /api/orglife/meetings/:id': {
    prepare: async (w) => get(`/api/orglife/meetings/${(await must<{ id: number }>(w, 'POST', '/api/orglife/meetings', w.tokens.ownSecretary, orglifeMeetingBody(w))).id}`),
  },
  'GET /api/orglife/organizations/:id/expected': { prepare: async (w) => get(`/api/orglife/organizations/${w.branchA}/expected`, { date: '2026-06-14' }) },
  'GET /api/orglife/calendar': { prepare: async (w) => get('/api/orglife/calendar', { organizationId: String(w.branchA) }) },
  'GET /api/orglife/township': { prepare: async () => get('/api/orglife/township') },
  'GET /api/orglife/me': { prepare: async () => get('/api/orglife/me') },
  'POST /api/orglife/appraisals': { prepare: async (w) => send('POST', '/api/orglife/appraisals', { organizationId: w.branchA, year: 2026 }) },
  'GET /api/orglife/appraisals/:id': { prepare: async (w) => get(`/api/orglife/appraisals/${(await orglifeAppraisal(w)).id}`) },
  'PUT /api/orglife/appraisals/:id/grades/:memberId': {
    prepare: async (w) => {
      // The round is opened once: each call grades the next member of it, so two calls are two records.
      const round = await orglifeAppraisal(w);
      if (round.members.length < 2) throw new Error('branch A\'s appraisal should assess at least two members');
      const member = round.members[gradeSeq++ % round.members.length]!;
      return send('PUT', `/api/orglife/appraisals/${round.id}/grades/${member.memberId}`, { grade: 'qualified' });
    },
  },
  'POST /api/orglife/talks': {
    prepare: async (w) => send('POST', '/api/orglife/talks', { withMemberId: (await w.freshMember()).memberId, day: '2026-06-14', topic: '思想和生活情况' }),
  },
  'GET /api/orglife/export': { prepare: async () => get('/api/orglife/export') },
  'GET /api/orglife/lecture-duty': { prepare: async () => get('/api/orglife/lecture-duty') },
  'PUT /api/orglife/lecture-duty/:id': {
    prepare: async (w) => send('PUT', `/api/orglife/lecture-duty/${(await w.freshMember()).memberId}`, { branchIds: [w.branchA] }),
  },
  'GET /api/orglife/organizations/:id/speakers': { prepare: async (w) => get(`/api/orglife/organizations/${w.branchA}/speakers`) },
  // Each caller a fresh meeting of branch A (and a fresh photo in it): nobody meets the nine-photo limit.
  'POST /api/orglife/meetings/:id/photos': {
    prepare: async (w) => ({ request: { method: 'POST', path: `/api/orglife/meetings/${await orglifeMeetingOf(w)}/photos`, rawBody: tinyPng(), contentType: 'image/png' } }),
  },
  'GET /api/orglife/meetings/:id/photos': { prepare: async (w) => get(`/api/orglife/meetings/${await orglifeMeetingOf(w)}/photos`) },
  'GET /api/orglife/photos/:id': { prepare: async (w) => get(`/api/orglife/photos/${await orglifePhotoOf(w)}`) },
  'DELETE /api/orglife/photos/:id': { prepare: async (w) => send('DELETE', `/api/orglife/photos/${await orglifePhotoOf(w)}`) },
  'POST /api/feedback': { prepare: async () => send('POST', '/api/feedback', { kind: 'suggestion', topic: 'app', text: '希望字再大一点', anonymous: false }) },
  'GET /api/feedback': { prepare: async () => get('/api/feedback') },
  'POST /api/feedback/:id/assign': { prepare: async (w) => send('POST', `/api/feedback/${await feedbackOf(w)}/assign`, {}) },
  'POST /api/feedback/:id/reply': { prepare: async (w) => send('POST', `/api/feedback/${await feedbackOf(w)}/reply`, { reply: '已收到，谢谢' }) },
  'GET /api/privacy/consent': { prepare: async () => get('/api/privacy/consent') },
  'POST /api/privacy/consent': { prepare: async () => send('POST', '/api/privacy/consent', { version: PRIVACY_GUIDE_VERSION, guide: true, sensitive: true }) },
  'POST /api/privacy/consent/withdraw': { prepare: async () => send('POST', '/api/privacy/consent/withdraw', {}) },
  'POST /api/feedback/:id/close': { prepare: async (w) => send('POST', `/api/feedback/${await feedbackOf(w)}/close`, {}) },
  'GET /api/messages': { prepare: async () => get('/api/messages') },
  // A message of a fresh member's own: their transfer passed the branch's review.
  'POST /api/messages/:id/read': {
    prepare: async (w) => {
      const { subject } = await transferOut(w, 'pending_committee');
      const listed = await must<{ items: { id: number }[] }>(w, 'GET', '/api/messages', subject.token);
      const id = listed.items[0]?.id;
      if (!id) throw new Error('the member should have a message of the review');
      return { ...send('POST', `/api/messages/${id}/read`, {}), ownerToken: subject.token };
    },
  },
  'POST /api/messages/read-all': { prepare: async () => send('POST', '/api/messages/read-all', {}) },
  'GET /api/county/townships': { prepare: async () => get('/api/county/townships') },
  'POST /api/county/townships': { prepare: async () => send('POST', '/api/county/townships', { name: `矩阵${++onboardingSeq}镇党委` }) },
  'POST /api/county/townships/:id/branches': {
    prepare: async (w) => send('POST', `/api/county/townships/${await townshipId(w.ctx.db, 'A')}/branches`, { names: [`矩阵${++onboardingSeq}村党支部`] }),
  },
  'POST /api/county/invitations': { prepare: async (w) => send('POST', '/api/county/invitations', { organizationId: await townshipId(w.ctx.db, 'A') }) },
  'POST /api/county/invitations/:id/revoke': {
    prepare: async (w) => send('POST', `/api/county/invitations/${(await countyInvitation(w)).invitation.id}/revoke`, {}),
  },
  'POST /api/invitations': { prepare: async (w) => send('POST', '/api/invitations', { role: 'secretary', organizationId: w.branchA }) },
  'GET /api/invitations': { prepare: async () => get('/api/invitations') },
  'POST /api/invitations/:id/revoke': { prepare: async (w) => send('POST', `/api/invitations/${(await secretaryInvitation(w)).invitation.id}/revoke`, {}) },
  // A revoked code: every signed-in caller gets through to the code's own refusal (409), and nobody's role changes.
  'POST /api/invitations/redeem': {
    prepare: async (w) => {
      const issued = await secretaryInvitation(w);
      await must(w, 'POST', `/api/invitations/${issued.invitation.id}/revoke`, w.tokens.staff, {});
      return send('POST', '/api/invitations/redeem', { code: issued.code });
    },
    alsoOk: [409],
  },
};

let onboardingSeq = 0;
interface Issued {
  invitation: { id: number };
  code: string;
}
/** A fresh invitation for township A's staff, issued by county staff. */
const countyInvitation = async (w: World) =>
  must<Issued>(w, 'POST', '/api/county/invitations', w.tokens.county, { organizationId: await townshipId(w.ctx.db, 'A') });
/** A fresh invitation for branch A's secretary, issued by township A's staff. */
const secretaryInvitation = (w: World) => must<Issued>(w, 'POST', '/api/invitations', w.tokens.staff, { role: 'secretary', organizationId: w.branchA });

/** A 支委会 of branch A held the day before the test clock's day, nobody ticked yet. */
function orglifeMeetingBody(w: World) {
  return {
    organizationId: w.branchA,
    type: 'branch_committee',
    topic: '研究本月工作',
    place: '村党群服务中心',
    host: '支部书记',
    startsAt: '2026-06-14T09:00:00+08:00',
    endsAt: '2026-06-14T10:00:00+08:00',
    carriesStudy: false,
    attendance: [],
  };
}

const orglifeMeetingOf = async (w: World) => (await must<{ id: number }>(w, 'POST', '/api/orglife/meetings', w.tokens.ownSecretary, orglifeMeetingBody(w))).id;

/** A photo in a fresh meeting of branch A, uploaded by its secretary. */
async function orglifePhotoOf(w: World): Promise<number> {
  const res = await w.ctx.call<{ id: number }>('POST', `/api/orglife/meetings/${await orglifeMeetingOf(w)}/photos`, {
    token: w.tokens.ownSecretary,
    rawBody: tinyPng(),
    headers: { 'idempotency-key': `fixture-${randomUUID()}`, 'content-type': 'image/png' },
  });
  if (res.status !== 201) throw new Error(`fixture photo upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

let gradeSeq = 0;
/** Branch A's 2026 民主评议 (opened once; later calls answer the same round). */
function orglifeAppraisal(w: World) {
  return must<{ id: number; members: { memberId: number }[] }>(w, 'POST', '/api/orglife/appraisals', w.tokens.staff, { organizationId: w.branchA, year: 2026 });
}

/** A fresh suggestion sent by a new member of branch A (through the API). */
async function feedbackOf(w: World): Promise<number> {
  const m = await w.freshMember();
  const res = await must<{ feedback: { id: number } }>(w, 'POST', '/api/feedback', m.token, { kind: 'suggestion', topic: 'work', text: '建议村里多办几次党课' });
  return res.feedback.id;
}

let personSeq = 0;
export async function buildWorld(ctx: TestContext): Promise<World> {
  // Branch A and B are two branches of township A; township B's callers come from its own first branch.
  const [branchA, branchB] = (await branchesOf(ctx, 'A')) as [number, number];
  const [townshipBBranch] = (await branchesOf(ctx, 'B')) as [number];
  const secretaryOf = async (branchId: number) => {
    const [a] = await ctx.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.organizationId, branchId)));
    return ctx.login('secretary', a!.id);
  };
  const keys = { encryptionKey: ctx.config.idEncryptionKey, hashKey: ctx.config.idHashKey };
  const freshMember = async (branchId = branchA): Promise<Person> => {
    const seq = personSeq++;
    const birthDate = addDays('1970-01-01', seq * 3 + (ctx.driver === 'neon' ? 1 : 0));
    const [m] = await ctx.db
      .insert(members)
      .values({
        name: `测试党员${seq}`,
        gender: 'male',
        ethnicity: '汉族',
        birthDate,
        ...sealIdNumber(makeIdNumber(birthDate, 'male', seq, '150102'), keys),
        phone: makePhone(9000 + seq),
        organizationId: branchId,
        category: 'full',
        // Admitted in June: the political-birthday window of the test month is open.
        joinedAt: '2010-06-10',
        confirmedAt: '2011-06-10',
      })
      .returning();
    const [a] = await ctx.db.insert(accounts).values({ openid: `matrix-${randomUUID()}`, role: 'member', memberId: m!.id, displayName: m!.name, isDemo: 1 }).returning();
    return { memberId: m!.id, accountId: a!.id, token: await ctx.login('member', a!.id) };
  };
  const forged = await new SignJWT({ role: 'staff', org: 1, mid: null, av: 1 })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('1')
    .setIssuer('dangjian')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('an-attacker-guessed-secret-an-attacker-guessed'));
  const staff = await ctx.login('staff');
  // A real token of this server, issued long enough ago to have expired.
  ctx.clock.advance(-(ctx.config.accessTokenTtlMinutes + 5));
  // A plain dev login, not ctx.login: the harness would renew that one as a client does.
  const expired = (await ctx.call<{ token: string }>('POST', '/api/auth/dev', { body: { role: 'staff' } })).body.token;
  ctx.clock.advance(ctx.config.accessTokenTtlMinutes + 5);
  return {
    ctx,
    branchA,
    branchB,
    freshMember,
    tokens: {
      forged,
      expired,
      peer: (await freshMember()).token,
      otherMember: (await freshMember(branchB)).token,
      ownSecretary: await secretaryOf(branchA),
      otherSecretary: await secretaryOf(branchB),
      staff,
      townshipBMember: (await freshMember(townshipBBranch)).token,
      townshipBSecretary: await secretaryOf(townshipBBranch),
      townshipBStaff: await ctx.login('staff', await accountIn(ctx.db, 'staff', await townshipId(ctx.db, 'B'))),
      county: await ctx.login('county'),
    },
  };
}
