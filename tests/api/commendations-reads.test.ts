/** Commendations (两优一先): targets and progress, the staff form's candidates, the honor roll and the export. */
import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, commendations, members } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError } from '../helpers/expect-error.js';
import { commendationWorld, countByCategory, YEAR } from '../helpers/commendations.js';

describeEachDriver('commendations: targets, honor roll and export', (ctx) => {
  const c = () => ctx();
  const f = commendationWorld(c);

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
