import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLog, commendations, members, organizations } from '../../db/schema/index.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';

const YEAR = 2026; // TEST_NOW is 2026-06-15
let keySeq = 0;
const key = () => `test-key-${Date.now()}-${++keySeq}`;

const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
};

interface Fixture {
  staff: string;
  secretary: string;
  member: string;
  memberId: number;
  secretaryBranchId: number;
  /** Active members outside the secretary's branch, none with a commendation this year. */
  freeMemberIds: number[];
  branchIds: number[];
  thisYearCampaignId: number;
}

async function fixture(c: TestContext): Promise<Fixture> {
  const [memberAccount] = await c.db.select().from(accounts).where(and(eq(accounts.role, 'member'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id)).limit(1);
  const [secretaryAccount] = await c.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1))).orderBy(asc(accounts.id)).limit(1);
  const branches = await c.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.kind, 'branch')).orderBy(asc(organizations.sortOrder));
  const honored = new Set(
    (await c.db.select({ id: commendations.memberId }).from(commendations).where(eq(commendations.year, YEAR))).map((r) => r.id),
  );
  const free = await c.db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.status, 'active'), sql`${members.organizationId} <> ${secretaryAccount!.organizationId}`))
    .orderBy(asc(members.id));
  const campaigns = await c.call('GET', '/api/commendation-campaigns', { token: await c.login('staff'), query: { year: YEAR } });
  return {
    staff: await c.login('staff'),
    secretary: await c.login('secretary', secretaryAccount!.id),
    member: await c.login('member', memberAccount!.id),
    memberId: memberAccount!.memberId!,
    secretaryBranchId: secretaryAccount!.organizationId!,
    freeMemberIds: free.map((m) => m.id).filter((id) => !honored.has(id) && id !== memberAccount!.memberId),
    branchIds: branches.map((b) => b.id),
    thisYearCampaignId: campaigns.body.campaigns[0].id,
  };
}

const record = (memberId: number, extra: Record<string, unknown> = {}) => ({
  category: 'outstanding_member',
  memberId,
  level: 'township',
  awardedOn: '2026-06-10',
  issuedBy: '中共红旗镇委员会',
  citation: '带头发展产业，服务群众。',
  ...extra,
});

/** Progress computed independently: live commendations of the year by category. */
async function countByCategory(c: TestContext, year: number): Promise<Record<string, number>> {
  const rows = await c.db
    .select({ category: commendations.category, n: sql<number>`count(*)::int` })
    .from(commendations)
    .where(and(eq(commendations.year, year), isNull(commendations.deletedAt)))
    .groupBy(commendations.category);
  return Object.fromEntries(rows.map((r) => [r.category, Number(r.n)]));
}

describeEachDriver('commendations', (ctx) => {
  let f: Fixture;
  const c = () => ctx();

  // The fixture from the seeded township.
  beforeAll(async () => {
    f = await fixture(c());
    expect(f.freeMemberIds.length).toBeGreaterThan(6);
  });

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

  describe('targets and progress', () => {
    it('progress equals the commendations counted independently, per category, for this and last year', async () => {
      for (const year of [YEAR, YEAR - 1]) {
        const res = await c().call('GET', '/api/commendation-targets', { token: f.staff, query: { year } });
        expect(res.status).toBe(200);
        const counted = await countByCategory(c(), year);
        expect(res.body.targets.map((t: { category: string }) => t.category)).toEqual(['outstanding_member', 'outstanding_worker', 'advanced_organization']);
        for (const t of res.body.targets) expect(t.achieved, `${year} ${t.category}`).toBe(counted[t.category] ?? 0);
      }
    });

    it('staff set targets with PUT (idempotent); the secretary reads them; bad values are refused', async () => {
      const body = { targets: [{ category: 'outstanding_member', target: 12 }, { category: 'advanced_organization', target: 0 }] };
      const res = await c().call('PUT', '/api/commendation-targets', { token: f.staff, query: { year: YEAR }, body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const again = await c().call('PUT', '/api/commendation-targets', { token: f.staff, query: { year: YEAR }, body });
      expect(again.body).toEqual(res.body);
      const counted = await countByCategory(c(), YEAR);
      expect(res.body.targets[0]).toMatchObject({ category: 'outstanding_member', target: 12, achieved: counted['outstanding_member'], percent: Math.round((counted['outstanding_member']! * 100) / 12) });
      expect(res.body.targets[1]).toMatchObject({ category: 'outstanding_worker', target: 3 }); // untouched
      expect(res.body.targets[2]).toMatchObject({ category: 'advanced_organization', target: 0, percent: null });
      const future = await c().call('GET', '/api/commendation-targets', { token: f.secretary, query: { year: 2030 } });
      expect(future.body.targets.every((t: { target: number | null; achieved: number }) => t.target === null && t.achieved === 0)).toBe(true);
      expectError(await c().call('GET', '/api/commendation-targets', { token: f.member }), 403, 'forbidden');
      expectError(await c().call('PUT', '/api/commendation-targets', { token: f.staff, query: { year: YEAR }, body: { targets: [{ category: 'outstanding_member', target: -1 }] } }), 400, 'validation_failed');
      expectError(await c().call('PUT', '/api/commendation-targets', { token: f.staff, query: { year: YEAR }, body: { targets: [{ category: 'outstanding_member', target: 1 }, { category: 'outstanding_member', target: 2 }] } }), 400, 'validation_failed');
      expectError(await c().call('PUT', '/api/commendation-targets', { token: f.staff, body: { targets: [{ category: 'outstanding_member', target: 1 }] } }), 400, 'validation_failed');
      const audit = await c().db.select().from(auditLog).where(eq(auditLog.action, 'commendation_target.set'));
      expect(audit).toHaveLength(2);
    });
  });

  describe('candidates for the staff form', () => {
    it('lists active members by name for staff only', async () => {
      const [someone] = await c().db.select().from(members).where(eq(members.id, f.freeMemberIds[5]!));
      const res = await c().call('GET', '/api/commendations/candidates', { token: f.staff, query: { q: someone!.name.slice(0, 2) } });
      expect(res.status).toBe(200);
      expect(res.body.candidates.map((x: { memberId: number }) => x.memberId)).toContain(someone!.id);
      for (const x of res.body.candidates) expect(Object.keys(x).sort()).toEqual(['category', 'memberId', 'name', 'organizationId', 'organizationName']);
      await c().db.update(members).set({ status: 'deceased' }).where(eq(members.id, someone!.id));
      try {
        const after = await c().call('GET', '/api/commendations/candidates', { token: f.staff, query: { q: someone!.name } });
        expect(after.body.candidates.map((x: { memberId: number }) => x.memberId)).not.toContain(someone!.id);
      } finally {
        await c().db.update(members).set({ status: 'active' }).where(eq(members.id, someone!.id));
      }
      expectError(await c().call('GET', '/api/commendations/candidates', { token: f.secretary }), 403, 'forbidden');
    });
  });

  describe('honor roll and export', () => {
    it('everyone signed in sees this year newest first, with names and honors only', async () => {
      const applicant = await c().login('applicant');
      for (const token of [f.member, applicant, f.secretary]) {
        const res = await c().call('GET', '/api/honor-roll', { token });
        expect(res.status).toBe(200);
        expect(res.body.year).toBe(YEAR);
        const counted = await countByCategory(c(), YEAR);
        expect(res.body.entries).toHaveLength(Object.values(counted).reduce((a, b) => a + b, 0));
        const dates = res.body.entries.map((e: { awardedOn: string }) => e.awardedOn);
        expect([...dates].sort().reverse()).toEqual(dates);
        for (const e of res.body.entries) {
          expect(Object.keys(e).sort()).toEqual(['awardedOn', 'campaignName', 'category', 'citation', 'id', 'issuedBy', 'level', 'organizationName', 'subject', 'subjectName', 'title']);
        }
        expect(JSON.stringify(res.body)).not.toMatch(/1\d{10}|\d{17}[\dX]/);
      }
      const last = await c().call('GET', '/api/honor-roll', { token: f.member, query: { year: YEAR - 1 } });
      expect(last.body.entries.length).toBe(Object.values(await countByCategory(c(), YEAR - 1)).reduce((a, b) => a + b, 0));
    });

    it('exports the year to an .xlsx workbook that opens with every commendation in it', async () => {
      const res = await c().call('GET', '/api/commendations/export', { token: f.staff, query: { year: YEAR } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain('2026年度表彰名单.xlsx');
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.bytes.buffer.slice(res.bytes.byteOffset, res.bytes.byteOffset + res.bytes.byteLength) as ArrayBuffer);
      const sheet = wb.getWorksheet('2026年度表彰名单')!;
      expect(sheet.getRow(1).getCell(3).value).toBe('受表彰对象');
      const live = await c().db.select({ id: commendations.id }).from(commendations).where(and(eq(commendations.year, YEAR), isNull(commendations.deletedAt)));
      expect(sheet.actualRowCount - 1).toBe(live.length);
      const categories = new Set<string>();
      sheet.eachRow((row, n) => {
        if (n > 1) categories.add(String(row.getCell(2).value));
      });
      expect([...categories].sort()).toEqual(['优秀党务工作者', '优秀共产党员', '先进基层党组织'].sort());
      const summary = wb.getWorksheet('目标完成情况')!;
      expect(summary.getRow(2).getCell(1).value).toBe('优秀共产党员');
      expectError(await c().call('GET', '/api/commendations/export', { token: f.staff }), 400, 'validation_failed');
    });
  });
});
