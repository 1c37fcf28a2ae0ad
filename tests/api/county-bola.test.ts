/**
 * Townships are tenants: township B's staff and secretary get 403/404 on every record of township A and see
 * none of A's rows in any list, export or dashboard; county staff (县委组织部) see both and write neither.
 * Every record here is one the demo seed gave township A; township B is the seed's second township.
 */
import ExcelJS from 'exceljs';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { commendations, members, transfers } from '../../db/schema/index.js';
import type { DashboardResponse } from '../../shared/dashboard.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { accountIn, branchesOf, townshipId } from '../helpers/townships.js';

interface World {
  branchesA: number[];
  branchesB: number[];
  townshipA: number;
  townshipB: number;
  staffA: string;
  staffB: string;
  secretaryB: string;
  county: string;
  memberA: number;
  transferA: number;
  commendationA: number;
  activeA: number;
  activeB: number;
}

async function setUp(c: TestContext): Promise<World> {
  const [branchesA, branchesB] = [await branchesOf(c.db, 'A'), await branchesOf(c.db, 'B')];
  const active = async (branches: number[]) =>
    (await c.db.select({ id: members.id }).from(members).where(and(inArray(members.organizationId, branches), eq(members.status, 'active')))).length;
  const [memberA] = await c.db.select({ id: members.id }).from(members).where(inArray(members.organizationId, branchesA)).orderBy(asc(members.id)).limit(1);
  const [transferA] = await c.db.select({ id: transfers.id }).from(transfers).where(inArray(transfers.fromOrganizationId, branchesA)).orderBy(asc(transfers.id)).limit(1);
  const [commendationA] = await c.db
    .select({ id: commendations.id })
    .from(commendations)
    .where(and(inArray(commendations.organizationId, branchesA), isNull(commendations.deletedAt)))
    .orderBy(asc(commendations.id))
    .limit(1);
  const townshipB = await townshipId(c.db, 'B');
  return {
    branchesA,
    branchesB,
    townshipA: await townshipId(c.db, 'A'),
    townshipB,
    staffA: await c.login('staff'),
    staffB: await c.login('staff', await accountIn(c.db, 'staff', townshipB)),
    secretaryB: await c.login('secretary', await accountIn(c.db, 'secretary', branchesB[0]!)),
    county: await c.login('county'),
    memberA: memberA!.id,
    transferA: transferA!.id,
    commendationA: commendationA!.id,
    activeA: await active(branchesA),
    activeB: await active(branchesB),
  };
}

async function sheetNames(bytes: Uint8Array): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.worksheets[0]!.eachRow((row) => out.push(row.values!.toString()));
  return out;
}

describeEachDriver('county tenancy: cross-township access (BOLA)', (ctx) => {
  let w: World;
  beforeAll(async () => {
    w = await setUp(ctx());
  });
  const get = <T>(path: string, token: string, query?: Record<string, string>) => ctx().call<T>('GET', path, { token, query });
  const denied = (status: number) => expect([403, 404]).toContain(status);

  it('members: another township cannot open, edit or list them; the county reads them but cannot edit', async () => {
    for (const token of [w.staffB, w.secretaryB]) {
      denied((await get(`/api/members/${w.memberA}`, token)).status);
      denied((await get(`/api/members/${w.memberA}/medal`, token)).status);
      const patch = await ctx().call('PATCH', `/api/members/${w.memberA}`, { token, body: { version: 1, education: '本科' } });
      denied(patch.status);
    }
    denied((await ctx().call('POST', `/api/members/${w.memberA}/reveal-id`, { token: w.staffB })).status);
    const listB = await get<{ items: { organizationId: number }[]; total: number }>('/api/members', w.staffB, { pageSize: '100' });
    expect(listB.body.total).toBe(w.activeB);
    expect(listB.body.items.every((m) => w.branchesB.includes(m.organizationId))).toBe(true);
    // Naming township A's branch as a filter yields nothing of A's.
    const filtered = await get<{ total: number }>('/api/members', w.staffB, { organizationId: String(w.branchesA[0]) });
    expect(filtered.status === 200 ? filtered.body.total : 0).toBe(0);

    expect((await get(`/api/members/${w.memberA}`, w.county)).status).toBe(200);
    const listA = await get<{ total: number }>('/api/members', w.staffA, { pageSize: '100' });
    const listCounty = await get<{ total: number }>('/api/members', w.county, { pageSize: '100' });
    expect(listCounty.body.total).toBe(listA.body.total + listB.body.total);
    expect((await ctx().call('PATCH', `/api/members/${w.memberA}`, { token: w.county, body: { version: 1, education: '本科' } })).status).toBe(403);
  });

  it('study: another township cannot read a branch day of A; summaries hold each township only, the county both', async () => {
    for (const token of [w.staffB, w.secretaryB]) denied((await get(`/api/study/organizations/${w.branchesA[0]}/week`, token)).status);
    expect((await get(`/api/study/organizations/${w.branchesA[0]}/week`, w.county)).status).toBe(200);
    const range = { from: '2026-06-01', to: '2026-06-15' };
    type Summary = { memberCount: number; branches: { organizationId: number }[] };
    const [a, b, county] = await Promise.all([w.staffA, w.staffB, w.county].map((t) => get<Summary>('/api/study/summary', t, range)));
    expect(b!.body.branches.every((x) => !w.branchesA.includes(x.organizationId))).toBe(true);
    expect(b!.body.memberCount).toBe(w.activeB);
    expect(a!.body.memberCount).toBe(w.activeA);
    expect(county!.body.memberCount).toBe(w.activeA + w.activeB);
    const events = await get<{ events: { organizationId: number }[] }>('/api/study/events', w.staffB);
    expect(events.body.events.every((e) => !w.branchesA.includes(e.organizationId))).toBe(true);
  });

  it("birthdays: township A's month list is not township B's to read", async () => {
    type Month = { members: { organizationId: number }[] };
    denied((await get('/api/birthdays', w.secretaryB, { month: '2026-06', organizationId: String(w.branchesA[0]) })).status);
    const asB = await get<Month>('/api/birthdays', w.staffB, { month: '2026-06', organizationId: String(w.branchesA[0]) });
    expect(asB.status === 200 ? asB.body.members : []).toEqual([]);
    const asA = await get<Month>('/api/birthdays', w.staffA, { month: '2026-06', organizationId: String(w.branchesA[0]) });
    const asCounty = await get<Month>('/api/birthdays', w.county, { month: '2026-06', organizationId: String(w.branchesA[0]) });
    expect(asA.body.members.length).toBeGreaterThan(0);
    expect(asCounty.body.members).toEqual(asA.body.members);
    denied((await get('/api/birthdays/medal-eligible', w.secretaryB, { year: '2026' })).status);
  });

  it('transfers: a transfer of A is 404 to township B, readable by the county, never acted on by it', async () => {
    for (const token of [w.staffB, w.secretaryB]) {
      denied((await get(`/api/transfers/${w.transferA}`, token)).status);
      denied((await get(`/api/transfers/${w.transferA}/letter`, token)).status);
      const all = await get<{ transfers: { id: number }[] }>('/api/transfers', token, { view: 'all' });
      expect(all.body.transfers.map((t) => t.id)).not.toContain(w.transferA);
    }
    denied((await ctx().call('POST', `/api/transfers/${w.transferA}/receipt`, { token: w.staffB, body: { version: 1, receivedOn: '2026-06-14' } })).status);
    expect((await get(`/api/transfers/${w.transferA}`, w.county)).status).toBe(200);
    const all = await get<{ transfers: { id: number }[] }>('/api/transfers', w.county, { view: 'all' });
    expect(all.body.transfers.map((t) => t.id)).toContain(w.transferA);
    expect((await ctx().call('POST', `/api/transfers/${w.transferA}/receipt`, { token: w.county, body: { version: 1, receivedOn: '2026-06-14' } })).status).toBe(403);
  });

  it("commendations: township B neither lists nor edits A's; the county lists both", async () => {
    type List = { commendations: { id: number }[] };
    const asB = await get<List>('/api/commendations', w.staffB, { year: '2026' });
    expect(asB.body.commendations.map((x) => x.id)).not.toContain(w.commendationA);
    const roll = await get<{ entries: { id: number }[] }>('/api/honor-roll', w.staffB);
    expect(roll.body.entries.map((x) => x.id)).not.toContain(w.commendationA);
    denied((await ctx().call('PATCH', `/api/commendations/${w.commendationA}`, { token: w.staffB, body: { version: 1, citation: '越权修改' } })).status);
    denied((await ctx().call('DELETE', `/api/commendations/${w.commendationA}`, { token: w.staffB })).status);
    const asCounty = await get<List>('/api/commendations', w.county);
    expect(asCounty.body.commendations.map((x) => x.id)).toContain(w.commendationA);
  });

  it("settings: a township's targets are its own; township B's change leaves A's as they were", async () => {
    type Targets = { targets: { category: string; target: number | null }[] };
    const before = (await get<Targets>('/api/commendation-targets', w.staffA, { year: '2026' })).body.targets;
    const put = await ctx().call('PUT', '/api/commendation-targets', {
      token: w.staffB,
      query: { year: '2026' },
      body: { targets: [{ category: before[0]!.category, target: 97 }] },
      headers: { 'idempotency-key': 'county-bola-targets' },
    });
    expect(put.status).toBeLessThan(300);
    expect((await get<Targets>('/api/commendation-targets', w.staffA, { year: '2026' })).body.targets).toEqual(before);
    expect((await get<Targets>('/api/commendation-targets', w.staffB, { year: '2026' })).body.targets[0]!.target).toBe(97);
  });

  it('exports: the roster, ledger and commendation files of township B hold none of A', async () => {
    const namesA = (await ctx().db.select({ name: members.name }).from(members).where(inArray(members.organizationId, w.branchesA))).map((m) => m.name);
    const namesB = new Set((await ctx().db.select({ name: members.name }).from(members).where(inArray(members.organizationId, w.branchesB))).map((m) => m.name));
    const onlyA = namesA.filter((n) => !namesB.has(n));
    for (const [path, query] of [
      ['/api/members/export', undefined],
      ['/api/transfers/ledger', { year: '2026' }],
      ['/api/commendations/export', { year: '2026' }],
    ] as const) {
      const res = await ctx().call('GET', path, { token: w.staffB, query });
      expect(res.status, path).toBe(200);
      const text = (await sheetNames(res.bytes)).join('\n');
      expect(onlyA.filter((n) => text.includes(n)), path).toEqual([]);
    }
    const countyRoster = (await sheetNames((await ctx().call('GET', '/api/members/export', { token: w.county })).bytes)).join('\n');
    expect(onlyA.some((n) => countyRoster.includes(n))).toBe(true);
  });

  it("dashboard: each township's staff see their own; the county sees the sum and drills into either, as its staff do", async () => {
    const a = (await get<DashboardResponse>('/api/dashboard', w.staffA)).body;
    const b = (await get<DashboardResponse>('/api/dashboard', w.staffB)).body;
    expect(a.scope).toMatchObject({ kind: 'township', organizationId: w.townshipA });
    expect(b.scope).toMatchObject({ kind: 'township', organizationId: w.townshipB });
    expect(b.members.total).toBe(w.activeB);
    expect(b.branches.every((x) => w.branchesB.includes(x.organizationId))).toBe(true);
    // Another township's staff naming A get their own dashboard, never A's.
    expect((await get<DashboardResponse>('/api/dashboard', w.staffB, { townshipId: String(w.townshipA) })).body.scope.organizationId).toBe(w.townshipB);
    const county = (await get<DashboardResponse>('/api/dashboard', w.county)).body;
    expect(county.scope.kind).toBe('county');
    expect(county.members.total).toBe(a.members.total + b.members.total);
    const drill = (await get<DashboardResponse>('/api/dashboard', w.county, { townshipId: String(w.townshipA) })).body;
    expect(drill).toEqual(a);
    // A branch is no township to drill into.
    expect((await get('/api/dashboard', w.county, { townshipId: String(w.branchesA[0]) })).status).toBe(404);
  });
});
