/** The 发展党员 档案 as .xlsx: one checklist sheet per person, the materials in 档案 order (shared/development/archive.ts). */
import { and, eq } from 'drizzle-orm';
import { ARCHIVE_ORDER, STAGE_LABELS } from '../../../shared/development.js';
import * as api from '../../../shared/development.js';
import { developmentRecords } from '../../../db/schema/index.js';
import { writeAuditedRead } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { assertOfficerMayUseOrganization, organizationScope } from '../../_app/scope.js';
import { createXlsx } from '../../_app/xlsx.js';
import { loadRecords, loadWorkCalendar, summaryOf } from './view.js';

const COLUMNS = [
  { key: 'no', header: '序号', kind: 'number', width: 6 },
  { key: 'material', header: '档案材料', kind: 'text', width: 44 },
  { key: 'date', header: '日期', kind: 'date', width: 12 },
  { key: 'status', header: '状态', kind: 'text', width: 14 },
  { key: 'evidence', header: '说明', kind: 'text', width: 40 },
] as const;

export const exportDevelopment = route(api.exportDevelopment, async (ctx) => {
  const { organizationId } = ctx.query;
  if (organizationId !== undefined) assertOfficerMayUseOrganization(ctx.user, organizationId);
  const { records, steps } = await loadRecords(
    ctx.db,
    and(organizationScope(ctx.user, developmentRecords.organizationId), organizationId !== undefined ? eq(developmentRecords.organizationId, organizationId) : undefined),
  );
  const cal = await loadWorkCalendar(ctx.db);
  const book = await createXlsx(ctx.now);
  const index = book.addTable('名单', [
    { key: 'no', header: '序号', kind: 'number', width: 6 },
    { key: 'name', header: '姓名', kind: 'text', width: 10 },
    { key: 'branch', header: '支部', kind: 'text', width: 20 },
    { key: 'stage', header: '阶段', kind: 'text', width: 14 },
    { key: 'next', header: '下一步', kind: 'text', width: 24 },
  ] as const);
  records.forEach((r, i) => {
    const own = steps.get(r.id) ?? [];
    const summary = summaryOf(r, own, ctx.today, cal);
    index.addRow({ no: i + 1, name: r.name, branch: r.organizationName, stage: STAGE_LABELS[r.stage], next: summary.next ? `${summary.next.label}（${summary.next.earliest} 起）` : '' });
    // Sheet names: at most 31 characters, unique (the number first), without the characters Excel refuses in a sheet name.
    const sheet = book.addTable(`${i + 1} ${r.name.replace(/[\\/?*[\]:']/g, ' ')}`.slice(0, 31), COLUMNS);
    let no = 0;
    for (const { step, material } of ARCHIVE_ORDER) {
      const done = own.filter((s) => s.step === step);
      if (done.length === 0) {
        if (step === 'activist_review' || step === 'probation_review' || step === 'extension' || step === 'cancellation') continue;
        sheet.addRow({ no: ++no, material, status: '未完成' });
      }
      for (const s of done) sheet.addRow({ no: ++no, material, date: s.date, status: s.late ? '已完成（超期）' : '已完成', evidence: s.evidence });
    }
  });
  // An export of ID-bearing records is an audited read: rate-limited per account like the other exports.
  await writeAuditedRead(ctx.db, ctx.user, { action: 'development.export', targetType: 'development_record', details: { count: records.length, organizationId: organizationId ?? null } }, ctx.now, ctx.deps.config.auditedReadRateLimit);
  return book.toFile(`发展党员档案-${ctx.today}.xlsx`);
});
