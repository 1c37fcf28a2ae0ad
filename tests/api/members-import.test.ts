/** The roster's Excel import (every bad cell explained, re-import by ID number, labels or codes) and its export. */
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { makeIdNumber } from '../../db/seed/identity.js';
import { auditLog, members } from '../../db/schema/index.js';
import { ROSTER_COLUMNS } from '../../shared/members.js';
import { GENDER_LABELS } from '../../shared/common.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { IMPORT_QUERY } from '../helpers/privacy.js';
import { PRIVACY_GUIDE_VERSION } from '../../shared/privacy.js';
import { expectError } from '../helpers/expect-error.js';
import { branchesOf, secretaryToken } from '../helpers/townships.js';

type Row = Partial<Record<(typeof ROSTER_COLUMNS)[number]['key'], string | number | Date | null>>;

async function workbook(rows: Row[], headers = ROSTER_COLUMNS.map((c) => c.header)): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('花名册');
  sheet.addRow(headers);
  for (const r of rows) sheet.addRow(ROSTER_COLUMNS.map((c) => r[c.key] ?? null));
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

async function readWorkbook(bytes: Uint8Array): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return out;
}

function person(seq: number, branch = '东风村党支部'): Row {
  const pad = (n: number) => String(n).padStart(2, '0');
  const year = 1940 + (Math.floor(seq / 336) % 50);
  const birthDate = `${year}-${pad(1 + (Math.floor(seq / 28) % 12))}-${pad(1 + (seq % 28))}`;
  const gender = seq % 3 ? 'male' : 'female';
  const joinYear = year + 25;
  // The sheet holds what people type: the labels (男, 正式党员), as the template's drop-downs offer.
  return {
    name: `导入${seq}`,
    gender: GENDER_LABELS[gender],
    ethnicity: '汉族',
    birthDate,
    idNumber: makeIdNumber(birthDate, gender, seq, '370102'),
    phone: `137${String(10_000_000 + seq).slice(-8)}`,
    organizationName: branch,
    category: '正式党员',
    joinedAt: `${joinYear}-07-01`,
    confirmedAt: `${joinYear + 1}-07-01`,
  };
}

const countMembers = async (t: TestContext) => (await t.db.select({ n: sql<number>`count(*)::int` }).from(members))[0]!.n;

const upload = (t: TestContext, token: string, bytes: Uint8Array) =>
  t.call('POST', '/api/members/import', {
    query: IMPORT_QUERY,
    token,
    rawBody: bytes,
    headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  });

describeEachDriver('members roster: import and export', (ctx) => {
  it('import: every bad cell is listed by row and Chinese column; nothing is imported', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const before = await countMembers(t);
    const good = person(1);
    const rows: Row[] = [
      good,
      { ...person(2), idNumber: String(person(2).idNumber).slice(0, 17) + '0' === person(2).idNumber ? String(person(2).idNumber).slice(0, 17) + '1' : String(person(2).idNumber).slice(0, 17) + '0' }, // row 3: check digit
      { ...person(3), birthDate: '1970-01-01' }, // row 4: ID vs birth date
      { ...person(4), phone: '12345' }, // row 5
      { ...person(5), organizationName: '不存在村党支部' }, // row 6
      { ...person(6), category: '积极分子' }, // row 7
      { ...person(7), confirmedAt: null }, // row 8: 正式 without 转正
      { ...person(8), joinedAt: '2027-01-01', confirmedAt: null, category: '预备党员' }, // row 9: future
      { ...person(9), name: '' }, // row 10
      { ...good, name: '重复' }, // row 11: same ID as row 2
      { ...person(10), idNumber: 110105194912310020 }, // row 12: number cell
      { ...person(11), gender: person(11).gender === '男' ? '女' : '男' }, // row 13
    ];
    const res = await upload(t, staff, await workbook(rows));
    expectError(res, 422, 'unprocessable');
    const issues = res.body.error.details.issues as { row: number; column: string; message: string }[];
    const at = (row: number) => issues.filter((i) => i.row === row).map((i) => i.column);
    expect(at(2)).toEqual([]);
    expect(at(3)).toContain('身份证号');
    expect(at(4)).toContain('身份证号');
    expect(at(5)).toContain('联系电话');
    expect(at(6)).toContain('所在支部');
    expect(at(7)).toContain('人员类别');
    expect(at(8)).toContain('转正日期');
    expect(at(9)).toContain('入党日期');
    expect(at(10)).toContain('姓名');
    expect(at(11)).toContain('身份证号');
    expect(issues.find((i) => i.row === 11)?.message).toContain('第 2 行');
    expect(at(12)).toContain('身份证号');
    expect(at(13)).toContain('性别');
    for (const i of issues) expect(i.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await countMembers(t)).toBe(before);
  });

  it('import: missing header columns and a file that is not xlsx are explained', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const res = await upload(t, staff, await workbook([person(1)], ['姓名', '性别']));
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details.issues.map((i: { column: string }) => i.column)).toContain('身份证号');
    expectError(await upload(t, staff, new TextEncoder().encode('not a workbook')), 422, 'unprocessable');
    expectError(await upload(t, await t.login('member'), await workbook([person(1)])), 403, 'forbidden');
    const [east] = await branchesOf(t.db, 'A');
    expectError(await upload(t, await secretaryToken(t, east!), await workbook([person(1)])), 403, 'forbidden');
  });

  it('import: good rows go in; a re-import updates by ID number without duplicates; dates as Excel dates accepted', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const before = await countMembers(t);
    const rows = Array.from({ length: 30 }, (_, i) => person(100 + i, i % 2 ? '向阳村党支部' : '东风村'));
    rows[0] = { ...rows[0], birthDate: new Date(`${String(rows[0]!.birthDate)}T00:00:00Z`) };
    const first = await upload(t, staff, await workbook(rows));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ total: 30, inserted: 30, updated: 0 });
    expect(await countMembers(t)).toBe(before + 30);
    rows[1] = { ...rows[1], phone: '18600000001' };
    const again = await upload(t, staff, await workbook(rows));
    expect(again.body).toEqual({ total: 30, inserted: 0, updated: 30 });
    expect(await countMembers(t)).toBe(before + 30);
    const [updated] = await t.db.select().from(members).where(eq(members.name, String(rows[1]!.name)));
    expect(updated?.phone).toBe('18600000001');
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'member.import')).orderBy(sql`${auditLog.id} desc`).limit(1);
    expect(audit?.details).toMatchObject({ rows: 30, inserted: 0, updated: 30, basis: IMPORT_QUERY.basis, guideVersion: PRIVACY_GUIDE_VERSION });
    // The database holds no ID number in plain text.
    const dump = await t.db.execute(sql`select row_to_json(m)::text as j from members m`);
    const text = (dump as unknown as { rows: { j: string }[] }).rows.map((r) => r.j).join('\n');
    for (const r of rows) expect(text).not.toContain(String(r.idNumber));
  });

  it('import reads a label, a stored code or a short form whatever the case and spaces; the database stores codes, the export prints labels', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    // person(300) is female, person(301) and person(302) male (seq % 3).
    const rows = [
      { ...person(300), gender: ' Female ', category: 'FULL' },
      { ...person(301), gender: ' 男 ', category: '正式' },
      { ...person(302), gender: '男性', category: ' full' },
    ];
    const res = await upload(t, staff, await workbook(rows));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ total: 3, inserted: 3, updated: 0 });
    const stored = await t.db
      .select({ name: members.name, gender: members.gender, category: members.category })
      .from(members)
      .where(sql`${members.name} in ('导入300', '导入301', '导入302')`)
      .orderBy(members.name);
    expect(stored).toEqual([
      { name: '导入300', gender: 'female', category: 'full' },
      { name: '导入301', gender: 'male', category: 'full' },
      { name: '导入302', gender: 'male', category: 'full' },
    ]);
    const exported = await readWorkbook((await t.call('GET', '/api/members/export', { token: staff, query: { q: '导入30' } })).bytes);
    const byName = new Map(exported.slice(1).map((r) => [r[0], r]));
    expect([byName.get('导入300')?.[1], byName.get('导入301')?.[1], byName.get('导入302')?.[7]]).toEqual(['女', '男', '正式党员']);
  });

  it('imports 2,000 rows well under 10 seconds', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const rows = Array.from({ length: 2_000 }, (_, i) => person(10_000 + i, ['东风村党支部', '向阳村党支部', '河西村党支部'][i % 3]));
    const bytes = await workbook(rows);
    const started = performance.now();
    const res = await upload(t, staff, bytes);
    const seconds = (performance.now() - started) / 1000;
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.inserted + res.body.updated).toBe(2_000);
    // Typically 1–3 s; the bound is the requirement itself because this machine's 2 cores are shared.
    console.info(`[${t.driver}] 2,000-row import took ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(10);
  });

  it('export: as filtered, masked by default; full export for staff only, audited; template downloads', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const [east] = await branchesOf(t.db, 'A');
    const masked = await t.call('GET', '/api/members/export', { token: staff, query: { organizationId: east } });
    expect(masked.status).toBe(200);
    expect(masked.headers.get('content-type')).toContain('spreadsheetml');
    const sheet = await readWorkbook(masked.bytes);
    expect(sheet[0]).toEqual(ROSTER_COLUMNS.map((c) => c.header));
    expect(sheet.length).toBeGreaterThan(1);
    for (const row of sheet.slice(1)) {
      expect(row[6]).toBe('东风村党支部');
      expect(row[4]).toMatch(/^\w{4}\*{13}[\dX]$/);
      expect(row[3]).toMatch(/^\d{4}-\d{2}$/); // 出生年月, never the day
      expect(row[5]).toMatch(/\*{4}/);
    }
    const [east1] = await branchesOf(t.db, 'A');
    expectError(await t.call('GET', '/api/members/export', { token: await secretaryToken(t, east1!), query: { full: '1' } }), 403, 'forbidden');
    const secretaryExport = await readWorkbook((await t.call('GET', '/api/members/export', { token: await secretaryToken(t, east1!) })).bytes);
    expect(secretaryExport.slice(1).every((r) => r[6] === '东风村党支部')).toBe(true);

    const full = await t.call('GET', '/api/members/export', { token: staff, query: { full: '1', organizationId: east } });
    const fullRows = await readWorkbook(full.bytes);
    for (const row of fullRows.slice(1)) expect(row[4]).toMatch(/^\d{17}[\dX]$/);
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'member.export_full'));
    expect(audit?.details).toMatchObject({ rows: fullRows.length - 1 });

    const template = await t.call('GET', '/api/members/import-template', { token: staff });
    expect(template.status).toBe(200);
    expect(decodeURIComponent(template.headers.get('content-disposition') ?? '')).toContain('导入模板');
    expect((await readWorkbook(template.bytes))[0]).toEqual(ROSTER_COLUMNS.map((c) => c.header));
  });
});
