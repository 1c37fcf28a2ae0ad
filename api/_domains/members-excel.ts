/**
 * The roster as a spreadsheet: import (all-or-nothing, upsert by ID number),
 * export (as filtered, masked unless staff ask for the full one) and the
 * template. exceljs is loaded inside the handlers so other routes' cold starts
 * do not pay for it.
 */
import { and, eq, sql } from 'drizzle-orm';
import type ExcelJSModule from 'exceljs';
import { disclosedIdentity } from '../../shared/idcard.js';
import type { IsoDate } from '../../shared/calendar.js';
import { formatIsoDate, isIsoDate } from '../../shared/calendar.js';
import * as membersApi from '../../shared/members.js';
import {
  checkMemberRecord,
  MAX_IMPORT_ROWS,
  MEMBER_FIELD_LABELS,
  ROSTER_COLUMNS,
  XLSX_CONTENT_TYPE,
  type ImportIssue,
  type MemberRecord,
  type RosterColumnKey,
} from '../../shared/members.js';
import { maskPhone } from '../../shared/phone.js';
import type { Db } from '../../db/client.js';
import { openIdNumber, sealIdNumber } from '../../db/pii.js';
import { members, organizations } from '../../db/schema/index.js';
import type { Principal } from '../_app/auth.js';
import { writeAudit, writeAuditedRead } from '../_app/audit.js';
import { FileResponse, route } from '../_app/context.js';
import { ApiError, forbidden } from '../_app/errors.js';
import { organizationScope, subtreeOf } from '../_app/scope.js';
import { piiKeys, rosterConditions, rosterOrder } from './members.js';

type Workbook = ExcelJSModule.Workbook;
type CellValue = ExcelJSModule.CellValue;

async function newWorkbook(): Promise<Workbook> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '乡镇党建小程序';
  return workbook;
}

async function toBytes(workbook: Workbook): Promise<Uint8Array> {
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/** Header row in 党建红, text format on every column (so Excel keeps ID numbers and leading zeros). */
function addRosterSheet(workbook: Workbook, name: string): ExcelJSModule.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ROSTER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: { numFmt: '@' } }));
  const header = sheet.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFC8102E' } };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.height = 22;
  return sheet;
}

/** The township's branches (the staff member's committee subtree), by id and by name. */
async function branchesOf(db: Db, p: Principal) {
  const rows = await db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(and(eq(organizations.kind, 'branch'), organizationScope(p, organizations.id)))
    .orderBy(organizations.sortOrder, organizations.id);
  return rows;
}

// ---------------------------------------------------------------------------
// Template
// ---------------------------------------------------------------------------

export const importTemplate = route(membersApi.importTemplate, async (ctx) => {
  const branches = await branchesOf(ctx.db, ctx.user);
  const workbook = await newWorkbook();
  const sheet = addRosterSheet(workbook, '花名册');
  const lists: Partial<Record<RosterColumnKey, string[]>> = {
    gender: ['男', '女'],
    category: ['正式党员', '预备党员'],
    organizationName: branches.map((b) => b.name),
  };
  // Drop-downs for the columns with fixed answers, on the first 3,000 rows.
  ROSTER_COLUMNS.forEach((column, index) => {
    const options = lists[column.key];
    if (!options?.length) return;
    const letter = sheet.getColumn(index + 1).letter;
    for (let row = 2; row <= 3001; row++) {
      sheet.getCell(`${letter}${row}`).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${options.join(',')}"`],
        showErrorMessage: true,
        errorTitle: '请从列表中选择',
        error: `请选择：${options.join('、')}`,
      };
    }
  });
  const help = workbook.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', key: 'header', width: 12 },
    { header: '填写要求', key: 'rule', width: 70 },
    { header: '示例', key: 'example', width: 22 },
  ];
  help.getRow(1).font = { bold: true };
  const rules: Record<RosterColumnKey, string> = {
    name: '必填，与身份证一致',
    gender: '必填，“男”或“女”，须与身份证号一致',
    ethnicity: '必填，如“汉族”“回族”',
    birthDate: '必填，格式 1949-12-31，须与身份证号一致',
    idNumber: '必填，18位，最后一位可以是X；请保持“文本”格式，不要让 Excel 变成科学计数法',
    phone: '必填，11位手机号码',
    organizationName: `必填，本镇支部全称：${branches.map((b) => b.name).join('、')}`,
    category: '必填，“正式党员”或“预备党员”',
    joinedAt: '必填，支部大会接收为预备党员的日期；入党时须年满18周岁',
    confirmedAt: '正式党员必填（不早于入党日期、不晚于今天）；预备党员留空',
  };
  for (const c of ROSTER_COLUMNS) help.addRow({ header: c.header, rule: rules[c.key], example: c.example });
  help.addRow({});
  help.addRow({ header: '说明', rule: '每次导入会检查全部行：有任何错误都不会导入，请按提示改正后重新上传。已在花名册中的人（按身份证号识别）会被更新，不会重复。' });
  help.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return new FileResponse('党员花名册导入模板.xlsx', XLSX_CONTENT_TYPE, await toBytes(workbook));
});

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

export const exportMembers = route(membersApi.exportMembers, async (ctx) => {
  const p = ctx.user;
  const { full, ...filter } = ctx.query;
  const wantsFull = Boolean(full);
  if (wantsFull && p.role !== 'staff') throw forbidden('完整导出（含完整身份证号）仅限党委工作人员');
  const where = rosterConditions(p, filter, ctx.today);
  const read = (db: Db) =>
    db
      .select({
        name: members.name,
        gender: members.gender,
        ethnicity: members.ethnicity,
        birthDate: members.birthDate,
        idCipher: members.idCipher,
        idMasked: members.idMasked,
        phone: members.phone,
        organizationName: organizations.name,
        category: members.category,
        joinedAt: members.joinedAt,
        confirmedAt: members.confirmedAt,
      })
      .from(members)
      .innerJoin(organizations, eq(organizations.id, members.organizationId))
      .where(where)
      .orderBy(...rosterOrder);
  const rows = wantsFull
    ? await ctx.db.transaction(async (tx) => {
        const found = await read(tx as unknown as Db);
        await writeAuditedRead(
          tx as unknown as Db,
          p,
          { action: 'member.export_full', targetType: 'roster', targetId: null, details: { filter, rows: found.length } },
          ctx.now,
          ctx.deps.config.auditedReadRateLimit,
        );
        return found;
      })
    : await read(ctx.db);
  const keys = piiKeys(ctx);
  const workbook = await newWorkbook();
  const sheet = addRosterSheet(workbook, '党员花名册');
  for (const r of rows) {
    // Without the full number (officers' export), the same masked form and 出生年月 as on screen.
    const shown = disclosedIdentity(r);
    sheet.addRow({
      name: r.name,
      gender: r.gender,
      ethnicity: r.ethnicity,
      birthDate: wantsFull ? r.birthDate : shown.birthMonth,
      idNumber: wantsFull ? openIdNumber(r.idCipher, keys) : shown.idNumberMasked,
      phone: wantsFull ? r.phone : maskPhone(r.phone),
      organizationName: r.organizationName,
      category: r.category,
      joinedAt: r.joinedAt,
      confirmedAt: r.confirmedAt ?? '',
    });
  }
  const filename = `党员花名册${wantsFull ? '（完整）' : ''}_${ctx.today}.xlsx`;
  return new FileResponse(filename, XLSX_CONTENT_TYPE, await toBytes(workbook));
});

// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

/** Text of a cell as a person typed it, whatever Excel made of it. */
function cellText(value: CellValue): string {
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

/** 1949/12/31, 1949.12.31, 1949年12月31日, 19491231 and Excel serial numbers → 1949-12-31. */
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

const DATE_KEYS = new Set<RosterColumnKey>(['birthDate', 'joinedAt', 'confirmedAt']);
const CATEGORY_ALIASES: Record<string, string> = { 正式: '正式党员', 预备: '预备党员' };
const GENDER_ALIASES: Record<string, string> = { 男性: '男', 女性: '女' };

interface ParsedRow {
  row: number;
  record: MemberRecord;
}

const headerKey = (text: string) => text.replace(/[\s*＊:：]/g, '');

export const importMembers = route(membersApi.importMembers, async (ctx) => {
  const p = ctx.user;
  const upload = ctx.body;
  if (!(upload instanceof Uint8Array) || upload.byteLength === 0) throw new ApiError('bad_request', '没有收到文件，请选择要导入的 .xlsx 花名册');
  const branches = await branchesOf(ctx.db, p);
  const branchByName = new Map<string, number>();
  for (const b of branches) {
    branchByName.set(b.name, b.id);
    branchByName.set(b.name.replace(/党支部$/, ''), b.id);
  }

  const workbook = await newWorkbook();
  try {
    await workbook.xlsx.load(Buffer.from(upload.buffer, upload.byteOffset, upload.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new ApiError('unprocessable', '无法读取这个文件，请上传 Excel 的 .xlsx 格式花名册（可先下载导入模板）', { issues: [] });
  }
  const sheet = workbook.worksheets.find((s) => s.rowCount > 0);
  if (!sheet) throw new ApiError('unprocessable', '文件中没有数据', { issues: [] });

  // Columns are found by their Chinese header, in any order.
  const columnOf = new Map<RosterColumnKey, number>();
  sheet.getRow(1).eachCell((cell, col) => {
    const text = headerKey(cellText(cell.value));
    const column = ROSTER_COLUMNS.find((c) => c.header === text);
    if (column && !columnOf.has(column.key)) columnOf.set(column.key, col);
  });
  const missing = ROSTER_COLUMNS.filter((c) => !columnOf.has(c.key));
  if (missing.length > 0) {
    const issues: ImportIssue[] = missing.map((c) => ({ row: 1, column: c.header, message: `缺少“${c.header}”列，请使用导入模板的表头` }));
    throw new ApiError('unprocessable', `表头缺少 ${missing.map((c) => c.header).join('、')} 列，未导入任何数据`, { issues });
  }

  const issues: ImportIssue[] = [];
  const parsed: ParsedRow[] = [];
  const firstRowOfId = new Map<string, number>();
  let dataRows = 0;
  const lastRow = sheet.actualRowCount > 0 ? sheet.rowCount : 0;
  for (let rowNumber = 2; rowNumber <= lastRow; rowNumber++) {
    const row = sheet.getRow(rowNumber);
    const raw: Partial<Record<RosterColumnKey, string>> = {};
    const values: Partial<Record<RosterColumnKey, CellValue>> = {};
    for (const c of ROSTER_COLUMNS) {
      const value = row.getCell(columnOf.get(c.key) as number).value;
      values[c.key] = value;
      raw[c.key] = cellText(value);
    }
    if (Object.values(raw).every((v) => !v)) continue; // blank rows between blocks are common
    dataRows += 1;
    if (dataRows > MAX_IMPORT_ROWS) {
      issues.push({ row: rowNumber, column: '', message: `一次最多导入 ${MAX_IMPORT_ROWS} 行，请分批导入` });
      break;
    }
    const rowIssues: ImportIssue[] = [];
    const bad = (key: RosterColumnKey, message: string) =>
      rowIssues.push({ row: rowNumber, column: ROSTER_COLUMNS.find((c) => c.key === key)?.header ?? '', message });

    const idValue = values.idNumber;
    let idText = raw.idNumber ?? '';
    if (typeof idValue === 'number') {
      // Excel keeps 15 significant digits: an 18-digit number typed into a number cell has lost its tail.
      if (idValue >= 1e15) idText = '';
      bad('idNumber', '身份证号被 Excel 存成了数字，后几位可能已丢失：请把该列设为“文本”格式后重新输入');
    }
    for (const key of DATE_KEYS) raw[key] = normalizeDateText(raw[key] ?? '', values[key] ?? null);
    const branchName = raw.organizationName ?? '';
    const organizationId = branchByName.get(branchName);
    if (!branchName) bad('organizationName', '请填写所在支部');
    else if (organizationId === undefined) bad('organizationName', `本镇没有“${branchName}”，应为：${branches.map((b) => b.name).join('、')}`);

    const checked = checkMemberRecord(
      {
        name: raw.name ?? '',
        gender: GENDER_ALIASES[raw.gender ?? ''] ?? raw.gender ?? '',
        ethnicity: raw.ethnicity ?? '',
        birthDate: raw.birthDate ?? '',
        idNumber: idText,
        phone: raw.phone ?? '',
        organizationId: organizationId ?? 0,
        category: CATEGORY_ALIASES[raw.category ?? ''] ?? raw.category ?? '',
        joinedAt: raw.joinedAt ?? '',
        confirmedAt: raw.confirmedAt || null,
      },
      ctx.today,
    );
    for (const issue of checked.issues) {
      const field = String(issue.path[0]);
      if (field === 'organizationId') continue; // reported above, by name
      if (field === 'idNumber' && typeof idValue === 'number') continue;
      const label = MEMBER_FIELD_LABELS[field as keyof typeof MEMBER_FIELD_LABELS] ?? '';
      rowIssues.push({ row: rowNumber, column: label, message: issue.message });
    }
    if (checked.ok && rowIssues.length === 0) {
      const earlier = firstRowOfId.get(checked.value.idNumber);
      if (earlier !== undefined) bad('idNumber', `与第 ${earlier} 行的身份证号重复`);
      else firstRowOfId.set(checked.value.idNumber, rowNumber);
    }
    if (rowIssues.length > 0) issues.push(...rowIssues);
    else if (checked.ok) parsed.push({ row: rowNumber, record: checked.value });
  }
  if (dataRows === 0 && issues.length === 0) throw new ApiError('unprocessable', '文件中没有党员数据（第2行起填写）', { issues: [] });
  if (issues.length > 0) {
    const rows = new Set(issues.map((i) => i.row)).size;
    throw new ApiError('unprocessable', `有 ${rows} 行、共 ${issues.length} 处需要修改，本次未导入任何数据`, { issues });
  }

  const keys = piiKeys(ctx);
  const values = parsed.map(({ record }) => ({
    name: record.name,
    gender: record.gender,
    ethnicity: record.ethnicity,
    birthDate: record.birthDate,
    ...sealIdNumber(record.idNumber, keys),
    phone: record.phone,
    organizationId: record.organizationId,
    category: record.category,
    joinedAt: record.joinedAt,
    confirmedAt: record.confirmedAt ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  }));

  // All or nothing: one transaction, multi-row upserts by the ID hash (14 parameters a row, under Postgres's 65,535).
  const BATCH = 1_000;
  const township = p.organizationId ?? -1;
  const counts = await ctx.db.transaction(async (tx) => {
    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < values.length; i += BATCH) {
      const batch = values.slice(i, i + BATCH);
      const result = await tx
        .insert(members)
        .values(batch)
        .onConflictDoUpdate({
          target: members.idHash,
          set: {
            name: sql`excluded.name`,
            gender: sql`excluded.gender`,
            ethnicity: sql`excluded.ethnicity`,
            birthDate: sql`excluded.birth_date`,
            phone: sql`excluded.phone`,
            organizationId: sql`excluded.organization_id`,
            category: sql`excluded.category`,
            joinedAt: sql`excluded.joined_at`,
            confirmedAt: sql`excluded.confirmed_at`,
            version: sql`${members.version} + 1`,
            updatedAt: sql`excluded.updated_at`,
          },
          // Never overwrite a person kept by another township.
          setWhere: sql`${members.organizationId} in ${subtreeOf(township)}`,
        })
        .returning({ created: sql<boolean>`(xmax = 0)` });
      if (result.length !== batch.length) {
        throw new ApiError('unprocessable', '有党员的身份证号已登记在其他乡镇的花名册中，本次未导入任何数据，请联系县委组织部核实', {
          issues: [],
        });
      }
      for (const r of result) {
        if (r.created) inserted += 1;
        else updated += 1;
      }
    }
    await writeAudit(
      tx as unknown as Db,
      p,
      { action: 'member.import', targetType: 'roster', targetId: null, details: { rows: values.length, inserted, updated } },
      ctx.now,
    );
    return { inserted, updated };
  });
  return { total: values.length, ...counts };
});
