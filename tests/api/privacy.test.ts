/**
 * The member's own data export (GET /api/me/export): everything the system
 * holds about the caller and nothing about anyone else, ID and phone numbers
 * masked as the app shows them, no key material, and audited.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { auditLog, members } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { buildWorld } from '../helpers/route-fixtures.js';

describeEachDriver(
  'my data export',
  (ctx) => {
    it('a member downloads their profile, study, sign-in, transfer with its timeline and the access log — masked, audited, nobody else’s', async () => {
      const t = ctx();
      const w = await buildWorld(t);
      const me = await w.freshMember();
      const other = await w.freshMember();
      const send = (method: string, path: string, token: string, body?: unknown) =>
        t.call(method, path, { token, body, headers: { 'idempotency-key': `privacy-${randomUUID()}` } });
      expect((await send('POST', '/api/study/checkins', me.token, { way: 'platform', topic: '学习党章', minutes: 20 })).status).toBe(201);
      expect((await send('POST', '/api/study/checkins', other.token, { way: 'platform', topic: '别人的学习', minutes: 15 })).status).toBe(201);
      expect((await send('POST', '/api/birthdays/sign-in', me.token, { oathConfirmed: true })).status).toBe(201);
      const transfer = await send('POST', '/api/transfers', me.token, {
        kind: 'out',
        toOrganizationName: '中共某县某街道工作委员会',
        letterAddressee: '中共某县某街道工作委员会',
        scope: 'in_province',
        reason: 'job',
        duesPaidThrough: '2026-05',
        contactPhone: '13812345678',
      });
      expect(transfer.status).toBe(201);
      expect((await send('POST', `/api/transfers/${transfer.body.id}/review`, w.tokens.ownSecretary, { decision: 'approve', version: 1 })).status).toBe(200);
      expect((await send('POST', `/api/members/${me.memberId}/reveal-id`, w.tokens.staff)).status).toBe(200);

      const { result: res, statements } = await statementCounter.measure(() => t.call('GET', '/api/me/export', { token: me.token }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(statements).toBe(1);
      const data = res.body;
      const [row] = await t.db.select().from(members).where(eq(members.id, me.memberId));
      expect(data.account).toMatchObject({ id: me.accountId, memberId: me.memberId, role: 'member' });
      expect(data.member).toMatchObject({ id: me.memberId, name: row!.name, idNumberMasked: row!.idMasked, status: 'active' });
      expect(data.member.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(data.study.entries).toHaveLength(1);
      expect(data.study.entries[0]).toMatchObject({ minutes: 20, topic: '学习党章', source: 'self_report' });
      expect(data.study.days).toEqual([expect.objectContaining({ day: '2026-06-15', minutes: 20 })]);
      expect(data.birthdaySignIns).toHaveLength(1);
      expect(data.transfers).toHaveLength(1);
      expect(data.transfers[0]).toMatchObject({ id: transfer.body.id, state: 'pending_committee', contactPhone: '138****5678' });
      expect(data.transfers[0].events.map((e: { action: string }) => e.action)).toEqual(['apply', 'review']);
      expect(data.accessLog.map((e: { action: string }) => e.action)).toContain('member.reveal_id');
      expect(data.notice).toContain('脱敏');

      const text = JSON.stringify(data);
      expect(text).not.toContain('别人的学习');
      expect(text).not.toContain(row!.idCipher);
      expect(text).not.toContain(row!.idHash);
      expect(text).not.toContain(row!.phone);
      expect(text).not.toMatch(/idCipher|idHash|id_cipher|id_hash|requestHash/);

      const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.self_export'), eq(auditLog.targetId, String(me.memberId))));
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actorAccountId: me.accountId, targetType: 'member' });
      // The next export lists the earlier one.
      const again = await t.call('GET', '/api/me/export', { token: me.token });
      expect(again.body.accessLog.map((e: { action: string }) => e.action)).toContain('member.self_export');
    });

    it('an applicant (not yet a member) is refused; staff without a member file get their account only', async () => {
      const t = ctx();
      const applicant = await t.login('applicant');
      const refused = await t.call('GET', '/api/me/export', { token: applicant });
      expect(refused.status).toBe(403);
      expect((await t.call('GET', '/api/me/export')).status).toBe(401);
      const staff = await t.login('staff');
      const res = await t.call('GET', '/api/me/export', { token: staff });
      expect(res.status).toBe(200);
      expect(res.body.account).toMatchObject({ role: 'staff' });
    });
  },
  { env: { WRITE_RATE_LIMIT: '1000000' } },
);
