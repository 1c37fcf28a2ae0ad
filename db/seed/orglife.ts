/**
 * A year of organizational life for the demo branches: 支委会, 党小组会, 主题党日
 * each month, 支部党员大会 and 党课 each quarter, last year's 组织生活会 and 民主评议,
 * some 谈心谈话. Gaps are left on purpose, so the calendars show overdue items:
 * 河西村 skipped last month's 支委会 and 党小组会, 新华村 had no 党课 in the first quarter,
 * and no branch has held this month's 支委会 yet (the demo secretary records it).
 * Deterministic and without the shared random stream, so the other seeds' numbers do not move.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { addMonths, shanghaiDate, shanghaiDayStart, type IsoDate } from '../../shared/calendar.js';
import type { AppraisalGrade, AttendanceStatus, LeaveReason, MeetingType } from '../../shared/orglife.js';
import { leaveReasons } from '../../shared/orglife.js';
import { members, organizations, orglifeAppraisals, orglifeAttendance, orglifeGrades, orglifeMeetings, orglifeStudyCredits, orglifeTalks } from '../schema/index.js';
import type { SeedContext } from './index.js';

const at = (day: IsoDate, hhmm: string) => new Date(shanghaiDayStart(day).getTime() + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000);

interface Plan {
  type: MeetingType;
  day: IsoDate;
  from: string;
  to: string;
  topic: string;
  studyMinutes: number;
}

const PARTY_DAY_TOPICS = ['学习党的二十届三中全会精神', '清洁家园志愿服务', '走访慰问困难党员', '重温入党誓词', '学习《中国共产党纪律处分条例》', '乡村振兴政策宣讲'];
const LECTURE_TOPICS = ['坚定理想信念 争做合格党员', '学党史 悟思想', '全面从严治党永远在路上', '以党建引领乡村振兴'];

export async function seedOrglife({ db, now, core }: SeedContext): Promise<void> {
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  const thisMonth = today.slice(0, 7);
  // Set up long ago: the due calendar asks every period of them.
  for (const [i, id] of core.branchIds.entries()) {
    await db
      .update(organizations)
      .set({ settings: sql`${organizations.settings} || ${JSON.stringify({ establishedOn: `${2003 + i}-07-01` })}::jsonb` })
      .where(eq(organizations.id, id));
  }
  const roster = await db
    .select({ id: members.id, name: members.name, organizationId: members.organizationId, joinedAt: members.joinedAt })
    .from(members)
    .where(inArray(members.organizationId, core.branchIds))
    .orderBy(members.id);

  const meetingRows: (typeof orglifeMeetings.$inferInsert)[] = [];
  const meta: Array<{ branchId: number; branchIndex: number; plan: Plan }> = [];
  for (const [bi, branchId] of core.branchIds.entries()) {
    const secretary = roster.find((m) => m.organizationId === branchId);
    if (!secretary) continue;
    const plans: Plan[] = [];
    for (let k = 12; k >= 0; k--) {
      const month = addMonths(`${thisMonth}-01`, -k).slice(0, 7);
      const q = Math.ceil(Number(month.slice(5, 7)) / 3);
      const lastMonth = k === 1;
      if (k > 0 && !(bi === 2 && lastMonth)) {
        plans.push({ type: 'branch_committee', day: `${month}-05`, from: '09:00', to: '10:30', topic: '研究本月支部工作', studyMinutes: 0 });
        plans.push({ type: 'group_meeting', day: `${month}-16`, from: '19:30', to: '20:30', topic: '党小组学习交流', studyMinutes: 0 });
      }
      plans.push({ type: 'party_day', day: `${month}-10`, from: '14:30', to: '16:30', topic: PARTY_DAY_TOPICS[(k + bi) % PARTY_DAY_TOPICS.length] ?? '主题党日', studyMinutes: 120 });
      if (Number(month.slice(5, 7)) % 3 === 2) {
        plans.push({ type: 'general_assembly', day: `${month}-20`, from: '09:00', to: '11:00', topic: '通报季度工作，讨论发展党员', studyMinutes: 0 });
        if (!(bi === 3 && month === `${year}-02`)) {
          plans.push({ type: 'party_lecture', day: `${month}-21`, from: '09:00', to: '12:00', topic: LECTURE_TOPICS[q - 1] ?? '党课', studyMinutes: 180 });
        }
      }
      if (month === `${year - 1}-12`) plans.push({ type: 'life_meeting', day: `${month}-26`, from: '09:00', to: '12:00', topic: '年度组织生活会：对照检查，开展批评与自我批评', studyMinutes: 0 });
    }
    for (const plan of plans) {
      if (at(plan.day, plan.from) > now || plan.day > today) continue;
      meetingRows.push({
        organizationId: branchId,
        type: plan.type,
        topic: plan.topic,
        place: '村党群服务中心',
        host: secretary.name,
        speaker: plan.type === 'party_lecture' ? secretary.name : null,
        agenda: plan.type === 'branch_committee' ? '一、传达上级精神；二、研究本月工作；三、其他事项' : '',
        minutes: `${plan.topic}。与会党员认真学习、积极发言。`,
        startsAt: at(plan.day, plan.from),
        endsAt: at(plan.day, plan.to),
        day: plan.day,
        studyMinutes: plan.studyMinutes,
        createdByAccountId: null,
        createdAt: at(plan.day, plan.to),
      });
      meta.push({ branchId, branchIndex: bi, plan });
    }
  }
  if (meetingRows.length === 0) return;
  const inserted = await db.insert(orglifeMeetings).values(meetingRows).returning({ id: orglifeMeetings.id });

  const attendance: (typeof orglifeAttendance.$inferInsert)[] = [];
  const credits: (typeof orglifeStudyCredits.$inferInsert)[] = [];
  inserted.forEach(({ id }, i) => {
    const m = meta[i];
    if (!m) return;
    for (const member of roster.filter((r) => r.organizationId === m.branchId && r.joinedAt <= m.plan.day)) {
      const roll = (member.id * 7 + i * 3) % 10;
      const status: AttendanceStatus = roll === 0 ? 'excused' : roll === 1 ? 'absent' : 'present';
      const leaveReason: LeaveReason | null = status === 'excused' ? (leaveReasons[(member.id + i) % leaveReasons.length] ?? 'other') : null;
      attendance.push({ meetingId: id, memberId: member.id, status, leaveReason, leaveNote: null });
      if (status === 'present' && m.plan.studyMinutes > 0) {
        credits.push({ meetingId: id, memberId: member.id, organizationId: m.branchId, year: Number(m.plan.day.slice(0, 4)), day: m.plan.day, minutes: m.plan.studyMinutes, createdAt: at(m.plan.day, m.plan.to) });
      }
    }
  });
  for (let i = 0; i < attendance.length; i += 500) await db.insert(orglifeAttendance).values(attendance.slice(i, i + 500));
  for (let i = 0; i < credits.length; i += 500) await db.insert(orglifeStudyCredits).values(credits.slice(i, i + 500));

  // Last year's 民主评议, completed in December: one 优秀 in every three assessed at most.
  for (const branchId of core.branchIds) {
    const assessed = roster.filter((r) => r.organizationId === branchId && r.joinedAt < `${year - 1}-12-01`);
    if (assessed.length === 0) continue;
    const [round] = await db
      .insert(orglifeAppraisals)
      .values({ organizationId: branchId, year: year - 1, completedOn: `${year - 1}-12-28`, createdAt: at(`${year - 1}-12-20`, '09:00') })
      .returning({ id: orglifeAppraisals.id });
    if (!round) continue;
    const excellent = Math.min(1, Math.floor(assessed.length / 3));
    await db.insert(orglifeGrades).values(
      assessed.map((m, k) => ({
        appraisalId: round.id,
        memberId: m.id,
        grade: (k < excellent ? 'excellent' : 'qualified') as AppraisalGrade,
        followUp: null,
        updatedAt: at(`${year - 1}-12-28`, '10:00'),
      })),
    );
  }

  // This year's 谈心谈话: the secretary has talked with every other member of the branch so far.
  const talks: (typeof orglifeTalks.$inferInsert)[] = [];
  for (const branchId of core.branchIds) {
    const people = roster.filter((r) => r.organizationId === branchId);
    const secretary = people[0];
    people.slice(1).forEach((m, k) => {
      if (k % 2 === 1) return;
      const day = `${year}-0${1 + (k % 5)}-18`;
      if (day > today) return;
      talks.push({ organizationId: branchId, talkerMemberId: secretary?.id ?? null, withMemberId: m.id, day, topic: '思想、工作和生活情况', note: null, createdAt: at(day, '15:00') });
    });
  }
  if (talks.length) await db.insert(orglifeTalks).values(talks);
}
