/**
 * Issue 17.5: county staff see every township's figures side by side, in the townships' fixed order (never by a
 * figure), and download the county's roster statistics; no one else may. The expected figures are counted here
 * from the roster rows themselves, not by the production query.
 */
import ExcelJS from 'exceljs';
import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { feedback, members, organizations, registrations, transfers } from '../../db/schema/index.js';
import type { CountyOverviewResponse, TownshipFigures } from '../../shared/county.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { branchesOf, townshipId } from '../helpers/townships.js';

/** Age in whole years on `day`, counted the long way (birthday passed this year or not). */
function yearsOld(birth: string, day: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

async function expectedRoster(c: TestContext, branches: number[], day: string): Promise<TownshipFigures['roster']> {
  const rows = await c.db
    .select({ category: members.category, gender: members.gender, ethnicity: members.ethnicity, birthDate: members.birthDate, education: members.education })
    .from(members)
    .where(and(inArray(members.organizationId, branches), eq(members.status, 'active')));
  const n = (test: (r: (typeof rows)[number]) => boolean) => rows.filter(test).length;
  return {
    members: rows.length,
    formal: n((r) => r.category === 'full'),
    probationary: n((r) => r.category === 'probationary'),
    female: n((r) => r.gender === 'female'),
    minority: n((r) => r.ethnicity !== '汉族'),
    age35: n((r) => yearsOld(r.birthDate, day) <= 35),
    age36to60: n((r) => yearsOld(r.birthDate, day) >= 36 && yearsOld(r.birthDate, day) <= 60),
    age61: n((r) => yearsOld(r.birthDate, day) >= 61),
    higherEducation: n((r) => ['大专', '本科', '研究生'].includes(r.education ?? '')),
  };
}

async function sheetRows(bytes: Uint8Array): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describeEachDriver('county overview: townships side by side, and the county roster statistics', (ctx) => {
  let county: string;
  let townshipA: number;
  let townshipB: number;
  beforeAll(async () => {
    county = await ctx().login('county');
    townshipA = await townshipId(ctx().db, 'A');
    townshipB = await townshipId(ctx().db, 'B');
  });

  it('county staff see each township with figures counted from its own roster, and the county total', async () => {
    const res = await ctx().call<CountyOverviewResponse>('GET', '/api/county/overview', { token: county });
    expect(res.status).toBe(200);
    const { townships, total, today } = res.body;
    expect(townships.map((t) => t.organizationId)).toEqual(expect.arrayContaining([townshipA, townshipB]));
    for (const [id, which] of [[townshipA, 'A'], [townshipB, 'B']] as const) {
      const branches = await branchesOf(ctx().db, which);
      const row = townships.find((t) => t.organizationId === id)!;
      expect(row.branches).toBe(branches.length);
      expect(row.roster).toEqual(await expectedRoster(ctx(), branches, today));
      expect(row.roster.members).toBeGreaterThan(0);
      const orgs = [id, ...branches];
      const pending = await ctx().db.select({ id: registrations.id }).from(registrations).where(and(inArray(registrations.organizationId, orgs), eq(registrations.status, 'pending')));
      expect(row.registrationsPending).toBe(pending.length);
      const moving = (await ctx().db.select().from(transfers)).filter(
        (t) => !['completed', 'rejected', 'withdrawn'].includes(t.state) && (orgs.includes(t.fromOrganizationId ?? -1) || orgs.includes(t.toOrganizationId ?? -1)),
      );
      expect(row.transfersOpen).toBe(moving.length);
      const open = (await ctx().db.select().from(feedback).where(eq(feedback.townshipId, id))).filter((f) => f.state !== 'closed');
      expect(row.feedbackOpen).toBe(open.length);
    }
    expect(total.roster.members).toBe(townships.reduce((s, t) => s + t.roster.members, 0));
    expect(total.branches).toBe(townships.reduce((s, t) => s + t.branches, 0));
    // No study figure at all: townships are not compared by 学习时长.
    expect(JSON.stringify(res.body)).not.toMatch(/study|minutes/i);
  });

  it('the order is the townships’ own (sort order, then id), whatever their figures', async () => {
    const order = async () => (await ctx().call<CountyOverviewResponse>('GET', '/api/county/overview', { token: county })).body.townships.map((t) => t.organizationId);
    const before = await order();
    expect(before.indexOf(townshipA)).toBeLessThan(before.indexOf(townshipB));
    await ctx().db.update(organizations).set({ sortOrder: -1 }).where(eq(organizations.id, townshipB));
    try {
      const after = await order();
      expect(after.indexOf(townshipB)).toBeLessThan(after.indexOf(townshipA));
    } finally {
      await ctx().db.update(organizations).set({ sortOrder: 0 }).where(eq(organizations.id, townshipB));
    }
  });

  it('the statistics file has a row per township in the same order, then 合计, with the same counts', async () => {
    const overview = (await ctx().call<CountyOverviewResponse>('GET', '/api/county/overview', { token: county })).body;
    const res = await ctx().call('GET', '/api/county/roster-statistics', { token: county });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const rows = await sheetRows(res.bytes);
    expect(rows[0]).toEqual(['乡镇党委', '支部数', '党员总数', '正式党员', '预备党员', '女党员', '少数民族党员', '35岁及以下', '36至60岁', '61岁及以上', '大专及以上学历']);
    const line = (name: string, f: Pick<TownshipFigures, 'branches' | 'roster'>) => [name, f.branches, f.roster.members, f.roster.formal, f.roster.probationary, f.roster.female, f.roster.minority, f.roster.age35, f.roster.age36to60, f.roster.age61, f.roster.higherEducation];
    expect(rows.slice(1)).toEqual([...overview.townships.map((t) => line(t.name, t)), line('合计', overview.total)]);
  });

  it('township staff, secretaries and members may not read the county views', async () => {
    for (const role of ['staff', 'secretary', 'member'] as const) {
      const token = await ctx().login(role);
      expect((await ctx().call('GET', '/api/county/overview', { token })).status).toBe(403);
      expect((await ctx().call('GET', '/api/county/roster-statistics', { token })).status).toBe(403);
    }
  });
});
