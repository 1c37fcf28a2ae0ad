/** Commendations (两优一先): only staff write; create, edit and delete, each audited, with the rules a record keeps. */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, auditLog, commendations, members } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError } from '../helpers/expect-error.js';
import { commendationWorld, key, record, YEAR } from '../helpers/commendations.js';

describeEachDriver('commendations: writes', (ctx) => {
  const c = () => ctx();
  const f = commendationWorld(c);

  describe('only staff write', () => {
    it('refuses member and secretary with 403 on every write, and without a token with 401', async () => {
      for (const token of [f.member, f.secretary]) {
        expectError(await c().call('POST', '/api/commendations', { token, body: record(f.freeMemberIds[0]!), headers: { 'idempotency-key': key() } }), 403, 'forbidden');
        expectError(await c().call('PATCH', '/api/commendations/1', { token, body: { version: 1, level: 'national' } }), 403, 'forbidden');
        expectError(await c().call('DELETE', '/api/commendations/1', { token }), 403, 'forbidden');
        expectError(await c().call('PUT', '/api/commendation-targets', { token, query: { year: YEAR }, body: { targets: [{ category: 'outstanding_member', target: 99 }] } }), 403, 'forbidden');
        expectError(await c().call('POST', '/api/commendation-campaigns', { token, body: { name: '越权活动', year: YEAR }, headers: { 'idempotency-key': key() } }), 403, 'forbidden');
        expectError(await c().call('GET', '/api/commendations/export', { token, query: { year: YEAR } }), 403, 'forbidden');
      }
      expectError(await c().call('POST', '/api/commendations', { body: record(f.freeMemberIds[0]!) }), 401, 'unauthorized');
      expectError(await c().call('GET', '/api/honor-roll'), 401, 'unauthorized');
      const [{ n }] = (await c().db.select({ n: sql<number>`count(*)::int` }).from(commendations).where(eq(commendations.level, 'national'))) as [{ n: number }];
      expect(Number(n)).toBe(0);
    });

    it('member sees only their own commendations; secretary their branch (plus their own)', async () => {
      const mine = await c().call('GET', '/api/commendations', { token: f.member });
      expect(mine.status).toBe(200);
      expect(mine.body.commendations.length).toBeGreaterThan(0);
      for (const item of mine.body.commendations) expect(item.memberId).toBe(f.memberId);
      const branch = await c().call('GET', '/api/commendations', { token: f.secretary });
      expect(branch.status).toBe(200);
      const [secretaryMember] = await c().db.select({ memberId: accounts.memberId }).from(accounts).where(eq(accounts.role, 'secretary')).orderBy(asc(accounts.id)).limit(1);
      for (const item of branch.body.commendations) expect(item.organizationId === f.secretaryBranchId || item.memberId === secretaryMember!.memberId).toBe(true);
    });
  });

  describe('create, edit, delete with audit', () => {
    let created: { id: number; version: number; memberId: number };

    it('staff record a member commendation (201) with its audit entry in the same transaction', async () => {
      const memberId = f.freeMemberIds[0]!;
      const res = await c().call('POST', '/api/commendations', { token: f.staff, body: record(memberId, { campaignId: f.thisYearCampaignId }), headers: { 'idempotency-key': key() } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ category: 'outstanding_member', subject: 'member', memberId, year: YEAR, title: '2026年度优秀共产党员', level: 'township', version: 1, campaignId: f.thisYearCampaignId });
      expect(res.body.subjectName).toMatch(/\S/);
      created = { id: res.body.id, version: res.body.version, memberId };
      const audit = await c().db.select().from(auditLog).where(and(eq(auditLog.targetType, 'commendation'), eq(auditLog.targetId, String(created.id))));
      expect(audit.map((a) => a.action)).toEqual(['commendation.create']);
      expect(audit[0]!.actorRole).toBe('staff');
    });

    it('a retried POST with the same Idempotency-Key records once and answers the same', async () => {
      const k = key();
      const body = record(f.freeMemberIds[1]!, { level: 'county', issuedBy: '中共青山县委员会' });
      const first = await c().call('POST', '/api/commendations', { token: f.staff, body, headers: { 'idempotency-key': k } });
      const again = await c().call('POST', '/api/commendations', { token: f.staff, body, headers: { 'idempotency-key': k } });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      const rows = await c().db.select().from(commendations).where(eq(commendations.memberId, f.freeMemberIds[1]!));
      expect(rows.filter((r) => r.year === YEAR)).toHaveLength(1);
      expectError(await c().call('POST', '/api/commendations', { token: f.staff, body: record(f.freeMemberIds[1]!) }), 400, 'bad_request');
    });

    it('refuses the same member getting the same title from the same campaign twice (409), unique index enforced', async () => {
      const res = await c().call('POST', '/api/commendations', { token: f.staff, body: record(created.memberId, { campaignId: f.thisYearCampaignId, level: 'county' }), headers: { 'idempotency-key': key() } });
      expectError(res, 409, 'conflict');
      expect(res.body.error.message).toContain('不能重复表彰');
      // The database refuses it too, whatever the application does.
      const [row] = await c().db.select().from(commendations).where(eq(commendations.id, created.id));
      await expect(c().db.insert(commendations).values({ ...row!, id: undefined })).rejects.toThrow();
      // Another title from the same campaign, or the same title without a campaign, is allowed.
      const other = await c().call('POST', '/api/commendations', { token: f.staff, body: record(created.memberId, { category: 'outstanding_worker', campaignId: f.thisYearCampaignId }), headers: { 'idempotency-key': key() } });
      expect(other.status, JSON.stringify(other.body)).toBe(201);
    });

    it('only an active member can be commended (422), unknown members are 404, bad bodies 400', async () => {
      const inactive = f.freeMemberIds[2]!;
      await c().db.update(members).set({ status: 'transferred_out' }).where(eq(members.id, inactive));
      try {
        const res = await c().call('POST', '/api/commendations', { token: f.staff, body: record(inactive), headers: { 'idempotency-key': key() } });
        expectError(res, 422, 'unprocessable');
        expect(res.body.error.message).toContain('已转出');
      } finally {
        await c().db.update(members).set({ status: 'active' }).where(eq(members.id, inactive));
      }
      expectError(await c().call('POST', '/api/commendations', { token: f.staff, body: record(999_999), headers: { 'idempotency-key': key() } }), 404, 'not_found');
      const noMember = await c().call('POST', '/api/commendations', { token: f.staff, body: record(1, { memberId: undefined }), headers: { 'idempotency-key': key() } });
      expectError(noMember, 400, 'validation_failed');
      expect(noMember.body.error.message).toContain('请选择受表彰的党员');
      expectError(await c().call('POST', '/api/commendations', { token: f.staff, body: record(f.freeMemberIds[3]!, { status: 'x' }), headers: { 'idempotency-key': key() } }), 400, 'validation_failed');
      expectError(await c().call('POST', '/api/commendations', { token: f.staff, body: record(f.freeMemberIds[3]!, { level: '村级' }), headers: { 'idempotency-key': key() } }), 400, 'validation_failed');
      expectError(await c().call('POST', '/api/commendations', { token: f.staff, body: record(f.freeMemberIds[3]!, { year: 2020 }), headers: { 'idempotency-key': key() } }), 400, 'validation_failed');
    });

    it('a campaign refuses a commendation of another year (422) and one beyond its quota (409)', async () => {
      const campaign = await c().call('POST', '/api/commendation-campaigns', {
        token: f.staff,
        body: { name: '2026年脱贫攻坚专项表彰', year: YEAR, quotas: { outstanding_member: 1 } },
        headers: { 'idempotency-key': key() },
      });
      expect(campaign.status).toBe(201);
      expectError(await c().call('POST', '/api/commendation-campaigns', { token: f.staff, body: { name: '2026年脱贫攻坚专项表彰', year: YEAR }, headers: { 'idempotency-key': key() } }), 409, 'conflict');
      const campaignId = campaign.body.id as number;
      expectError(await c().call('POST', '/api/commendations', { token: f.staff, body: record(f.freeMemberIds[3]!, { campaignId, awardedOn: '2025-12-01', year: 2025 }), headers: { 'idempotency-key': key() } }), 422, 'unprocessable');
      expect((await c().call('POST', '/api/commendations', { token: f.staff, body: record(f.freeMemberIds[3]!, { campaignId }), headers: { 'idempotency-key': key() } })).status).toBe(201);
      const full = await c().call('POST', '/api/commendations', { token: f.staff, body: record(f.freeMemberIds[4]!, { campaignId }), headers: { 'idempotency-key': key() } });
      expectError(full, 409, 'conflict');
      expect(full.body.error.message).toContain('名额');
      const list = await c().call('GET', '/api/commendation-campaigns', { token: f.secretary, query: { year: YEAR } });
      expect(list.status).toBe(200);
      expect(list.body.campaigns.find((x: { id: number }) => x.id === campaignId)).toMatchObject({ quotas: { outstanding_member: 1 }, used: { outstanding_member: 1 } });
      // Places used, per campaign and category, equal the live rows counted here.
      const live = await c().db.select().from(commendations).where(isNull(commendations.deletedAt));
      for (const cam of list.body.campaigns as { id: number; used: Record<string, number> }[]) {
        const counted: Record<string, number> = {};
        for (const r of live.filter((x) => x.campaignId === cam.id)) counted[r.category] = (counted[r.category] ?? 0) + 1;
        expect(cam.used, `campaign ${cam.id}`).toEqual(counted);
      }
      expect(list.body.campaigns.find((x: { id: number }) => x.id === f.thisYearCampaignId).used['outstanding_member']).toBeGreaterThanOrEqual(3);
    });

    it('staff record an organization (先进基层党组织) commendation', async () => {
      const res = await c().call('POST', '/api/commendations', {
        token: f.staff,
        body: { category: 'advanced_organization', organizationId: f.branchIds[4], level: 'county', awardedOn: '2026-05-20', issuedBy: '中共青山县委员会' },
        headers: { 'idempotency-key': key() },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ subject: 'organization', memberId: null, organizationId: f.branchIds[4] });
      expect(res.body.subjectName).toBe(res.body.organizationName);
      expectError(
        await c().call('POST', '/api/commendations', { token: f.staff, body: { category: 'advanced_organization', organizationId: f.branchIds[4], memberId: f.memberId, level: 'county', awardedOn: '2026-05-20', issuedBy: 'x' }, headers: { 'idempotency-key': key() } }),
        400,
        'validation_failed',
      );
    });

    it('staff edit with the loaded version; a stale version is refused (409); the change is audited', async () => {
      const res = await c().call('PATCH', `/api/commendations/${created.id}`, { token: f.staff, body: { version: created.version, level: 'county', citation: '新的事迹简介' } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ level: 'county', citation: '新的事迹简介', version: created.version + 1 });
      expectError(await c().call('PATCH', `/api/commendations/${created.id}`, { token: f.staff, body: { version: created.version, level: 'city' } }), 409, 'stale_version');
      expectError(await c().call('PATCH', `/api/commendations/${created.id}`, { token: f.staff, body: { version: created.version + 1, category: 'advanced_organization' } }), 422, 'unprocessable');
      expectError(await c().call('PATCH', `/api/commendations/${created.id}`, { token: f.staff, body: { version: created.version + 1, memberId: 1 } }), 400, 'validation_failed');
      const audit = await c().db.select().from(auditLog).where(and(eq(auditLog.targetType, 'commendation'), eq(auditLog.targetId, String(created.id)))).orderBy(asc(auditLog.id));
      expect(audit.map((a) => a.action)).toEqual(['commendation.create', 'commendation.update']);
      expect(audit[1]!.details).toMatchObject({ changed: { level: { from: 'township', to: 'county' } } });
      created.version += 1;
    });

    it('staff delete softly: gone from lists, honor roll and progress, kept with its audit trail; deleting again is harmless', async () => {
      const before = await c().call('GET', '/api/commendation-targets', { token: f.staff, query: { year: YEAR } });
      const res = await c().call('DELETE', `/api/commendations/${created.id}`, { token: f.staff });
      expect(res.status).toBe(200);
      expect((await c().call('DELETE', `/api/commendations/${created.id}`, { token: f.staff })).status).toBe(200);
      const [row] = await c().db.select().from(commendations).where(eq(commendations.id, created.id));
      expect(row!.deletedAt).not.toBeNull();
      const audit = await c().db.select().from(auditLog).where(and(eq(auditLog.targetType, 'commendation'), eq(auditLog.targetId, String(created.id)))).orderBy(asc(auditLog.id));
      expect(audit.map((a) => a.action)).toEqual(['commendation.create', 'commendation.update', 'commendation.delete']);
      expect(audit[2]!.details).toMatchObject({ withdrawn: { memberId: created.memberId, level: 'county' } });
      const roll = await c().call('GET', '/api/honor-roll', { token: f.member });
      expect(roll.body.entries.map((e: { id: number }) => e.id)).not.toContain(created.id);
      const after = await c().call('GET', '/api/commendation-targets', { token: f.staff, query: { year: YEAR } });
      expect(after.body.targets[0].achieved).toBe(before.body.targets[0].achieved - 1);
      expectError(await c().call('PATCH', `/api/commendations/${created.id}`, { token: f.staff, body: { version: created.version + 1, level: 'township' } }), 404, 'not_found');
      // The once-per-campaign rule ignores withdrawn records: the honor can be recorded again.
      const again = await c().call('POST', '/api/commendations', { token: f.staff, body: record(created.memberId, { campaignId: f.thisYearCampaignId }), headers: { 'idempotency-key': key() } });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expectError(await c().call('DELETE', '/api/commendations/999999', { token: f.staff }), 404, 'not_found');
    });
  });
});
