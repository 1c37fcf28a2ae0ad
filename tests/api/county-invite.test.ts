/**
 * Issue 17.2: county staff add a colleague in the app. A 县委组织部 invitation binds the newcomer who redeems it
 * as county staff of this county (who then read the county's views); it can only name the county itself, and no
 * one but county staff can issue one.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { auditLog, organizations } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { townshipId } from '../helpers/townships.js';

const key = () => ({ 'idempotency-key': `county-invite-${randomUUID()}` });

describeEachDriver('inviting more county staff', (ctx) => {
  let county: string;
  let countyId: number;
  beforeAll(async () => {
    county = await ctx().login('county');
    const [row] = await ctx().db.select({ id: organizations.id }).from(organizations).where(eq(organizations.kind, 'county'));
    countyId = row!.id;
  });
  const invite = (token: string, body: unknown) => ctx().call('POST', '/api/county/invitations', { token, body, headers: key() });
  async function newcomer() {
    const res = await ctx().call<{ token: string; account: { id: number } }>('POST', '/api/auth/dev', { body: { role: 'applicant' } });
    return { token: res.body.token, id: res.body.account.id };
  }

  it('a county invitation makes the account that redeems it county staff, who then see the county overview; audited', async () => {
    const issued = await invite(county, { role: 'county', organizationId: countyId });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.invitation).toMatchObject({ role: 'county', organizationId: countyId, state: 'unused' });
    const person = await newcomer();
    expect((await ctx().call('GET', '/api/county/overview', { token: person.token })).status).toBe(403);
    const bound = await ctx().call('POST', '/api/invitations/redeem', { token: person.token, body: { code: issued.body.code } });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    expect(bound.body.account).toMatchObject({ id: person.id, role: 'county', organization: { id: countyId, kind: 'county' } });
    const overview = await ctx().call('GET', '/api/county/overview', { token: bound.body.token });
    expect(overview.status).toBe(200);
    expect(overview.body.county.organizationId).toBe(countyId);
    const created = (await ctx().db.select().from(auditLog).where(eq(auditLog.action, 'invitation.create'))).filter((a) => a.targetId === String(issued.body.invitation.id));
    expect(created[0]).toMatchObject({ details: { role: 'county', organizationId: countyId } });
  });

  it('a county invitation names the county itself; a township staff invitation still names a township (the default role)', async () => {
    const twp = await townshipId(ctx().db, 'B');
    expect((await invite(county, { role: 'county', organizationId: twp })).status).toBe(404);
    expect((await invite(county, { role: 'staff', organizationId: countyId })).status).toBe(404);
    const staff = await invite(county, { organizationId: twp });
    expect(staff.status).toBe(201);
    expect(staff.body.invitation.role).toBe('staff');
    expect((await invite(county, { role: 'secretary', organizationId: twp })).status).toBe(400);
  });

  it('township staff and secretaries cannot issue county invitations', async () => {
    for (const role of ['staff', 'secretary', 'member'] as const) {
      expect((await invite(await ctx().login(role), { role: 'county', organizationId: countyId })).status).toBe(403);
    }
  });
});
