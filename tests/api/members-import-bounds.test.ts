/**
 * The import is bounded while parsing: a 100,000-row workbook is refused at the
 * 5,000-row cap without being parsed in full (it once took the server to ~790 MB).
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { makeIdNumber } from '../../db/seed/identity.js';
import { addDays } from '../../shared/calendar.js';
import { MAX_IMPORT_ROWS, ROSTER_COLUMNS } from '../../shared/members.js';
import { describeEachDriver } from '../helpers/harness.js';
import { IMPORT_QUERY } from '../helpers/privacy.js';

const ROWS = 100_000;

/** Written the way Excel writes (shared strings after the sheet), streamed so the test itself stays small. */
async function bigWorkbook(): Promise<Uint8Array> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: true, useStyles: false, zip: { zlib: { level: 9 } } });
  const sheet = wb.addWorksheet('花名册');
  sheet.addRow(ROSTER_COLUMNS.map((c) => c.header)).commit();
  for (let i = 0; i < ROWS; i++) {
    // Unique ID numbers (a birth date per block of 100, the sequence within it) well past the cap; then
    // the same 10,000 people again, which only a parser that read past the cap would notice as duplicates.
    const n = i % 10_000;
    const birthDate = addDays('1960-01-01', Math.floor(n / 100));
    const gender = n % 2 ? 'male' : 'female';
    sheet
      .addRow([`导入${i % 500}`, gender === 'male' ? '男' : '女', '汉族', birthDate, makeIdNumber(birthDate, gender, n, '370102'), `1370000${String(i % 10_000).padStart(4, '0')}`, '东风村党支部', '正式党员', '2010-07-01', '2011-07-01'])
      .commit();
  }
  sheet.commit();
  await wb.commit();
  return new Uint8Array(Buffer.concat(chunks));
}

describeEachDriver('roster import bounds', (ctx) => {
  it('a 100,000-row file is refused at the cap while parsing: memory grows by well under 100 MB', { timeout: 120_000 }, async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const bytes = await bigWorkbook();
    expect(bytes.byteLength).toBeGreaterThan(1_000_000);
    expect(bytes.byteLength).toBeLessThan(t.config.bodyLimitBytes);

    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    (globalThis as { gc?: () => void }).gc?.();
    const before = used();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, used())), 5);
    const started = performance.now();
    const res = await t.call('POST', '/api/members/import', {
      query: IMPORT_QUERY,
      token: staff,
      rawBody: bytes,
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    clearInterval(sampler);
    peak = Math.max(peak, used());
    const seconds = (performance.now() - started) / 1000;
    const growthMb = (peak - before) / 1024 / 1024;
    console.info(`[${t.driver}] ${(bytes.byteLength / 1e6).toFixed(1)} MB, ${ROWS} rows: refused in ${seconds.toFixed(2)} s, peak growth ${growthMb.toFixed(0)} MB`);

    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(422);
    const issues = res.body.error.details.issues as { row: number; message: string }[];
    // The rows before the cap are all good: the one issue is the cap, at the first row past it.
    expect(issues).toEqual([{ row: MAX_IMPORT_ROWS + 2, column: '', message: `一次最多导入 ${MAX_IMPORT_ROWS} 行，请分批导入` }]);
    expect(growthMb).toBeLessThan(100);
    expect(seconds).toBeLessThan(20);
  });
});
