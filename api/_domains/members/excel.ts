/**
 * The roster as a spreadsheet: the export (as filtered, masked unless staff ask
 * for the full one) and the import template, both through the shared xlsx writer
 * (dates as date cells, ID and phone numbers as text). The import is in members-import.ts.
 */
import { and, eq } from 'drizzle-orm';
import { GENDER_LABELS, MEMBER_CATEGORY_LABELS } from '../../../shared/common.js';
import { disclosedIdentity } from '../../../shared/idcard.js';
import * as membersApi from '../../../shared/members.js';
import { ROSTER_COLUMNS, type RosterColumnKey } from '../../../shared/members.js';
import { maskPhone } from '../../../shared/phone.js';
import type { Db } from '../../../db/client.js';
import { openIdNumber } from '../../../db/pii.js';
import { members, organizations } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAuditedRead } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { forbidden } from '../../_app/errors.js';
import { organizationScope } from '../../_app/scope.js';
import { createXlsx } from '../../_app/xlsx.js';
import { piiKeys } from '../../_app/pii.js';
import { rosterConditions, rosterOrder } from './roster.js';

/** The township's branches (the staff member's committee subtree), by id and by name. */
export async function branchesOf(db: Db, p: Principal) {
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
  const book = await createXlsx(ctx.now);
  const { sheet } = book.addTable('花名册', ROSTER_COLUMNS);
  const lists: Partial<Record<RosterColumnKey, string[]>> = {
    gender: Object.values(GENDER_LABELS),
    category: Object.values(MEMBER_CATEGORY_LABELS),
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
  const help = book.workbook.addWorksheet('填写说明');
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
    birthDate: '必填，日期或 1949-12-31 格式的文字，须与身份证号一致',
    idNumber: '必填，18位，最后一位可以是X；请保持“文本”格式，不要让 Excel 变成科学计数法',
    phone: '必填，11位手机号码',
    organizationName: `必填，本镇支部全称：${branches.map((b) => b.name).join('、')}`,
    category: '必填，“正式党员”或“预备党员”',
    joinedAt: '必填，支部大会接收为预备党员的日期；入党时须年满18周岁',
    confirmedAt: '正式党员必填：预备期（入党之日起一年，2月29日入党的到次年2月28日）届满之日或以后、不晚于今天；预备党员留空',
  };
  for (const c of ROSTER_COLUMNS) help.addRow({ header: c.header, rule: rules[c.key], example: c.example });
  help.addRow({});
  help.addRow({ header: '说明', rule: '每次导入会检查全部行：有任何错误都不会导入，请按提示改正后重新上传。已在花名册中的人（按身份证号识别）会被更新，不会重复。' });
  help.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return book.toFile('党员花名册导入模板.xlsx');
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
  const book = await createXlsx(ctx.now);
  // The officers' export shows 出生年月 only (13.2: with the masked number the ID stays underivable): text, 'YYYY-MM'.
  const columns = wantsFull ? ROSTER_COLUMNS : ROSTER_COLUMNS.map((c) => (c.key === 'birthDate' ? { ...c, kind: 'text' as const } : c));
  const table = book.addTable('党员花名册', columns);
  for (const r of rows) {
    // Without the full number (officers' export), the same masked form and 出生年月 as on screen.
    const shown = disclosedIdentity(r);
    table.addRow({
      name: r.name,
      gender: GENDER_LABELS[r.gender],
      ethnicity: r.ethnicity,
      birthDate: wantsFull ? r.birthDate : shown.birthMonth,
      idNumber: wantsFull ? openIdNumber(r.idCipher, keys) : shown.idNumberMasked,
      phone: wantsFull ? r.phone : maskPhone(r.phone),
      organizationName: r.organizationName,
      category: MEMBER_CATEGORY_LABELS[r.category],
      joinedAt: r.joinedAt,
      confirmedAt: r.confirmedAt,
    });
  }
  const filename = `党员花名册${wantsFull ? '（完整）' : ''}_${ctx.today}.xlsx`;
  return book.toFile(filename);
});
