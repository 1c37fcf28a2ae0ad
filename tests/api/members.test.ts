import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import { accounts, auditLog, members, organizations } from '../../db/schema/index.js';
import { ROSTER_COLUMNS } from '../../shared/members.js';
import { GENDER_LABELS } from '../../shared/common.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { IMPORT_QUERY } from '../helpers/privacy.js';
import { PRIVACY_GUIDE_VERSION } from '../../shared/privacy.js';

const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
};

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

async function branchIds(t: TestContext) {
  return (await t.db.select().from(organizations).where(eq(organizations.kind, 'branch')).orderBy(organizations.sortOrder)).map((o) => o.id);
}

async function secretaryOf(t: TestContext, branchId: number) {
  const [acc] = await t.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.organizationId, branchId)));
  return t.login('secretary', acc!.id);
}

const upload = (t: TestContext, token: string, bytes: Uint8Array) =>
  t.call('POST', '/api/members/import', {
    query: IMPORT_QUERY,
    token,
    rawBody: bytes,
    headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  });

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
    const [east] = await branchIds(t);
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
    const [east, west] = await branchIds(t);
    const secretary = await secretaryOf(t, east!);
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
    const [east] = await branchIds(t);
    expectError(await upload(t, await secretaryOf(t, east!), await workbook([person(1)])), 403, 'forbidden');
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
    const [east] = await branchIds(t);
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
    const [east1] = await branchIds(t);
    expectError(await t.call('GET', '/api/members/export', { token: await secretaryOf(t, east1!), query: { full: '1' } }), 403, 'forbidden');
    const secretaryExport = await readWorkbook((await t.call('GET', '/api/members/export', { token: await secretaryOf(t, east1!) })).bytes);
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
