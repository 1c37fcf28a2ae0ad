/**
 * 下载我的数据 as a file a member can read (issue 19.6): an .xlsx with a sheet per kind of record, Chinese
 * headings, codes as the app's labels and times in Beijing time. The JSON answer stays for machines.
 */
import { shanghaiDate, shanghaiDateTime } from '../../../shared/calendar.js';
import type { MyDataExport } from '../../../shared/members.js';
import { MY_DATA_FIELD_LABELS, readableValue } from '../../../shared/personal-data.js';
import type { FileResponse } from '../../_app/context.js';
import { createXlsx, type XlsxBook, type XlsxColumn } from '../../_app/xlsx.js';

type Row = Record<string, unknown>;

const heading = (key: string) => MY_DATA_FIELD_LABELS[key] ?? key;

/** One sheet of records: a column per field any row has, in the order the rows carry them. */
function addRecords(book: XlsxBook, title: string, rows: readonly Row[]): void {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columns: XlsxColumn[] = keys.map((key) => ({ key, header: heading(key), kind: 'general', width: Math.max(10, heading(key).length * 2 + 2) }));
  const table = book.addTable(title, columns);
  for (const row of rows) table.addRow(Object.fromEntries(keys.map((k) => [k, readableValue(row[k])])));
}

/** One record (the account, the member file) as 项目 / 内容 lines. */
function addRecord(book: XlsxBook, title: string, record: Row): void {
  const table = book.addTable(title, [
    { key: 'field', header: '项目', kind: 'text', width: 18 },
    { key: 'value', header: '内容', kind: 'general', width: 40 },
  ]);
  for (const [k, v] of Object.entries(record)) table.addRow({ field: heading(k), value: readableValue(v) });
}

export async function myDataWorkbook(data: MyDataExport, now: Date): Promise<FileResponse> {
  const book = await createXlsx(now);
  const guide = book.addTable('说明', [
    { key: 'field', header: '项目', kind: 'text', width: 18 },
    { key: 'value', header: '内容', kind: 'general', width: 60 },
  ]);
  guide.addRow({ field: '导出时间', value: shanghaiDateTime(new Date(data.exportedAt)) });
  guide.addRow({ field: '说明', value: data.notice });
  for (const s of data.sections) guide.addRow({ field: s.title, value: s.rows.length ? `${s.rows.length}条（见“${s.title}”表）` : '无记录' });
  guide.addRow({ field: '档案查阅记录', value: `${data.accessLog.length}条` });
  addRecord(book, '账号', data.account);
  if (data.member) addRecord(book, '党员档案', data.member);
  for (const s of data.sections) if (s.rows.length) addRecords(book, s.title, s.rows);
  if (data.accessLog.length) addRecords(book, '档案查阅记录', data.accessLog);
  return book.toFile(`我的数据-${shanghaiDate(now)}.xlsx`);
}
