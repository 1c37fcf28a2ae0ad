/**
 * Dates stay dates in every export: the roster, the transfer ledger and the
 * commendation list write their dates as real date cells (yyyy-mm-dd), ID and
 * phone numbers as text, headers as they were. Opened here with exceljs, as a
 * clerk's Excel or LibreOffice would.
 */
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { members } from '../../db/schema/index.js';
import { ROSTER_COLUMNS } from '../../shared/members.js';
import { LEDGER_COLUMNS } from '../../shared/transfers.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { TEST_NOW } from '../helpers/constants.js';
import { IMPORT_QUERY } from '../helpers/privacy.js';

async function open(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

const headersOf = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Every data row's cell in `column` (1-based): a Date at UTC midnight with the date format, or empty where allowed. */
function expectDateColumn(sheet: ExcelJS.Worksheet, column: number, { emptyAllowed = false } = {}): number {
  let dates = 0;
  for (let r = 2; r <= sheet.rowCount; r++) {
    const cell = sheet.getRow(r).getCell(column);
    if (cell.value === null && emptyAllowed) continue;
    expect(cell.value, `row ${r}, column ${column}`).toBeInstanceOf(Date);
    expect((cell.value as Date).toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect(cell.numFmt).toBe('yyyy-mm-dd');
    dates += 1;
  }
  return dates;
}

function expectTextColumn(sheet: ExcelJS.Worksheet, column: number): void {
  for (let r = 2; r <= sheet.rowCount; r++) {
    const cell = sheet.getRow(r).getCell(column);
    expect(typeof cell.value, `row ${r}, column ${column}`).toBe('string');
    expect(cell.numFmt).toBe('@');
  }
}

const col = (key: (typeof ROSTER_COLUMNS)[number]['key']) => ROSTER_COLUMNS.findIndex((c) => c.key === key) + 1;

describeEachDriver('exports write dates as dates', (ctx) => {
  const c = (): TestContext => ctx();

  it('roster: 出生日期, 入党日期, 转正日期 are date cells matching the roster; ID and phone numbers are text', async () => {
    const staff = await c().login('staff');
    for (const query of [{}, { full: '1' }]) {
      const res = await c().call('GET', '/api/members/export', { token: staff, query });
      expect(res.status).toBe(200);
      const sheet = (await open(res.bytes)).worksheets[0]!;
      expect(headersOf(sheet)).toEqual(ROSTER_COLUMNS.map((h) => h.header));
      if (query.full) expect(expectDateColumn(sheet, col('birthDate'))).toBe(sheet.rowCount - 1);
      else {
        // Without the full number, 出生年月 only (so the masked ID number stays underivable): text that sorts as a date.
        expectTextColumn(sheet, col('birthDate'));
        for (let r = 2; r <= sheet.rowCount; r++) expect(sheet.getRow(r).getCell(col('birthDate')).value).toMatch(/^\d{4}-\d{2}$/);
      }
      expectDateColumn(sheet, col('joinedAt'));
      // 预备党员 have no 转正日期: an empty cell, not a text ''.
      const confirmed = expectDateColumn(sheet, col('confirmedAt'), { emptyAllowed: true });
      expect(confirmed).toBeGreaterThan(0);
      expect(confirmed).toBeLessThan(sheet.rowCount - 1);
      expectTextColumn(sheet, col('idNumber'));
      expectTextColumn(sheet, col('phone'));
    }
    // The 29 February admission reads back as that very day.
    const [zhao] = await c().db.select().from(members).where(eq(members.name, '赵闰生'));
    const sheet = (await open((await c().call('GET', '/api/members/export', { token: staff })).bytes)).worksheets[0]!;
    let found = false;
    sheet.eachRow((row, n) => {
      if (n === 1 || row.getCell(col('name')).value !== '赵闰生') return;
      found = true;
      expect(isoDay(row.getCell(col('joinedAt')).value as Date)).toBe(zhao!.joinedAt);
      expect(isoDay(row.getCell(col('confirmedAt')).value as Date)).toBe('1997-02-28');
    });
    expect(found).toBe(true);
  });

  it('roster: a full export imports back unchanged (date cells are read as the same days)', async () => {
    const staff = await c().login('staff');
    const exported = await c().call('GET', '/api/members/export', { token: staff, query: { full: '1', status: 'active' } });
    const rows = (await open(exported.bytes)).worksheets[0]!.rowCount - 1;
    const res = await c().call('POST', '/api/members/import', {
      query: IMPORT_QUERY,
      token: staff,
      rawBody: exported.bytes,
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
    expect(res.body).toEqual({ total: rows, inserted: 0, updated: rows });
  });

  it('transfer ledger: 开具日期 and 回执日期 are date cells; letter numbers stay text', async () => {
    const staff = await c().login('staff');
    const res = await c().call('GET', '/api/transfers/ledger', { token: staff, query: { year: 2026 } });
    expect(res.status).toBe(200);
    const sheet = (await open(res.bytes)).worksheets[0]!;
    expect(headersOf(sheet)).toEqual([...LEDGER_COLUMNS]);
    const at = (header: (typeof LEDGER_COLUMNS)[number]) => LEDGER_COLUMNS.indexOf(header) + 1;
    expect(expectDateColumn(sheet, at('开具日期'), { emptyAllowed: true })).toBeGreaterThan(0);
    expect(expectDateColumn(sheet, at('回执日期'), { emptyAllowed: true })).toBeGreaterThan(0);
    for (let r = 2; r <= sheet.rowCount; r++) {
      const letter = sheet.getRow(r).getCell(at('介绍信编号')).value;
      if (letter !== null) expect(typeof letter).toBe('string');
    }
  });

  it('commendations: 授予日期 is a date cell', async () => {
    const staff = await c().login('staff');
    const res = await c().call('GET', '/api/commendations/export', { token: staff, query: { year: 2025 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sheet = (await open(res.bytes)).worksheets[0]!;
    expect(headersOf(sheet)).toContain('授予日期');
    const column = headersOf(sheet).indexOf('授予日期') + 1;
    expect(expectDateColumn(sheet, column)).toBeGreaterThan(0);
  });

  it('file names carry the Beijing day: at 03:30 in Beijing (19:30 UTC the day before) the roster and the 发展 archive say the 16th', async () => {
    const night = new Date('2026-06-16T03:30:00+08:00');
    expect(night.toISOString().slice(0, 10)).toBe('2026-06-15');
    c().clock.set(night);
    try {
      const staff = await c().login('staff');
      for (const path of ['/api/members/export', '/api/development/export']) {
        const res = await c().call('GET', path, { token: staff });
        expect(res.status, path).toBe(200);
        const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '');
        expect(name, path).toContain('2026-06-16');
      }
    } finally {
      c().clock.set(new Date(TEST_NOW));
    }
  });
});
