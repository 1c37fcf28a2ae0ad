/**
 * Reading an uploaded .xlsx row by row, bounded. The upload is already in memory
 * (compressed, within the body limit); only the zip index is read up front. The
 * sheet's XML is inflated and parsed while the caller consumes rows, so a caller
 * that stops (a row cap, a bad header) never parses or holds the rest: a
 * 100,000-row file refused at the 5,000-row cap costs 5,000 rows of work.
 *
 * exceljs's own `stream.xlsx.WorkbookReader` parses the zip in file order and,
 * when the shared strings come after the sheet (as Excel and exceljs write them),
 * copies the sheet to a temporary file it only removes once the whole file has
 * been read. So the entries are taken here in the order the parser needs them
 * (relations, workbook, shared strings, styles, then the sheets in workbook
 * order), through the reader's own parsing steps.
 */
import { Transform, type Readable } from 'node:stream';
import type ExcelJSModule from 'exceljs';
import { formatIsoDate, isIsoDate, type IsoDate } from '../../shared/calendar.js';
import { loadExcelJs } from './xlsx.js';

type CellValue = ExcelJSModule.CellValue;
type Row = ExcelJSModule.Row;

/** The WorkbookReader's parsing steps (exceljs 4.4, lib/stream/xlsx/workbook-reader.js). */
interface ReaderSteps {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(entry: Readable, sheetNo: string): Iterable<{ eventType: string; value: AsyncIterable<Row> }>;
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string; name: string }[] };
}

export class UnreadableXlsx extends Error {}

/** A part of the workbook inflates to more than the limit (a zip bomb, or a sheet no township fills in). */
export class XlsxTooLarge extends UnreadableXlsx {}

/**
 * Inflated bytes allowed per part (shared strings, a sheet). 5,000 roster rows are
 * about 5 MB of sheet XML; the shared strings are cached whole, so they are bounded too.
 */
export const XLSX_PART_LIMIT_BYTES = 64 * 1024 * 1024;

function limited(stream: Readable, maxBytes: number): Readable {
  let seen = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new XlsxTooLarge(`a workbook part inflates past ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  stream.on('error', (err) => guard.destroy(err));
  // exceljs's SAX step calls chunk.toString() per chunk, which splits a Chinese character cut at a chunk
  // boundary into two U+FFFD: hand it text decoded across chunks (Readable's StringDecoder) instead of bytes.
  return stream.pipe(guard).setEncoding('utf8');
}

/**
 * The rows of the first worksheet that has any, in order. Throws `UnreadableXlsx`
 * for a file that is not an .xlsx workbook.
 */
export async function* xlsxRows(bytes: Uint8Array, { maxPartBytes = XLSX_PART_LIMIT_BYTES } = {}): AsyncGenerator<Row> {
  const [{ default: JSZip }, ExcelJS] = await Promise.all([import('jszip'), loadExcelJs()]);
  let zip: InstanceType<typeof JSZip>;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new UnreadableXlsx('not a zip archive');
  }
  // Inflated chunk by chunk as the parser reads.
  const entry = (path: string) => {
    const stream = zip.file(path)?.nodeStream('nodebuffer') as Readable | undefined;
    return stream ? limited(stream, maxPartBytes) : null;
  };
  // The input is never read: the steps below are given each part.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader('', {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as ReaderSteps;

  const rels = entry('xl/_rels/workbook.xml.rels');
  const book = entry('xl/workbook.xml');
  if (!rels || !book) throw new UnreadableXlsx('no workbook in the archive');
  try {
    await reader._parseRels(rels);
    await reader._parseWorkbook(book);
    const strings = entry('xl/sharedStrings.xml');
    if (strings) for await (const _ of reader._parseSharedStrings(strings)) void _;
    const styles = entry('xl/styles.xml');
    if (styles) await reader._parseStyles(styles);
  } catch (err) {
    throw err instanceof XlsxTooLarge ? err : new UnreadableXlsx('workbook parts could not be read');
  }

  // Sheets in the workbook's order (the tabs as Excel shows them).
  const targets = (reader.model?.sheets ?? [])
    .map((s) => reader.workbookRels?.find((r) => r.Id === s.rId)?.Target ?? '')
    .map((target) => /^(?:\/xl\/)?worksheets\/sheet(\d+)\.xml$/.exec(target)?.[1])
    .filter((n): n is string => n !== undefined);
  for (const sheetNo of targets) {
    const xml = entry(`xl/worksheets/sheet${sheetNo}.xml`);
    if (!xml) continue;
    let any = false;
    for (const { value: sheet } of reader._parseWorksheet(xml, sheetNo)) {
      for await (const row of sheet) {
        any = true;
        yield row;
      }
    }
    if (any) return;
  }
}

/** Text of a cell as a person typed it, whatever Excel made of it. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateFromExcel(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('').trim();
    if ('result' in value) return cellText(value.result as CellValue);
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('error' in value) return '';
  }
  return '';
}

/** exceljs reads date cells as UTC midnight of the calendar day shown. */
function dateFromExcel(d: Date): IsoDate {
  // Excel's clock can land a few hours off midnight; round to the nearest day.
  const rounded = new Date(Math.round(d.getTime() / 86_400_000) * 86_400_000);
  return formatIsoDate({ year: rounded.getUTCFullYear(), month: rounded.getUTCMonth() + 1, day: rounded.getUTCDate() });
}

/** 1949/12/31, 1949.12.31, 1949年12月31日, 19491231, date cells and Excel serial numbers → 1949-12-31. */
export function normalizeDateText(raw: string, value: CellValue): string {
  if (value instanceof Date) return dateFromExcel(value);
  if (typeof value === 'number' && value > 1 && value < 80_000) {
    return dateFromExcel(new Date(Math.round((value - 25_569) * 86_400_000)));
  }
  const text = raw.trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return text;
  const iso = `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : text;
}
