/** The roster as a spreadsheet: columns, the import report and the import/export contracts. */
import { z } from 'zod';
import { endpoint } from './http.js';
import { IMPORT_BASIS } from './privacy/guide.js';
import { emptyToUndefined, rosterFilterShape } from './roster-filter.js';

/**
 * The roster columns, in the order and with the headers townships use. `kind`:
 * how the export writes the cell (dates as real date cells, numbers that are
 * identifiers as text so Excel keeps every digit).
 */
export const ROSTER_COLUMNS = [
  { key: 'name', header: '姓名', width: 10, example: '张建国', kind: 'text' },
  { key: 'gender', header: '性别', width: 6, example: '男', kind: 'text' },
  { key: 'ethnicity', header: '民族', width: 8, example: '汉族', kind: 'text' },
  { key: 'birthDate', header: '出生日期', width: 12, example: '1949-12-31', kind: 'date' },
  { key: 'idNumber', header: '身份证号', width: 22, example: '11010519491231002X', kind: 'text' },
  { key: 'phone', header: '联系电话', width: 14, example: '13800138000', kind: 'text' },
  { key: 'organizationName', header: '所在支部', width: 16, example: '东风村党支部', kind: 'text' },
  { key: 'category', header: '人员类别', width: 10, example: '正式党员', kind: 'text' },
  { key: 'joinedAt', header: '入党日期', width: 12, example: '1975-07-01', kind: 'date' },
  { key: 'confirmedAt', header: '转正日期', width: 12, example: '1976-07-01', kind: 'date' },
] as const;
export type RosterColumnKey = (typeof ROSTER_COLUMNS)[number]['key'];

export const importIssue = z.object({
  /** Spreadsheet row number as Excel shows it (the header is row 1). */
  row: z.number().int(),
  /** Chinese column header, or '' for a problem with the whole row or file. */
  column: z.string(),
  message: z.string(),
});
export type ImportIssue = z.infer<typeof importIssue>;

export const MAX_IMPORT_ROWS = 5_000;

export const importMembers = endpoint({
  method: 'POST',
  path: '/api/members/import',
  summary: '导入党员花名册 .xlsx（全部通过才导入；按身份证号更新，不会重复）',
  access: 'staff',
  ownership: 'township',
  rawBody: true,
  // The file holds ID numbers the members did not type here: staff confirm the basis it is kept on.
  query: z.object({ basis: z.literal(IMPORT_BASIS, { error: '请先确认导入依据：花名册由本党委依照党章和党内规定保存，只用于党员管理工作' }) }).strict(),
  response: z.object({ total: z.number().int(), inserted: z.number().int(), updated: z.number().int() }),
});

export const exportQuery = z
  .object({
    ...rosterFilterShape,
    /** Staff only: unmasked ID and phone numbers (audited). */
    full: z.preprocess(emptyToUndefined, z.enum(['1', 'true']).optional()),
  })
  .strict();

export const exportMembers = endpoint({
  method: 'GET',
  path: '/api/members/export',
  summary: '导出花名册 .xlsx（按筛选条件；完整身份证号仅限党委工作人员，写入审计日志）',
  access: 'officer',
  ownership: 'none',
  query: exportQuery,
  response: null,
  idempotent: true,
});

export const importTemplate = endpoint({
  method: 'GET',
  path: '/api/members/import-template',
  summary: '下载花名册导入模板 .xlsx',
  access: 'officer',
  ownership: 'none',
  response: null,
  idempotent: true,
});

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
