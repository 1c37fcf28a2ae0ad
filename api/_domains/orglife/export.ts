/**
 * Reports derived from the records, not retyped: the quarterly 三会一课 summary
 * per branch, the 学时 ledger and the 党课 list, as one .xlsx.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import * as api from '../../../shared/orglife.js';
import { MEETING_TYPE_LABELS, meetingTypes, requiredStudyHours, studyHoursOf, type LectureDutyResponse } from '../../../shared/orglife.js';
import { members, orglifeMeetings } from '../../../db/schema/index.js';
import { writeAuditedRead } from '../../_app/audit.js';
import { route } from '../../_app/context.js';
import { createXlsx } from '../../_app/xlsx.js';
import { branchesInScope, officerBranch, type Branch } from './access.js';
import { loadDuty } from './duty.js';
import { officerMemberIds, studyTotals } from './ledger.js';

export const exportSummary = route(api.exportSummary, async (ctx) => {
  const p = ctx.user;
  const year = ctx.query.year ?? Number(ctx.today.slice(0, 4));
  let branches: Branch[];
  const townshipWide = !(ctx.query.organizationId !== undefined || p.role === 'secretary');
  if (!townshipWide) {
    branches = [await officerBranch(ctx.db, p, ctx.query.organizationId)];
  } else {
    branches = await branchesInScope(ctx.db, p);
  }
  const ids = branches.length ? branches.map((b) => b.id) : [-1];
  const meetings = await ctx.db
    .select({ organizationId: orglifeMeetings.organizationId, type: orglifeMeetings.type, day: orglifeMeetings.day, topic: orglifeMeetings.topic, speaker: orglifeMeetings.speaker })
    .from(orglifeMeetings)
    .where(and(inArray(orglifeMeetings.organizationId, ids), sql`${orglifeMeetings.day} between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`))
    .orderBy(asc(orglifeMeetings.day), asc(orglifeMeetings.id));
  const roster = await ctx.db
    .select({ id: members.id, name: members.name, organizationId: members.organizationId })
    .from(members)
    .where(and(inArray(members.organizationId, ids), eq(members.status, 'active')))
    .orderBy(asc(members.name), asc(members.id));
  const memberIds = roster.map((m) => m.id);
  const [totals, officers] = await Promise.all([studyTotals(ctx.db, memberIds, year), officerMemberIds(ctx.db, memberIds)]);
  await writeAuditedRead(ctx.db, p, { action: 'orglife.export', targetType: 'orglife_meeting', details: { year, branches: branches.length } }, ctx.now, ctx.deps.config.auditedReadRateLimit);

  const book = await createXlsx(ctx.now);
  const typeColumns = meetingTypes.map((t) => ({ key: t, header: MEETING_TYPE_LABELS[t], kind: 'number' as const, width: 12 }));
  const summary = book.addTable(`${year}年三会一课季度汇总`, [
    { key: 'branch', header: '支部', kind: 'text', width: 18 },
    { key: 'quarter', header: '季度', kind: 'text', width: 10 },
    ...typeColumns,
  ]);
  for (const b of branches) {
    for (let q = 1; q <= 4; q++) {
      const inQuarter = meetings.filter((m) => m.organizationId === b.id && Math.ceil(Number(m.day.slice(5, 7)) / 3) === q);
      const counts = Object.fromEntries(meetingTypes.map((t) => [t, inQuarter.filter((m) => m.type === t).length]));
      summary.addRow({ branch: b.name, quarter: `第${q}季度`, ...counts });
    }
  }
  const ledger = book.addTable(`${year}年学时台账`, [
    { key: 'branch', header: '支部', kind: 'text', width: 18 },
    { key: 'name', header: '姓名', kind: 'text', width: 10 },
    { key: 'meetings', header: '组织生活学时', kind: 'number' },
    { key: 'events', header: '集中学习学时', kind: 'number' },
    { key: 'total', header: '合计学时', kind: 'number' },
    { key: 'required', header: '年度要求', kind: 'number' },
  ]);
  const branchName = new Map(branches.map((b) => [b.id, b.name]));
  for (const m of roster) {
    const t = totals.get(m.id) ?? { meetingMinutes: 0, eventMinutes: 0 };
    ledger.addRow({
      branch: branchName.get(m.organizationId),
      name: m.name,
      meetings: studyHoursOf(t.meetingMinutes),
      events: studyHoursOf(t.eventMinutes),
      total: studyHoursOf(t.meetingMinutes + t.eventMinutes),
      required: requiredStudyHours(officers.has(m.id)),
    });
  }
  const lectures = book.addTable(`${year}年党课`, [
    { key: 'day', header: '日期', kind: 'date' },
    { key: 'branch', header: '支部', kind: 'text', width: 18 },
    { key: 'speaker', header: '讲课人', kind: 'text', width: 12 },
    { key: 'topic', header: '题目', kind: 'text', width: 40 },
  ]);
  for (const m of meetings.filter((x) => x.type === 'party_lecture')) {
    lectures.addRow({ day: m.day, branch: branchName.get(m.organizationId), speaker: m.speaker, topic: m.topic });
  }
  // The township's file carries the 党课责任表 too: the same rows as the page, by name.
  if (townshipWide) addDutySheet(book, await loadDuty(ctx.db, p, year));
  return book.toFile(`${year}年组织生活台账.xlsx`);
});

function addDutySheet(book: Awaited<ReturnType<typeof createXlsx>>, duty: LectureDutyResponse): void {
  const sheet = book.addTable(`${duty.year}年党课责任表`, [
    { key: 'name', header: '姓名', kind: 'text', width: 10 },
    { key: 'own', header: '所在支部', kind: 'text', width: 16 },
    { key: 'villages', header: '所包村（支部）', kind: 'text', width: 28 },
    { key: 'delivered', header: '在所包村讲党课（次）', kind: 'number', width: 14 },
    { key: 'quota', header: '年度要求（次）', kind: 'number', width: 12 },
    { key: 'met', header: '完成情况', kind: 'text', width: 10 },
    { key: 'elsewhere', header: '在其他支部讲（次）', kind: 'number', width: 14 },
    { key: 'attended', header: '参加所在支部组织生活（实到）', kind: 'number', width: 16 },
    { key: 'expected', header: '所在支部组织生活（应到）', kind: 'number', width: 16 },
  ]);
  for (const l of duty.leaders) {
    sheet.addRow({
      name: l.name,
      own: l.ownBranch.name,
      villages: l.villages.map((v) => v.name).join('、'),
      delivered: l.delivered,
      quota: l.quota,
      met: l.met ? '已完成' : '未完成',
      elsewhere: l.elsewhere,
      attended: l.ownBranchMeetings.attended,
      expected: l.ownBranchMeetings.expected,
    });
  }
}
