/**
 * The one xlsx writer every export uses (roster, transfer ledger, commendations).
 * Each column says what its cells are, so a clerk can sort and filter in Excel or
 * LibreOffice: `date` columns hold real date cells (format yyyy-mm-dd) built from
 * the ISO calendar date, `text` columns hold text (ID and phone numbers keep every
 * digit and no scientific notation), `number` columns numbers. exceljs is loaded
 * on first use, so other routes' cold starts do not pay for it.
 */
import type ExcelJSModule from 'exceljs';
import { parseIsoDate } from '../../shared/calendar.js';
import { XLSX_CONTENT_TYPE } from '../../shared/members-excel.js';
import { FileResponse } from './context.js';

export type XlsxCellKind = 'text' | 'date' | 'number' | 'general';
export type XlsxValue = string | number | null | undefined;

export interface XlsxColumn<K extends string = string> {
  key: K;
  header: string;
  width?: number;
  /** How the cells of the column are written; `general` leaves the value as it is. */
  kind: XlsxCellKind;
}

export const XLSX_DATE_FORMAT = 'yyyy-mm-dd';
const NUM_FMT: Record<XlsxCellKind, string | undefined> = { text: '@', date: XLSX_DATE_FORMAT, number: undefined, general: undefined };

/** exceljs itself, loaded on first use. */
export async function loadExcelJs(): Promise<typeof ExcelJSModule> {
  return (await import('exceljs')).default;
}

/**
 * A cell value for a column's kind. A calendar date becomes the Date of UTC
 * midnight that day: exceljs writes it as the Excel serial day, which has no time
 * zone, so the cell shows the same day everywhere. An empty value stays empty.
 */
export function xlsxCellValue(kind: XlsxCellKind, value: XlsxValue): ExcelJSModule.CellValue {
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'date': {
      const parts = typeof value === 'string' ? parseIsoDate(value) : null;
      return parts ? new Date(Date.UTC(parts.year, parts.month - 1, parts.day)) : String(value);
    }
    case 'text':
      return String(value);
    case 'number':
      return typeof value === 'number' ? value : Number.isFinite(Number(value)) ? Number(value) : value;
    default:
      return value;
  }
}

export class XlsxTable<K extends string> {
  constructor(
    readonly sheet: ExcelJSModule.Worksheet,
    private readonly columns: readonly XlsxColumn<K>[],
  ) {}

  addRow(values: Partial<Record<K, XlsxValue>>): ExcelJSModule.Row {
    const row = this.sheet.addRow(this.columns.map((c) => xlsxCellValue(c.kind, values[c.key])));
    this.columns.forEach((c, i) => {
      const format = NUM_FMT[c.kind];
      if (format) row.getCell(i + 1).numFmt = format;
    });
    return row;
  }
}

export class XlsxBook {
  constructor(readonly workbook: ExcelJSModule.Workbook) {}

  /** A sheet with the headers in row 1 (bold, white on 党建红, frozen) and one format per column. */
  addTable<K extends string>(name: string, columns: readonly XlsxColumn<K>[]): XlsxTable<K> {
    const sheet = this.workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({
      header: c.header,
      key: c.key,
      width: c.width ?? 12,
      style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {},
    }));
    const header = sheet.getRow(1);
    header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFC8102E' } };
    header.alignment = { vertical: 'middle', horizontal: 'center' };
    header.height = 22;
    return new XlsxTable(sheet, columns);
  }

  async toBytes(): Promise<Uint8Array> {
    return new Uint8Array((await this.workbook.xlsx.writeBuffer()) as ArrayBuffer);
  }

  async toFile(filename: string): Promise<FileResponse> {
    return new FileResponse(filename, XLSX_CONTENT_TYPE, await this.toBytes());
  }
}

export async function createXlsx(created?: Date): Promise<XlsxBook> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '智慧党建';
  if (created) workbook.created = created;
  return new XlsxBook(workbook);
}
