/**
 * 本镇设置 and 县级默认设置 (issue 17.3): township staff replace their township's own choices, county staff the
 * county-wide defaults; a township's value wins key by key; every change is audited with before and after
 * and takes effect in the domains that read it (the birthday window, the letter's validity and 回执 due day).
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, organizations } from '../../db/schema/index.js';
import type { SettingsResponse } from '../../shared/settings.js';
import { describeEachDriver } from '../helpers/harness.js';
import { aprilMember } from '../helpers/new-member.js';
import { accountIn, branchesOf, townshipId } from '../helpers/townships.js';

const key = () => ({ 'idempotency-key': `settings-${randomUUID()}` });

describeEachDriver('settings per township and county-wide defaults', (ctx) => {
  const tokens = async () => {
    const c = ctx();
    return {
      staffA: await c.login('staff'),
      staffB: await c.login('staff', await accountIn(c.db, 'staff', await townshipId(c.db, 'B'))),
      county: await c.login('county'),
      secretary: await c.login('secretary'),
      member: await c.login('member'),
    };
  };

  it('staff read their own township: effective values with where each comes from', async () => {
    const t = await tokens();
    const res = await ctx().call<SettingsResponse>('GET', '/api/settings', { token: t.staffB });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ level: 'township', organizationId: await townshipId(ctx().db, 'B') });
    expect(res.body.effective.birthdayWindow).toBe('quarter');
    expect(res.body.sources.birthdayWindow).toBe('township');
    expect(res.body.inherited.birthdayWindow).toBe('month');
    expect(res.body.effective.transferValidityDays).toEqual({ in_county: 10, in_province: 30, out_of_province: 30 });
    expect(res.body.sources.transferValidityDays.in_county).toBe('default');
    expect(res.body.effective.partyDayOfMonth).toBe(10);
  });

  it('a township sets the quarter window: a member admitted in April signs in in June; back to the county default closes it', async () => {
    const c = ctx();
    const t = await tokens();
    const member = await aprilMember(c, (await branchesOf(c.db, 'A'))[0]!);
    const signIn = () => c.call('POST', '/api/birthdays/sign-in', { token: member, body: { oathConfirmed: true }, headers: key() });
    expect((await c.call('GET', '/api/birthdays/me', { token: member })).body).toMatchObject({ window: 'month', open: null });

    const put = await c.call<SettingsResponse>('PUT', '/api/settings', { token: t.staffA, body: { birthdayWindow: 'quarter' }, headers: key() });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.sources.birthdayWindow).toBe('township');
    expect((await c.call<{ window: string }>('GET', '/api/birthdays/me', { token: member })).body.window).toBe('quarter');
    const signed = await signIn();
    expect(signed.status, JSON.stringify(signed.body)).toBeLessThan(300);

    const back = await c.call<SettingsResponse>('PUT', '/api/settings', { token: t.staffA, body: {}, headers: key() });
    expect(back.body.effective.birthdayWindow).toBe('month');
    expect(back.body.sources.birthdayWindow).toBe('county');
    expect((await c.call<{ window: string }>('GET', '/api/birthdays/me', { token: member })).body.window).toBe('month');
  });

  it('the county default applies where a township has no choice of its own, and a township choice wins over it', async () => {
    const c = ctx();
    const t = await tokens();
    const put = await c.call<SettingsResponse>('PUT', '/api/county/settings', {
      token: t.county,
      body: { transferValidityDays: { in_province: 20 }, receiptDueDays: 20, partyDayOfMonth: 15 },
      headers: key(),
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ level: 'county' });
    expect(put.body.sources.partyDayOfMonth).toBe('county');
    await c.call('PUT', '/api/settings', { token: t.staffB, body: { birthdayWindow: 'quarter', partyDayOfMonth: 18 }, headers: key() });
    const a = (await c.call<SettingsResponse>('GET', '/api/settings', { token: t.staffA })).body;
    const b = (await c.call<SettingsResponse>('GET', '/api/settings', { token: t.staffB })).body;
    expect([a.effective.partyDayOfMonth, a.sources.partyDayOfMonth]).toEqual([15, 'county']);
    expect([b.effective.partyDayOfMonth, b.sources.partyDayOfMonth]).toEqual([18, 'township']);
    expect(a.effective.transferValidityDays).toEqual({ in_county: 10, in_province: 20, out_of_province: 30 });
    expect(a.sources.transferValidityDays).toEqual({ in_county: 'default', in_province: 'county', out_of_province: 'default' });

    // The letter township A issues now takes the county's 20 days and its 20-day 回执 deadline.
    const branchId = (await branchesOf(c.db, 'A'))[1]!;
    const subject = await aprilMember(c, branchId);
    const secretary = await c.login('secretary', await accountIn(c.db, 'secretary', branchId));
    const created = await c.call<{ id: number; version: number }>('POST', '/api/transfers', {
      token: subject,
      headers: key(),
      body: { kind: 'out', toOrganizationName: '中共某市某区委组织部', letterAddressee: '中共某市某区委组织部', scope: 'in_province', reason: 'job', duesPaidThrough: '2026-05', contactPhone: '13812345678' },
    });
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    const tr = (await c.call<{ id: number; version: number }>('POST', `/api/transfers/${created.body.id}/review`, { token: secretary, headers: key(), body: { decision: 'approve', version: created.body.version } })).body;
    const approved = await c.call('POST', `/api/transfers/${tr.id}/approve`, { token: t.staffA, headers: key(), body: { version: tr.version } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ validityDays: 20, letterIssuedOn: '2026-06-15', letterExpiresOn: '2026-07-05', receiptDueOn: '2026-07-05' });
  });

  it('county staff read any township of theirs (naming it) and write none of them', async () => {
    const c = ctx();
    const t = await tokens();
    const b = await townshipId(c.db, 'B');
    const read = await c.call<SettingsResponse>('GET', '/api/settings', { token: t.county, query: { townshipId: String(b) } });
    expect(read.status).toBe(200);
    expect(read.body.organizationId).toBe(b);
    expect((await c.call('GET', '/api/settings', { token: t.county })).status).toBe(400);
    expect((await c.call('GET', '/api/settings', { token: t.county, query: { townshipId: String((await branchesOf(c.db, 'A'))[0]) } })).status).toBe(404);
    const write = await c.call('PUT', '/api/settings', { token: t.county, body: { birthdayWindow: 'quarter' }, headers: key() });
    expect(write.status).toBe(403);
  });

  it('forbidden: staff cannot write the county defaults; secretaries and members reach neither; a township writes only its own row', async () => {
    const c = ctx();
    const t = await tokens();
    const before = await c.db.select({ id: organizations.id, settings: organizations.settings }).from(organizations).orderBy(organizations.id);
    for (const token of [t.staffA, t.staffB, t.secretary, t.member]) {
      expect((await c.call('PUT', '/api/county/settings', { token, body: { birthdayWindow: 'quarter' }, headers: key() })).status).toBe(403);
      expect((await c.call('GET', '/api/county/settings', { token })).status).toBe(403);
    }
    for (const token of [t.secretary, t.member]) {
      expect((await c.call('PUT', '/api/settings', { token, body: { birthdayWindow: 'quarter' }, headers: key() })).status).toBe(403);
      expect((await c.call('GET', '/api/settings', { token })).status).toBe(403);
    }
    // Township B's staff naming township A read their own; their PUT changes their own row and no other.
    const named = await c.call<SettingsResponse>('GET', '/api/settings', { token: t.staffB, query: { townshipId: String(await townshipId(c.db, 'A')) } });
    expect(named.body.organizationId).toBe(await townshipId(c.db, 'B'));
    expect(before.length).toBeGreaterThan(0);
    await c.call('PUT', '/api/settings', { token: t.staffB, body: { orglifeDueSoonDays: 9 }, headers: key() });
    const after = await c.db.select({ id: organizations.id, settings: organizations.settings }).from(organizations).orderBy(organizations.id);
    const changed = after.filter((row, i) => JSON.stringify(row.settings) !== JSON.stringify(before[i]!.settings)).map((r) => r.id);
    expect(changed).toEqual([await townshipId(c.db, 'B')]);
  });

  it('PUT is validated by the schema: bounds and unknown keys answer 400 with the field named', async () => {
    const t = await tokens();
    for (const body of [{ partyDayOfMonth: 31 }, { transferValidityDays: { in_county: 120 } }, { birthdayWindow: 'year' }, { orglifeFrequencies: { party_day: 'daily' } }, { somethingElse: 1 }, { receiptDueDays: 3 }]) {
      const res = await ctx().call<{ error: { code: string } }>('PUT', '/api/settings', { token: t.staffA, body, headers: key() });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await ctx().call('PUT', '/api/settings', { token: t.staffA, body: {} })).status).toBe(400);
  });

  it('audited with before and after; a retry with the same key replays without a second change or audit row', async () => {
    const c = ctx();
    const t = await tokens();
    const headers = key();
    const body = { partyDayOfMonth: 20, orglifeFrequencies: { party_lecture: 'monthly' } };
    const first = await c.call<SettingsResponse>('PUT', '/api/settings', { token: t.staffA, body, headers });
    const replay = await c.call<SettingsResponse>('PUT', '/api/settings', { token: t.staffA, body, headers });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect((await c.call('PUT', '/api/settings', { token: t.staffA, body: { partyDayOfMonth: 21 }, headers })).status).toBe(422);
    const rows = await c.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'settings.township.set'), eq(auditLog.targetId, String(await townshipId(c.db, 'A')))))
      .orderBy(desc(auditLog.id));
    const mine = rows.filter((r) => JSON.stringify(r.details).includes('"partyDayOfMonth":20'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.details).toMatchObject({ after: { partyDayOfMonth: 20, orglifeFrequencies: { party_lecture: 'monthly' } } });
    expect(mine[0]!.details).toHaveProperty('before');
  });

  it('a malformed stored value reads as not set: the county default, then the built-in one', async () => {
    const c = ctx();
    const t = await tokens();
    await c.db.update(organizations).set({ settings: { partyDayOfMonth: 'soon', transferValidityDays: { in_county: 400 }, establishedOn: 'kept' } }).where(eq(organizations.id, await townshipId(c.db, 'A')));
    const res = (await c.call<SettingsResponse>('GET', '/api/settings', { token: t.staffA })).body;
    expect([res.effective.partyDayOfMonth, res.sources.partyDayOfMonth]).toEqual([15, 'county']);
    expect([res.effective.transferValidityDays.in_county, res.sources.transferValidityDays.in_county]).toEqual([10, 'default']);
    expect(res.own).toEqual({});
    // Keys the settings module does not own survive a PUT.
    await c.call('PUT', '/api/settings', { token: t.staffA, body: { birthdayWindow: 'month' }, headers: key() });
    const [row] = await c.db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, await townshipId(c.db, 'A')));
    expect(row!.settings).toEqual({ birthdayWindow: 'month', establishedOn: 'kept' });
  });
});
