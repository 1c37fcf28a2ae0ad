/** 一年一个称号: the same title, subject and year once, campaign or not; people counted, not entries. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { commendations, members, organizations } from '../../db/schema/index.js';
import { MIGRATIONS_FOLDER } from '../../db/migrate.js';
import { describeEachDriver } from '../helpers/harness.js';

const YEAR = 2026; // TEST_NOW is 2026-06-15
let seq = 0;
const key = () => `one-title-${Date.now()}-${++seq}`;

describeEachDriver('commendations: one title per subject per year', (ctx) => {
  const c = () => ctx();
  let staff = '';
  let memberId = 0;
  let branchId = 0;
  let firstId = 0;

  const post = (body: Record<string, unknown>) => c().call('POST', '/api/commendations', { token: staff, body, headers: { 'idempotency-key': key() } });
  const memberBody = (extra: Record<string, unknown> = {}) => ({
    category: 'outstanding_member',
    memberId,
    level: 'township',
    awardedOn: '2026-06-01',
    issuedBy: '中共红旗镇委员会',
    ...extra,
  });

  // A member and a branch with no honor this year.
  beforeAll(async () => {
    staff = await c().login('staff');
    const honored = await c().db.select({ m: commendations.memberId, o: commendations.organizationId }).from(commendations).where(eq(commendations.year, YEAR));
    const [m] = await c()
      .db.select({ id: members.id })
      .from(members)
      .where(and(eq(members.status, 'active'), sql`${members.id} not in (${sql.join([0, ...honored.map((h) => h.m ?? 0)].map((v) => sql`${v}`), sql`, `)})`))
      .orderBy(asc(members.id))
      .limit(1);
    const branches = await c().db.select({ id: organizations.id }).from(organizations).where(eq(organizations.kind, 'branch')).orderBy(asc(organizations.id));
    const orgHonored = new Set((await c().db.select({ o: commendations.organizationId }).from(commendations).where(and(eq(commendations.year, YEAR), isNull(commendations.memberId)))).map((r) => r.o));
    memberId = m!.id;
    branchId = branches.find((b) => !orgHonored.has(b.id))!.id;
  });

  it('refuses the same title for the same member and year without a campaign (409 naming the record), at any level', async () => {
    const first = await post(memberBody());
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    firstId = first.body.id;
    for (const extra of [{}, { level: 'county', issuedBy: '中共青山县委员会' }, { year: YEAR, awardedOn: '2027-01-10' }]) {
      const again = await post(memberBody(extra));
      expect(again.status, JSON.stringify(again.body)).toBe(409);
      expect(again.body.error.code).toBe('conflict');
      expect(again.body.error.message).toContain(`记录编号${firstId}`);
      expect(again.body.error.message).toContain('同一年度不能重复表彰');
      expect(again.body.error.details.existing).toMatchObject({ id: firstId, year: YEAR, category: 'outstanding_member' });
    }
    const live = await c().db.select().from(commendations).where(and(eq(commendations.memberId, memberId), isNull(commendations.deletedAt)));
    expect(live).toHaveLength(1);
  });

  it('refuses it with a campaign named too, and allows another title or another year', async () => {
    const campaigns = await c().call('GET', '/api/commendation-campaigns', { token: staff, query: { year: YEAR } });
    const withCampaign = await post(memberBody({ campaignId: campaigns.body.campaigns[0].id }));
    expect(withCampaign.status).toBe(409);
    expect(withCampaign.body.error.message).toContain(`记录编号${firstId}`);
    expect((await post(memberBody({ category: 'outstanding_worker' }))).status).toBe(201);
    expect((await post(memberBody({ year: YEAR - 1 }))).status).toBe(201);
  });

  it('the database refuses a second live row even when the application is bypassed', async () => {
    const [row] = await c().db.select().from(commendations).where(eq(commendations.id, firstId));
    await expect(c().db.insert(commendations).values({ ...row!, id: undefined, level: 'city' })).rejects.toThrow();
  });

  it('an edit that would make a duplicate (year or category) is refused with 409 naming the record', async () => {
    const [other] = await c()
      .db.select()
      .from(commendations)
      .where(and(eq(commendations.memberId, memberId), eq(commendations.year, YEAR - 1), isNull(commendations.deletedAt)));
    const res = await c().call('PATCH', `/api/commendations/${other!.id}`, { token: staff, body: { version: other!.version, year: YEAR, awardedOn: '2026-06-02' } });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.message).toContain(`记录编号${firstId}`);
  });

  it('target progress counts people: the member counts once', async () => {
    const res = await c().call('GET', '/api/commendation-targets', { token: staff, query: { year: YEAR } });
    const people = await c().db
      .selectDistinct({ m: commendations.memberId })
      .from(commendations)
      .where(and(eq(commendations.year, YEAR), eq(commendations.category, 'outstanding_member'), isNull(commendations.deletedAt)));
    expect(res.body.targets[0]).toMatchObject({ category: 'outstanding_member', achieved: people.length });
  });

  it('a withdrawn record frees the title for the year', async () => {
    expect((await c().call('DELETE', `/api/commendations/${firstId}`, { token: staff })).status).toBe(200);
    expect((await post(memberBody())).status).toBe(201);
  });

  it('先进基层党组织 once per organization and year; only for branches; member titles only for members', async () => {
    const org = { category: 'advanced_organization', organizationId: branchId, level: 'township', awardedOn: '2026-06-01', issuedBy: '中共红旗镇委员会' };
    const first = await post(org);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await post({ ...org, level: 'county' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(`记录编号${first.body.id}`);
    const [committee] = await c().db.select({ id: organizations.id }).from(organizations).where(eq(organizations.kind, 'committee'));
    const self = await post({ ...org, organizationId: committee!.id });
    expect(self.status).toBe(422);
    expect(self.body.error.message).toContain('只能授予党支部');
    expect((await post({ ...org, category: 'outstanding_member' })).status).toBe(400);
    expect((await post({ ...memberBody(), category: 'advanced_organization' })).status).toBe(400);
  });

  it('the migration stops on duplicates already in a deployed database, naming them, and changes nothing', async () => {
    const check = await readFile(path.join(MIGRATIONS_FOLDER, '0013_commendations_one_title_check.sql'), 'utf8');
    await c().db.execute(sql.raw(check)); // no duplicates: passes
    await c().db.execute(sql`drop index commendations_member_year_uq`);
    let dupId = 0;
    try {
      const [row] = await c().db.select().from(commendations).where(and(eq(commendations.memberId, memberId), eq(commendations.year, YEAR), isNull(commendations.deletedAt), eq(commendations.category, 'outstanding_member')));
      const progress = async () => (await c().call('GET', '/api/commendation-targets', { token: staff, query: { year: YEAR } })).body.targets[0].achieved as number;
      const dashboard = async () => (await c().call('GET', '/api/dashboard', { token: staff })).body;
      const [peopleBefore, dashBefore] = [await progress(), await dashboard()];
      const [dup] = await c().db.insert(commendations).values({ ...row!, id: undefined }).returning({ id: commendations.id });
      dupId = dup!.id;
      // A duplicate left over from before the rule still counts the member once, on every page that shows progress.
      expect(await progress()).toBe(peopleBefore);
      expect(dashBefore.commendations.targets.length).toBe(3);
      expect((await dashboard()).commendations.targets).toEqual(dashBefore.commendations.targets);
      const failure = await c().db.execute(sql.raw(check)).then(() => null, (err: unknown) => err as { cause?: { message?: string } });
      expect(failure?.cause?.message).toMatch(new RegExp(`撤销多余的记录[\\s\\S]*${row!.id}, ${dup!.id}`));
      const rows = await c().db.select().from(commendations).where(sql`${commendations.id} in (${row!.id}, ${dup!.id})`);
      expect(rows.every((r) => r.deletedAt == null)).toBe(true);
    } finally {
      if (dupId) await c().db.delete(commendations).where(eq(commendations.id, dupId));
      await c().db.execute(
        sql`create unique index if not exists commendations_member_year_uq on commendations (member_id, category, year) where member_id is not null and deleted_at is null`,
      );
    }
  });
});
