/**
 * Registration is no membership oracle (issue 13.1): whatever the ID number
 * belongs to (nobody; a roster record of another branch; a member bound to
 * another WeChat account; another applicant's pending registration), the
 * applicant gets the same status and the same body, byte for byte but for the
 * registration's id and time. The roster match and the conflicts are shown to
 * the reviewing officer only.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { accounts, organizations } from '../../db/schema/index.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { alikeIdNumbers, rosterHolder } from '../helpers/id-numbers.js';
import { consentingApplicant } from '../helpers/privacy.js';

const BIRTH = '1984-10-20';

const form = (idNumber: string, organizationId: number) => ({
  name: '张建国',
  gender: 'male',
  ethnicity: '汉族',
  birthDate: BIRTH,
  idNumber,
  phone: '13912340000',
  organizationId,
  category: 'full',
  joinedAt: '2010-07-01',
  confirmedAt: '2011-07-01',
});

/** The roster's 张建国 under `idNumber`; `withAccount`, bound to a WeChat account of his own. */
async function rosterMember(t: TestContext, idNumber: string, organizationId: number, withAccount: boolean): Promise<number> {
  const id = await rosterHolder(t, idNumber, organizationId);
  if (withAccount) await t.db.insert(accounts).values({ openid: `oracle-${randomUUID()}`, role: 'member', memberId: id, displayName: '张建国', isDemo: 1 });
  return id;
}

/** The answer without what differs by nature between two registrations (their id and time). */
const comparable = (res: { status: number; body: Record<string, unknown> }) => {
  const { id, submittedAt, ...rest } = res.body;
  expect(id).toEqual(expect.any(Number));
  expect(submittedAt).toEqual(expect.any(String));
  return JSON.stringify({ status: res.status, body: rest });
};

describeEachDriver('registration answers do not tell whom an ID number belongs to', (ctx) => {
  it('the same status and body for a free number, a roster record elsewhere, a member bound to another WeChat account and a pending registration', async () => {
    const t = ctx();
    const [east, river] = (await t.db.select().from(organizations).where(eq(organizations.kind, 'branch')).orderBy(organizations.sortOrder)).map((o) => o.id);
    const [free, rosterElsewhere, boundHere, boundElsewhere, pendingElsewhere] = alikeIdNumbers(5);
    expect(pendingElsewhere).toBeDefined();
    await rosterMember(t, rosterElsewhere!, river!, false);
    await rosterMember(t, boundHere!, east!, true);
    await rosterMember(t, boundElsewhere!, river!, true);
    // Someone else already has a registration pending with this number.
    expect((await t.call('POST', '/api/registrations', { token: await consentingApplicant(t), body: form(pendingElsewhere!, river!) })).status).toBe(201);

    const cases = { free, rosterElsewhere, boundHere, boundElsewhere, pendingElsewhere } as Record<string, string>;
    const submitted: Record<string, string> = {};
    const mine: Record<string, string> = {};
    const ids: Record<string, number> = {};
    for (const [label, idNumber] of Object.entries(cases)) {
      const token = await consentingApplicant(t);
      const res = await t.call('POST', '/api/registrations', { token, body: form(idNumber, east!), headers: { 'idempotency-key': `oracle-${randomUUID()}` } });
      submitted[label] = comparable(res);
      ids[label] = res.body.id as number;
      const own = await t.call('GET', '/api/registrations/mine', { token });
      mine[label] = comparable({ status: own.status, body: own.body.registration });
    }
    expect(new Set(Object.values(submitted)).size, JSON.stringify(submitted, null, 1)).toBe(1);
    expect(new Set(Object.values(mine)).size, JSON.stringify(mine, null, 1)).toBe(1);
    const one = JSON.parse(submitted.free!) as { status: number; body: Record<string, unknown> };
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({ status: 'pending', organizationId: east });
    expect(JSON.stringify(one)).not.toMatch(/roster|conflict|已绑定|待审核的登记/);

    // The reviewer sees what the applicant was not told.
    const staff = await t.login('staff');
    const items = (await t.call('GET', '/api/registrations', { token: staff })).body.items as {
      id: number;
      organizationId: number;
      requestedOrganizationId: number;
      matchesRosterMember: boolean;
      conflicts: string[];
    }[];
    const view = (label: string) => items.find((r) => r.id === ids[label]);
    expect(view('free')).toMatchObject({ organizationId: east, matchesRosterMember: false, conflicts: [] });
    expect(view('rosterElsewhere')).toMatchObject({ organizationId: river, requestedOrganizationId: east, matchesRosterMember: true, conflicts: [] });
    expect(view('boundHere')).toMatchObject({ organizationId: east, matchesRosterMember: true, conflicts: ['account_bound'] });
    expect(view('boundElsewhere')).toMatchObject({ organizationId: river, matchesRosterMember: true, conflicts: ['account_bound'] });
    expect(view('pendingElsewhere')).toMatchObject({ organizationId: east, matchesRosterMember: false, conflicts: ['duplicate_pending'] });
    // Approving the one bound to another account is refused to the officer, with the reason.
    const refused = await t.call('POST', `/api/registrations/${ids.boundHere}/approve`, { token: staff });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('已绑定其他微信账号');
  });

  it('an invalid ID number is refused alike for everyone (the shape, not the owner, is checked)', async () => {
    const t = ctx();
    const [east] = (await t.db.select().from(organizations).where(eq(organizations.kind, 'branch')).orderBy(organizations.sortOrder)).map((o) => o.id);
    const [good] = alikeIdNumbers(1);
    const bad = good!.slice(0, 17) + (good!.endsWith('1') ? '2' : '1');
    const res = await t.call('POST', '/api/registrations', { token: await consentingApplicant(t), body: form(bad, east!) });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { path: string[] }) => i.path[0])).toEqual(['idNumber']);
  });
});
