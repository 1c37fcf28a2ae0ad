/**
 * The roster import: an .xlsx read row by row (bounded: it stops at the row cap
 * without parsing the rest), every row checked by the same member-fact rules as
 * the other paths, every defect of the file reported in one answer (duplicate ID
 * numbers inside the file included), then all-or-nothing upserts by ID number.
 */
import { and, inArray, isNotNull, sql } from 'drizzle-orm';
import type ExcelJSModule from 'exceljs';
import { checkIdNumber, normalizeIdNumber } from '../../../shared/idcard.js';
import * as membersApi from '../../../shared/members.js';
import {
  checkMemberRecord,
  MAX_IMPORT_ROWS,
  MEMBER_FIELD_LABELS,
  memberFactIssues,
  ROSTER_COLUMNS,
  type ImportIssue,
  type MemberRecord,
  type RosterColumnKey,
} from '../../../shared/members.js';
import {
  codeOf,
  FEMALE,
  FULL_MEMBER,
  GENDER_LABELS,
  MALE,
  MEMBER_CATEGORY_LABELS,
  PROBATIONARY_MEMBER,
  type Gender,
  type MemberCategory,
} from '../../../shared/common.js';
import type { Db } from '../../../db/client.js';
import { sealIdNumber } from '../../../db/pii.js';
import { members } from '../../../db/schema/index.js';
import { PRIVACY_GUIDE_VERSION } from '../../../shared/privacy.js';
import { writeAudit } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { ApiError } from '../../_app/errors.js';
import { describeError } from '../../_app/log.js';
import { subtreeOf } from '../../_app/scope.js';
import { cellText, normalizeDateText, UnreadableXlsx, XlsxTooLarge, xlsxRows } from '../../_app/xlsx-read.js';
import { branchesOf } from './excel.js';
import { piiKeys } from '../../_app/pii.js';

type CellValue = ExcelJSModule.CellValue;

const DATE_KEYS = new Set<RosterColumnKey>(['birthDate', 'joinedAt', 'confirmedAt']);
// A cell may hold the label (正式党员), the stored code (full) or a short form; unreadable text is kept so the check names it.
const CATEGORY_ALIASES: Record<string, MemberCategory> = { 正式: FULL_MEMBER, 预备: PROBATIONARY_MEMBER };
const GENDER_ALIASES: Record<string, Gender> = { 男性: MALE, 女性: FEMALE };
const headerKey = (text: string) => text.replace(/[\s*＊:：]/g, '');
const columnHeader = (key: RosterColumnKey) => ROSTER_COLUMNS.find((c) => c.key === key)?.header ?? '';

interface ParsedRow {
  row: number;
  record: MemberRecord;
}

interface Branch {
  id: number;
  name: string;
}

/** Columns found by their Chinese header in row 1, in any order; a missing one refuses the file. */
function headerColumns(row: ExcelJSModule.Row): Map<RosterColumnKey, number> {
  const columnOf = new Map<RosterColumnKey, number>();
  if (row.number === 1) {
    row.eachCell((cell, col) => {
      const column = ROSTER_COLUMNS.find((c) => c.header === headerKey(cellText(cell.value)));
      if (column && !columnOf.has(column.key)) columnOf.set(column.key, col);
    });
  }
  const missing = ROSTER_COLUMNS.filter((c) => !columnOf.has(c.key));
  if (missing.length > 0) {
    const issues: ImportIssue[] = missing.map((c) => ({ row: 1, column: c.header, message: `缺少“${c.header}”列，请使用导入模板的表头` }));
    throw new ApiError('unprocessable', `表头缺少 ${missing.map((c) => c.header).join('、')} 列，未导入任何数据`, { issues });
  }
  return columnOf;
}

/** Reads and checks every row; stops reading at the row cap. */
async function readRoster(upload: Uint8Array, branches: Branch[], today: string) {
  const branchByName = new Map<string, number>();
  for (const b of branches) {
    branchByName.set(b.name, b.id);
    branchByName.set(b.name.replace(/党支部$/, ''), b.id);
  }
  const issues: ImportIssue[] = [];
  const parsed: ParsedRow[] = [];
  const firstRowOfId = new Map<string, number>();
  let columnOf: Map<RosterColumnKey, number> | null = null;
  let dataRows = 0;
  for await (const row of xlsxRows(upload)) {
    if (!columnOf) {
      columnOf = headerColumns(row);
      continue;
    }
    const rowNumber = row.number;
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
      break; // the rest of the file is never parsed
    }
    const rowIssues: ImportIssue[] = [];
    const bad = (key: RosterColumnKey, message: string) => rowIssues.push({ row: rowNumber, column: columnHeader(key), message });

    const idValue = values.idNumber;
    let idText = raw.idNumber ?? '';
    if (typeof idValue === 'number') {
      // Excel keeps 15 significant digits: an 18-digit number typed into a number cell has lost its tail.
      if (idValue >= 1e15) idText = '';
      bad('idNumber', '身份证号被 Excel 存成了数字，后几位可能已丢失：请把该列设为“文本”格式后重新输入');
    }
    // A person appears once: a repeated ID number is reported whatever else is wrong with either row.
    const id = normalizeIdNumber(idText);
    if (checkIdNumber(id).ok) {
      const earlier = firstRowOfId.get(id);
      if (earlier !== undefined) bad('idNumber', `与第 ${earlier} 行的身份证号重复（第 ${earlier} 行和第 ${rowNumber} 行是同一个身份证号），每人只填一行`);
      else firstRowOfId.set(id, rowNumber);
    }
    for (const key of DATE_KEYS) raw[key] = normalizeDateText(raw[key] ?? '', values[key] ?? null);
    const branchName = raw.organizationName ?? '';
    const organizationId = branchByName.get(branchName);
    if (!branchName) bad('organizationName', '请填写所在支部');
    else if (organizationId === undefined) bad('organizationName', `本镇没有“${branchName}”，应为：${branches.map((b) => b.name).join('、')}`);

    const checked = checkMemberRecord(
      {
        name: raw.name ?? '',
        gender: codeOf(GENDER_LABELS, raw.gender, GENDER_ALIASES) ?? raw.gender ?? '',
        ethnicity: raw.ethnicity ?? '',
        birthDate: raw.birthDate ?? '',
        idNumber: idText,
        phone: raw.phone ?? '',
        organizationId: organizationId ?? 0,
        category: codeOf(MEMBER_CATEGORY_LABELS, raw.category, CATEGORY_ALIASES) ?? raw.category ?? '',
        joinedAt: raw.joinedAt ?? '',
        confirmedAt: raw.confirmedAt || null,
      },
      today,
    );
    for (const issue of checked.issues) {
      const field = String(issue.path[0]);
      if (field === 'organizationId') continue; // reported above, by name
      if (field === 'idNumber' && typeof idValue === 'number') continue;
      rowIssues.push({ row: rowNumber, column: MEMBER_FIELD_LABELS[field as keyof typeof MEMBER_FIELD_LABELS] ?? '', message: issue.message });
    }
    if (rowIssues.length > 0) issues.push(...rowIssues);
    else if (checked.ok) parsed.push({ row: rowNumber, record: checked.value });
  }
  if (!columnOf) throw new ApiError('unprocessable', '文件中没有数据', { issues: [] });
  return { issues, parsed, dataRows };
}

export const importMembers = route(membersApi.importMembers, async (ctx) => {
  const p = ctx.user;
  const upload = ctx.body;
  if (!(upload instanceof Uint8Array) || upload.byteLength === 0) throw new ApiError('bad_request', '没有收到文件，请选择要导入的 .xlsx 花名册');
  const branches = await branchesOf(ctx.db, p);
  let read: Awaited<ReturnType<typeof readRoster>>;
  try {
    read = await readRoster(upload, branches, ctx.today);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof XlsxTooLarge) {
      throw new ApiError('unprocessable', `文件内容过大，一次最多导入 ${MAX_IMPORT_ROWS} 行，请分批导入`, { issues: [] });
    }
    // Not a zip, not a workbook, or XML that does not parse: the same answer, nothing leaks.
    if (!(err instanceof UnreadableXlsx)) ctx.deps.logger.info('members_import_unreadable', describeError(err));
    throw new ApiError('unprocessable', '无法读取这个文件，请上传 Excel 的 .xlsx 格式花名册（可先下载导入模板）', { issues: [] });
  }
  const { issues, parsed, dataRows } = read;
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

  // A person already on the roster with an extended 预备期: the row must hold against it too (the file has no column for it).
  const extended = new Map(
    (
      await ctx.db
        .select({ idHash: members.idHash, probationExtensionMonths: members.probationExtensionMonths, probationExtendedOn: members.probationExtendedOn })
        .from(members)
        .where(and(inArray(members.idHash, values.map((v) => v.idHash)), isNotNull(members.probationExtensionMonths)))
    ).map((m) => [m.idHash, m]),
  );
  const againstExtension = parsed.flatMap(({ row, record }, i) => {
    const extension = extended.get(values[i]?.idHash ?? '');
    if (!extension) return [];
    return memberFactIssues({ ...record, ...extension }, ctx.today).map((issue) => ({
      row,
      column: MEMBER_FIELD_LABELS[issue.path[0] as keyof typeof MEMBER_FIELD_LABELS] ?? '',
      message: `${issue.message}（花名册中记录了延长预备期${extension.probationExtensionMonths}个月）`,
    }));
  });
  if (againstExtension.length > 0) {
    throw new ApiError('unprocessable', `有 ${new Set(againstExtension.map((i) => i.row)).size} 行与已记录的延长预备期不符，本次未导入任何数据`, {
      issues: againstExtension,
    });
  }

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
      { action: 'member.import', targetType: 'roster', targetId: null, details: { rows: values.length, inserted, updated, basis: ctx.query.basis, guideVersion: PRIVACY_GUIDE_VERSION } },
      ctx.now,
    );
    return { inserted, updated };
  });
  return { total: values.length, ...counts };
});
