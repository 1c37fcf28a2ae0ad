/** The roster (花名册): who lists, reads, edits and reveals which members, in how many statements. */
import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { auditLog, members } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError } from '../helpers/expect-error.js';
import { branchesOf, secretaryToken } from '../helpers/townships.js';

describeEachDriver('members roster', (ctx) => {
  it('staff list the township; filters by branch, category, name, phone tail and 党龄 range; phones masked', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const all = await t.call('GET', '/api/members', { token: staff, query: { pageSize: 100 } });
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThanOrEqual(42);
    for (const item of all.body.items) {
      expect(item.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(item.idNumberMasked).toMatch(/^\w{4}\*{13}[\dX]$/);
      expect(item).not.toHaveProperty('phone');
    }
    const [east] = await branchesOf(t.db, 'A');
    const byBranch = await t.call('GET', '/api/members', { token: staff, query: { organizationId: east, pageSize: 100 } });
    expect(byBranch.body.items.length).toBeGreaterThan(0);
    expect(byBranch.body.items.every((m: { organizationId: number }) => m.organizationId === east)).toBe(true);

    const prob = await t.call('GET', '/api/members', { token: staff, query: { category: 'probationary', pageSize: 100 } });
    expect(prob.body.items.every((m: { category: string; partyStandingYears: null }) => m.category === 'probationary' && m.partyStandingYears === null)).toBe(true);

    const byName = await t.call('GET', '/api/members', { token: staff, query: { q: '李守仁' } });
    expect(byName.body.items).toHaveLength(1);
    expect(byName.body.items[0]).toMatchObject({ name: '李守仁', partyStandingYears: 56 }); // 转正 1969-07-01, today 2026-06-15

    const [someone] = await t.db.select().from(members).where(eq(members.name, '李守仁'));
    const byPhone = await t.call('GET', '/api/members', { token: staff, query: { q: someone!.phone.slice(-4) } });
    expect(byPhone.body.items.map((m: { id: number }) => m.id)).toContain(someone!.id);

    const range = await t.call('GET', '/api/members', { token: staff, query: { standingMin: 10, standingMax: 20, pageSize: 100 } });
    expect(range.body.items.length).toBeGreaterThan(0);
    for (const m of range.body.items) expect(m.partyStandingYears).toBeGreaterThanOrEqual(10);
    for (const m of range.body.items) expect(m.partyStandingYears).toBeLessThanOrEqual(20);
    const outside = all.body.items.filter((m: { partyStandingYears: number | null }) => m.partyStandingYears !== null && m.partyStandingYears >= 10 && m.partyStandingYears <= 20);
    expect(range.body.total).toBe(outside.length);

    const overdue = await t.call('GET', '/api/members', { token: staff, query: { overdue: '1' } });
    expect(overdue.body.items.map((m: { name: string }) => m.name)).toContain('陈晓梅'); // 入党 2023-05-10, still 预备
    expect(overdue.body.items.every((m: { probationOverdue: boolean }) => m.probationOverdue)).toBe(true);

    const paged = await t.call('GET', '/api/members', { token: staff, query: { page: 99, pageSize: 10 } });
    expect(paged.body).toMatchObject({ items: [], total: all.body.total });
  });

  it('read routes stay within two statements', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const list = await statementCounter.measure(() => t.call('GET', '/api/members', { token: staff, query: { q: '王', standingMin: 1 } }));
    expect(list.statements).toBeLessThanOrEqual(2);
    const [m] = await t.db.select().from(members).limit(1);
    const detail = await statementCounter.measure(() => t.call('GET', `/api/members/${m!.id}`, { token: staff }));
    expect(detail.statements).toBeLessThanOrEqual(2);
    const regs = await statementCounter.measure(() => t.call('GET', '/api/registrations', { token: staff }));
    expect(regs.statements).toBeLessThanOrEqual(2);
  });

  it('a secretary sees only their branch: other branch filter → 403, other branch member → 404', async () => {
    const t = ctx();
    const [east, west] = await branchesOf(t.db, 'A');
    const secretary = await secretaryToken(t, east!);
    const list = await t.call('GET', '/api/members', { token: secretary, query: { pageSize: 100 } });
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((m: { organizationId: number }) => m.organizationId === east)).toBe(true);
    expectError(await t.call('GET', '/api/members', { token: secretary, query: { organizationId: west } }), 403, 'forbidden');
    const [other] = await t.db.select().from(members).where(eq(members.organizationId, west!)).limit(1);
    expectError(await t.call('GET', `/api/members/${other!.id}`, { token: secretary }), 404, 'not_found');
    const [own] = await t.db.select().from(members).where(eq(members.organizationId, east!)).limit(1);
    const detail = await t.call('GET', `/api/members/${own!.id}`, { token: secretary });
    expect(detail.status).toBe(200);
    expectError(await t.call('POST', `/api/members/${own!.id}/reveal-id`, { token: secretary }), 403, 'forbidden');
    expectError(await t.call('PATCH', `/api/members/${own!.id}`, { token: secretary, body: { version: 1, phone: '13912345678' } }), 403, 'forbidden');
  });

  it('a member sees only themselves and cannot edit, reveal or set their own status/branch/role', async () => {
    const t = ctx();
    const token = await t.login('member');
    const me = await t.call('GET', '/api/me', { token });
    const myId = me.body.account.memberId as number;
    const list = await t.call('GET', '/api/members', { token, query: { pageSize: 100 } });
    expect(list.body.items.map((m: { id: number }) => m.id)).toEqual([myId]);
    const [other] = await t.db.select().from(members).where(sql`${members.id} <> ${myId}`).limit(1);
    expectError(await t.call('GET', `/api/members/${other!.id}`, { token }), 404, 'not_found');
    const self = await t.call('GET', `/api/members/${myId}`, { token });
    expect(self.status).toBe(200);
    for (const body of [{ version: 1, status: 'suspended' }, { version: 1, organizationId: 2 }, { version: 1, role: 'staff' }]) {
      expectError(await t.call('PATCH', `/api/members/${myId}`, { token, body }), 403, 'forbidden');
    }
    expectError(await t.call('POST', `/api/members/${myId}/reveal-id`, { token }), 403, 'forbidden');
    expectError(await t.call('GET', '/api/members/export', { token }), 403, 'forbidden');
  });

  it('staff edit: recorded in the audit log, version checked, unknown fields (ID number, role) refused', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const [m] = await t.db.select().from(members).where(eq(members.name, '陈晓梅'));
    expectError(await t.call('PATCH', `/api/members/${m!.id}`, { token: staff, body: { version: m!.version, idNumber: '11010519491231002X' } }), 400, 'validation_failed');
    expectError(await t.call('PATCH', `/api/members/${m!.id}`, { token: staff, body: { version: m!.version, role: 'staff' } }), 400, 'validation_failed');
    // 正式党员 needs a 转正日期.
    expectError(await t.call('PATCH', `/api/members/${m!.id}`, { token: staff, body: { version: m!.version, category: 'full' } }), 400, 'validation_failed');
    const res = await t.call('PATCH', `/api/members/${m!.id}`, {
      token: staff,
      body: { version: m!.version, category: 'full', confirmedAt: '2024-05-10', phone: '139 0000 2222' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ category: 'full', confirmedAt: '2024-05-10', phone: '13900002222', version: m!.version + 1, partyStandingYears: 2 });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.update'), eq(auditLog.targetId, String(m!.id))));
    expect(audit?.details).toMatchObject({ changes: { category: { from: 'probationary', to: 'full' }, phone: { to: '139****2222' } } });
    expectError(await t.call('PATCH', `/api/members/${m!.id}`, { token: staff, body: { version: m!.version, name: '陈晓' } }), 409, 'stale_version');
  });

  it('only staff reveal a full ID number, one at a time, each reveal audited', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const [m] = await t.db.select().from(members).where(eq(members.name, '李守仁'));
    const res = await t.call('POST', `/api/members/${m!.id}/reveal-id`, { token: staff });
    expect(res.status).toBe(200);
    expect(res.body.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(res.body.idNumber.slice(0, 4) + '*'.repeat(13) + res.body.idNumber.slice(-1)).toBe(m!.idMasked);
    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.reveal_id'), eq(auditLog.targetId, String(m!.id))));
    expect(audits).toHaveLength(1);
    const detail = await t.call('GET', `/api/members/${m!.id}`, { token: staff });
    expect(JSON.stringify(detail.body)).not.toContain(res.body.idNumber);
  });

});
