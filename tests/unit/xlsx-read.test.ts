import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { UnreadableXlsx, XlsxTooLarge, xlsxRows } from '../../api/_app/xlsx-read.js';
import { xlsxCellValue } from '../../api/_app/xlsx.js';

async function book(rows: ExcelJS.CellValue[][], sheets = ['花名册']): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const name of sheets) {
    const sheet = wb.addWorksheet(name);
    if (name === sheets[sheets.length - 1]) for (const r of rows) sheet.addRow(r);
  }
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

const valuesOf = (row: ExcelJS.Row) => (row.values as unknown[]).slice(1);

describe('reading an upload row by row', () => {
  it('gives the rows of the first sheet that has any, with shared strings and date cells resolved', async () => {
    const bytes = await book(
      [
        ['姓名', '入党日期'],
        ['张建国', xlsxCellValue('date', '1996-02-29')],
      ],
      ['空白', '花名册'],
    );
    const rows: unknown[][] = [];
    for await (const row of xlsxRows(bytes)) rows.push(valuesOf(row));
    expect(rows).toEqual([
      ['姓名', '入党日期'],
      ['张建国', new Date(Date.UTC(1996, 1, 29))],
    ]);
  });

  it('keeps every Chinese character whole, however the inflated parts are cut into chunks', async () => {
    // Names of three-byte characters: chunk boundaries of the inflated XML fall inside some of them.
    const names = Array.from({ length: 6_000 }, (_, i) => `断线导入党员${i}号`);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('花名册');
    for (const name of names) sheet.addRow([name, '东风村党支部']);
    const bytes = new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    const read: string[] = [];
    for await (const row of xlsxRows(bytes)) read.push(String(row.getCell(1).value));
    expect(read).toEqual(names);
  });

  it('a caller may stop at any row', async () => {
    const bytes = await book(Array.from({ length: 10_000 }, (_, i) => [`第${i}行`, i]));
    let seen = 0;
    for await (const row of xlsxRows(bytes)) {
      seen = row.number;
      if (seen === 3) break;
    }
    expect(seen).toBe(3);
  });

  it('refuses a part that inflates past the limit, and a file that is not a workbook', async () => {
    const bytes = await book([['x'.repeat(50_000)]]);
    await expect(async () => {
      for await (const _ of xlsxRows(bytes, { maxPartBytes: 20_000 })) void _;
    }).rejects.toBeInstanceOf(XlsxTooLarge);
    await expect(async () => {
      for await (const _ of xlsxRows(new TextEncoder().encode('姓名,性别\n'))) void _;
    }).rejects.toBeInstanceOf(UnreadableXlsx);
  });

  it('the writer turns calendar dates into UTC-midnight dates and keeps identifiers as text', () => {
    expect(xlsxCellValue('date', '2025-02-28')).toEqual(new Date('2025-02-28T00:00:00Z'));
    expect(xlsxCellValue('date', '')).toBeNull();
    expect(xlsxCellValue('date', null)).toBeNull();
    expect(xlsxCellValue('text', '11010519491231002X')).toBe('11010519491231002X');
    expect(xlsxCellValue('number', 7)).toBe(7);
  });
});
