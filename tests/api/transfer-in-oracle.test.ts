/**
 * Registering a 转入 is no membership oracle for a branch secretary (issue 13.1's
 * rule on one more path): whatever the ID number belongs to outside their own
 * branch (nobody; an active member of another branch; a former member who left
 * the township; another open 转入 registration), the secretary gets the same
 * status and body, byte for byte but for ids and times, and the same detail
 * afterwards. Township staff see the collision on the transfer, and 党委审批
 * refuses it naming the member's branch; the refusal is audited.
 */
import { randomUUID } from 'node:crypto';
import { asc, count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { sealIdNumber } from '../../db/pii.js';
import { auditLog, members, organizations } from '../../db/schema/index.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { alikeIdNumbers, rosterHolder as rosterMember } from '../helpers/id-numbers.js';
import { secretaryToken } from '../helpers/townships.js';
import { incomingBody } from '../helpers/transfer-bodies.js';
import { PRIVACY_GUIDE_VERSION } from '../../shared/privacy.js';

const incoming = (idNumber: string, toOrganizationId: number) =>
  incomingBody(idNumber, toOrganizationId, { number: '东组转〔2026〕101号', contactPhone: '13900139001' });

/** The answer without what differs by nature between two registrations (their ids and times). */
function comparable(res: { status: number; body: Record<string, unknown> }): string {
  const { id, events, ...rest } = res.body;
  expect(id).toEqual(expect.any(Number));
  const timeline = (events as { id: number; at: string }[]).map(({ id: eventId, at, ...e }) => {
    expect(eventId).toEqual(expect.any(Number));
    expect(at).toEqual(expect.any(String));
    return e;
  });
  return JSON.stringify({ status: res.status, body: { ...rest, events: timeline } });
}

async function branches(t: TestContext) {
  const rows = await t.db.select().from(organizations).where(eq(organizations.kind, 'branch')).orderBy(asc(organizations.sortOrder));
  return rows as { id: number; name: string }[];
}

describeEachDriver('转入 registration answers do not tell a secretary whom an ID number belongs to', (ctx) => {
  it('the same status, body and detail for a free number, a member of another branch, a former member and an open registration elsewhere; staff see the conflict and 党委审批 refuses it', async () => {
    const t = ctx();
    const [east, river] = await branches(t);
    const [free, rosterElsewhere, formerElsewhere, openElsewhere] = alikeIdNumbers(4);
    expect(openElsewhere).toBeDefined();
    const rosterId = await rosterMember(t, rosterElsewhere!, river!.id, 'active');
    const formerId = await rosterMember(t, formerElsewhere!, river!.id, 'transferred_out');
    const riverSecretary = await secretaryToken(t, river!.id);
    const earlier = await t.call('POST', '/api/transfers', { token: riverSecretary, body: incoming(openElsewhere!, river!.id) });
    expect(earlier.status).toBe(201);

    const secretary = await secretaryToken(t, east!.id);
    const cases = { free, rosterElsewhere, formerElsewhere, openElsewhere } as Record<string, string>;
    const filed: Record<string, string> = {};
    const detail: Record<string, string> = {};
    const ids: Record<string, number> = {};
    const keys: Record<string, string> = {};
    for (const [label, idNumber] of Object.entries(cases)) {
      keys[label] = `transfer-in-${randomUUID()}`;
      const res = await t.call('POST', '/api/transfers', { token: secretary, body: incoming(idNumber, east!.id), headers: { 'idempotency-key': keys[label]! } });
      filed[label] = comparable(res);
      ids[label] = res.body.id as number;
      detail[label] = comparable(await t.call('GET', `/api/transfers/${ids[label]}`, { token: secretary }));
    }
    expect(new Set(Object.values(filed)).size, JSON.stringify(filed, null, 1)).toBe(1);
    expect(new Set(Object.values(detail)).size, JSON.stringify(detail, null, 1)).toBe(1);
    const one = JSON.parse(filed.free!) as { status: number; body: Record<string, unknown> };
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({ kind: 'in', state: 'pending_committee', memberId: null, toOrganizationId: east!.id, actions: ['withdraw'] });
    expect(one.body).not.toHaveProperty('conflicts');
    expect(JSON.stringify(one)).not.toMatch(/在册|未办结|conflict|on_roster/);

    // A retry with the same key replays the first answer (the registration is not filed twice).
    const again = await t.call('POST', '/api/transfers', { token: secretary, body: incoming(rosterElsewhere!, east!.id), headers: { 'idempotency-key': keys.rosterElsewhere! } });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(ids.rosterElsewhere);

    // The flagged registrations are in the audit log, with what they collided with.
    const applied = await t.db.select().from(auditLog).where(eq(auditLog.action, 'transfer.apply'));
    const detailsOf = (id: number) => applied.find((a) => a.targetId === String(id))?.details;
    // Each with the privacy guide's version the secretary confirmed the member agreed to.
    const consent = { memberConsentVersion: PRIVACY_GUIDE_VERSION };
    expect(detailsOf(ids.free!)).toEqual({ kind: 'in', ...consent });
    expect(detailsOf(ids.rosterElsewhere!)).toEqual({ kind: 'in', conflicts: ['on_roster'], ...consent });
    expect(detailsOf(ids.openElsewhere!)).toEqual({ kind: 'in', conflicts: ['open_transfer'], ...consent });

    // Township staff see what the secretary was not told.
    const staff = await t.login('staff');
    const staffView = async (id: number) => (await t.call('GET', `/api/transfers/${id}`, { token: staff })).body as { conflicts?: string[]; version: number };
    expect((await staffView(ids.free!)).conflicts).toEqual([]);
    expect((await staffView(ids.rosterElsewhere!)).conflicts).toEqual(['on_roster']);
    expect((await staffView(ids.formerElsewhere!)).conflicts).toEqual([]);
    expect((await staffView(ids.openElsewhere!)).conflicts).toEqual(['open_transfer']);
    expect((await staffView(earlier.body.id as number)).conflicts).toEqual(['open_transfer']);

    // 党委审批 refuses the collisions, naming the member's branch, and records the refusal.
    const approve = (id: number, version = 1) => t.call('POST', `/api/transfers/${id}/approve`, { token: staff, body: { version } });
    const onRoster = await approve(ids.rosterElsewhere!);
    expect(onRoster.status).toBe(409);
    expect(onRoster.body.error).toMatchObject({ code: 'conflict' });
    expect(onRoster.body.error.message).toContain(`「${river!.name}」在册`);
    const twice = await approve(ids.openElsewhere!);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain(`未办结的转入登记（转入「${river!.name}」）`);
    const refusals = await t.db.select().from(auditLog).where(eq(auditLog.action, 'transfer.approve_refused'));
    expect(refusals.map((r) => [r.targetId, (r.details as { reason: string }).reason]).sort()).toEqual(
      [
        [String(ids.rosterElsewhere), 'on_roster'],
        [String(ids.openElsewhere), 'open_transfer'],
      ].sort(),
    );
    expect((await staffView(ids.rosterElsewhere!)).version).toBe(1);

    // Once one of the two is turned down, the other goes through.
    expect((await t.call('POST', `/api/transfers/${earlier.body.id}/reject`, { token: staff, body: { version: 1, reason: '重复登记' } })).status).toBe(200);
    expect((await staffView(ids.openElsewhere!)).conflicts).toEqual([]);
    expect((await approve(ids.openElsewhere!)).body.state).toBe('awaiting_report');

    // The former member comes back as their old roster row (linked at 报到, by the ID number), never a second one.
    expect((await approve(ids.formerElsewhere!)).body.state).toBe('awaiting_report');
    const reported = await t.call('POST', `/api/transfers/${ids.formerElsewhere}/report`, { token: secretary, body: { version: 2 } });
    expect(reported.status, JSON.stringify(reported.body)).toBe(200);
    expect(reported.body).toMatchObject({ state: 'completed', memberId: formerId });
    const [back] = await t.db.select().from(members).where(eq(members.id, formerId));
    expect(back).toMatchObject({ status: 'active', organizationId: east!.id });
    const hash = (idNumber: string) => sealIdNumber(idNumber, { encryptionKey: t.config.idEncryptionKey, hashKey: t.config.idHashKey }).idHash;
    for (const idNumber of [rosterElsewhere!, formerElsewhere!]) {
      const [{ n } = { n: 0 }] = await t.db.select({ n: count() }).from(members).where(eq(members.idHash, hash(idNumber)));
      expect(n).toBe(1);
    }
    const [still] = await t.db.select().from(members).where(eq(members.id, rosterId));
    expect(still).toMatchObject({ status: 'active', organizationId: river!.id });
  });

  it('what the secretary already sees is still answered at once; staff are told precisely, and the refusal is audited', async () => {
    const t = ctx();
    const [east, river] = await branches(t);
    const [ownMember, elsewhere, openHere] = alikeIdNumbers(7).slice(4); // the first four are the other test's
    await rosterMember(t, ownMember!, east!.id, 'active');
    await rosterMember(t, elsewhere!, river!.id, 'active');
    const secretary = await secretaryToken(t, east!.id);

    // Their own branch's roster and their own branch's open registrations are theirs to see.
    const own = await t.call('POST', '/api/transfers', { token: secretary, body: incoming(ownMember!, east!.id) });
    expect(own.status).toBe(409);
    expect(own.body.error.message).toBe('该身份证号的党员已在本支部在册，无需登记转入');
    expect((await t.call('POST', '/api/transfers', { token: secretary, body: incoming(openHere!, east!.id) })).status).toBe(201);
    const dup = await t.call('POST', '/api/transfers', { token: secretary, body: incoming(openHere!, east!.id) });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');

    // Staff see the whole township: the branch is named.
    const staff = await t.login('staff');
    const refused = await t.call('POST', '/api/transfers', { token: staff, body: incoming(elsewhere!, east!.id) });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(`该身份证号的党员已在「${river!.name}」在册，无需登记转入`);
    const staffDup = await t.call('POST', '/api/transfers', { token: staff, body: incoming(openHere!, river!.id) });
    expect(staffDup.status).toBe(409);

    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'transfer.apply_refused'));
    expect(rows.map((r) => (r.details as { reason: string }).reason).sort()).toEqual(['on_roster', 'on_roster', 'open_transfer', 'open_transfer']);
  });
});
