/**
 * Four months of study history for the demo township, ending at the seed's
 * `now`: timed sessions, self-reports, monthly 主题党日 collective study in each
 * branch, the committee's 中心组 study, a youth reading club, and a few members
 * who have lapsed (so every oversight list has something to show). Today is
 * left partly done, so the "below 60 minutes" list is realistic at 10:00.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { addDays, eachDay, shanghaiDate, shanghaiDayStart, type IsoDate } from '../../shared/calendar.js';
import { SELF_REPORT_DAILY_CAP_MINUTES, type StudySource, type StudyWay } from '../../shared/study.js';
import { accounts, members, organizations, studyDays, studyEntries, studyEvents, studySessions } from '../schema/index.js';
import type { SeedContext } from './index.js';
import { createRandom } from './random.js';

const HISTORY_DAYS = 120;

const SELF_STUDY_TOPICS = [
  '学习贯彻党的二十大精神',
  '《习近平著作选读》第一卷',
  '新修订的《中国共产党纪律处分条例》',
  '习近平总书记关于“三农”工作的重要论述',
  '《中国共产党农村基层组织工作条例》',
  '党章第三章 党的组织制度',
  '“学习强国”每日答题与文章学习',
  '《人民日报》评论员文章',
  '党史学习：红船精神与井冈山精神',
  '乡村振兴与村级集体经济发展',
  '全面从严治党与作风建设',
  '基层治理与网格化服务',
];
const READING_TOPICS = ['阅读报告原文（纸质版）', '收听广播《新闻和报纸摘要》', '阅读《党建》杂志', '观看《榜样》专题节目'];

type Plan = { memberId: number; organizationId: number; birthYear: number; accountId: number; role: string };

export async function seedStudy({ db, now, core }: SeedContext): Promise<void> {
  const random = createRandom(5_060_001);
  const today = shanghaiDate(now);
  const firstDay = addDays(today, -HISTORY_DAYS);

  const people: Plan[] = (
    await db
      .select({ memberId: members.id, organizationId: members.organizationId, birthDate: members.birthDate, accountId: accounts.id, role: accounts.role })
      .from(members)
      .innerJoin(accounts, eq(accounts.memberId, members.id))
      .where(inArray(members.id, core.memberIds))
      .orderBy(asc(members.id))
  ).map((r) => ({ ...r, birthYear: Number(r.birthDate.slice(0, 4)) }));
  // The demo member account (first ordinary member) starts today at zero, so the
  // walkthrough (start a session, watch the ring fill) begins from an empty ring.
  const demoMemberId = people.find((p) => p.role === 'member')?.memberId;

  const sessions: (typeof studySessions.$inferInsert)[] = [];
  const sessionEntries: Omit<typeof studyEntries.$inferInsert, 'sessionId'>[] = [];
  const entries: (typeof studyEntries.$inferInsert)[] = [];
  const days = new Map<string, { memberId: number; day: IsoDate; organizationId: number; minutes: number; self: number }>();
  const credit = (p: Plan, day: IsoDate, minutes: number, selfReported: boolean) => {
    const key = `${p.memberId}|${day}`;
    const row = days.get(key) ?? { memberId: p.memberId, day, organizationId: p.organizationId, minutes: 0, self: 0 };
    row.minutes += minutes;
    if (selfReported) row.self += minutes;
    days.set(key, row);
  };
  const at = (day: IsoDate, hour: number, minute: number) => new Date(shanghaiDayStart(day).getTime() + (hour * 60 + minute) * 60_000);

  // ---- personal study: diligence varies; some members lapsed recently.
  const lapsedSince = new Map<number, IsoDate>();
  people.forEach((p, index) => {
    const diligence = [0.9, 0.75, 0.55, 0.3][index % 4] as number;
    const lapsedFor = index % 9 === 4 ? 8 + (index % 13) : 0; // a few "no study for 7+ days"
    if (lapsedFor) lapsedSince.set(p.memberId, addDays(today, -lapsedFor));
    for (const day of eachDay(firstDay, today)) {
      const isToday = day === today;
      if (lapsedFor && day > addDays(today, -lapsedFor)) continue;
      if (isToday && (p.memberId === demoMemberId || index % 3 !== 0)) continue; // most have not studied yet by 10:00
      if (!random.chance(diligence)) continue;
      let remaining = random.chance(0.72) ? random.int(60, 95) : random.int(15, 55);
      // Timed sessions (the app), mostly 平台自主学.
      while (remaining > 10) {
        const minutes = Math.min(remaining, random.int(20, 70));
        const hour = isToday ? random.int(6, 8) : random.int(6, 21);
        const startedAt = at(day, hour, random.int(0, 59));
        const finishedAt = new Date(startedAt.getTime() + (minutes * 60 + random.int(0, 50)) * 1000);
        const way: StudyWay = random.chance(0.9) ? 'platform' : 'youth_reading';
        const topic = random.pick(SELF_STUDY_TOPICS);
        sessions.push({ memberId: p.memberId, way, topic, startedAt, finishedAt, status: 'finished', creditedMinutes: minutes, creditedDay: day });
        sessionEntries.push({
          memberId: p.memberId,
          organizationId: p.organizationId,
          day,
          minutes,
          way,
          topic,
          source: 'timer',
          accountId: p.accountId,
          createdAt: finishedAt,
        });
        credit(p, day, minutes, false);
        remaining -= minutes;
        if (random.chance(0.5)) break;
      }
      // Older members often read the printed report and fill it in afterwards.
      if (p.birthYear < 1970 && random.chance(0.35)) {
        const minutes = Math.min(SELF_REPORT_DAILY_CAP_MINUTES, random.int(20, 45));
        entries.push({
          memberId: p.memberId,
          organizationId: p.organizationId,
          day,
          minutes,
          requestedMinutes: minutes,
          way: 'platform',
          topic: random.pick(READING_TOPICS),
          source: 'self_report',
          accountId: p.accountId,
          createdAt: at(day, isToday ? 9 : random.int(18, 21), random.int(0, 59)),
        });
        credit(p, day, minutes, true);
      }
    }
  });

  // ---- 代录: each branch secretary records minutes for one elderly member now and then.
  const secretaries = people.filter((p) => p.role === 'secretary');
  for (const secretary of secretaries) {
    const elderly = people.filter((p) => p.organizationId === secretary.organizationId && p.role === 'member' && p.birthYear < 1965);
    const target = elderly[0];
    if (!target) continue;
    for (const day of eachDay(firstDay, addDays(today, -1))) {
      if (!random.chance(0.12)) continue;
      const key = `${target.memberId}|${day}`;
      const used = days.get(key)?.self ?? 0;
      const minutes = Math.min(SELF_REPORT_DAILY_CAP_MINUTES - used, 40);
      if (minutes <= 0) continue;
      entries.push({
        memberId: target.memberId,
        organizationId: target.organizationId,
        day,
        minutes,
        requestedMinutes: 40,
        way: 'branch',
        topic: '书记上门送学：宣讲惠农政策和党的创新理论',
        source: 'proxy',
        accountId: secretary.accountId,
        createdAt: at(day, 16, 30),
      });
      credit(target, day, minutes, true);
    }
  }

  // ---- collective study events.
  const orgs = await db.select({ id: organizations.id, name: organizations.name, kind: organizations.kind }).from(organizations);
  const branchIds = orgs.filter((o) => o.kind === 'branch').map((o) => o.id);
  const creatorOf = new Map(secretaries.map((s) => [s.organizationId, s.accountId]));
  const staffAccount = core.staffAccountIds[0] ?? null;
  type EventPlan = {
    row: typeof studyEvents.$inferInsert;
    attendees: Plan[];
  };
  const eventPlans: EventPlan[] = [];
  const addEvent = (organizationId: number, way: StudyWay, topic: string, place: string, day: IsoDate, hour: number, minutes: number, invited: Plan[]) => {
    const startsAt = at(day, hour, 0);
    const attendees = invited.filter((p) => !(day > (lapsedSince.get(p.memberId) ?? today)));
    eventPlans.push({
      row: {
        organizationId,
        way,
        topic,
        place,
        startsAt,
        endsAt: new Date(startsAt.getTime() + minutes * 60_000),
        day,
        minutes,
        createdByAccountId: creatorOf.get(organizationId) ?? staffAccount,
        createdAt: new Date(startsAt.getTime() - 3 * 86_400_000),
      },
      attendees,
    });
  };
  const months = new Set(eachDay(firstDay, addDays(today, -1)).map((d) => d.slice(0, 7)));
  for (const month of months) {
    for (const [i, branchId] of branchIds.entries()) {
      const day = `${month}-${String(5 + i).padStart(2, '0')}` as IsoDate; // 主题党日, early in the month
      if (day < firstDay || day >= today) continue;
      const branchMembers = people.filter((p) => p.organizationId === branchId);
      addEvent(branchId, 'branch', `${Number(month.slice(5))}月主题党日：集中学习党的创新理论`, '村党群服务中心二楼会议室', day, 9, 90,
        branchMembers.filter(() => random.chance(0.8)));
    }
    const centralDay = `${month}-15` as IsoDate;
    if (centralDay >= firstDay && centralDay < today) {
      const officers = people.filter((p) => p.role === 'secretary' || p.role === 'staff');
      addEvent(core.townshipId, 'central_group', '党委理论学习中心组专题学习', '镇政府三楼党委会议室', centralDay, 14, 120, officers.filter(() => random.chance(0.9)));
    }
    const readingDay = `${month}-22` as IsoDate;
    if (readingDay >= firstDay && readingDay < today) {
      const youth = people.filter((p) => p.birthYear >= 1985);
      addEvent(core.townshipId, 'youth_reading', '青年读书会：共读《习近平的七年知青岁月》', '镇图书室', readingDay, 19, 90, youth.filter(() => random.chance(0.7)));
    }
  }
  const baseDay = addDays(today, -40);
  addEvent(core.townshipId, 'education_base', '赴县革命纪念馆开展现场教学', '县革命纪念馆', baseDay, 8, 240, people.filter(() => random.chance(0.6)));
  // One in progress right now in the first branch, so the QR screen can be shown in the demo.
  const liveStart = new Date(Math.floor((now.getTime() - 30 * 60_000) / 60_000) * 60_000);
  const liveDay = shanghaiDate(liveStart);
  if (shanghaiDate(new Date(liveStart.getTime() + 90 * 60_000)) === liveDay && branchIds[0] !== undefined) {
    eventPlans.push({
      row: {
        organizationId: branchIds[0],
        way: 'branch',
        topic: '“三会一课”党课：学习新修订的《纪律处分条例》',
        place: '村党群服务中心二楼会议室',
        startsAt: liveStart,
        endsAt: new Date(liveStart.getTime() + 90 * 60_000),
        day: liveDay,
        minutes: 90,
        createdByAccountId: creatorOf.get(branchIds[0]) ?? staffAccount,
        createdAt: new Date(now.getTime() - 86_400_000),
      },
      attendees: [],
    });
  }

  await db.transaction(async (tx) => {
    for (const plan of eventPlans) {
      const [event] = await tx.insert(studyEvents).values(plan.row).returning({ id: studyEvents.id });
      if (!event) throw new Error('seed: study event not created');
      const row = plan.row;
      for (const p of plan.attendees) {
        const source: StudySource = random.chance(0.6) ? 'event_scan' : 'event_ticked';
        entries.push({
          memberId: p.memberId,
          organizationId: p.organizationId,
          day: row.day,
          minutes: row.minutes,
          way: row.way,
          topic: row.topic,
          source,
          eventId: event.id,
          accountId: source === 'event_scan' ? p.accountId : (row.createdByAccountId ?? p.accountId),
          createdAt: source === 'event_scan' ? new Date(row.startsAt.getTime() - 5 * 60_000) : row.endsAt,
        });
        credit(p, row.day, row.minutes, false);
      }
    }
    for (let i = 0; i < sessions.length; i += 500) {
      const chunk = sessions.slice(i, i + 500);
      const ids = await tx.insert(studySessions).values(chunk).returning({ id: studySessions.id });
      ids.forEach(({ id }, j) => entries.push({ ...(sessionEntries[i + j] as (typeof sessionEntries)[number]), sessionId: id }));
    }
    for (let i = 0; i < entries.length; i += 1000) await tx.insert(studyEntries).values(entries.slice(i, i + 1000));
    const dayRows = [...days.values()].map((d) => ({
      memberId: d.memberId,
      day: d.day,
      organizationId: d.organizationId,
      minutes: d.minutes,
      selfReportedMinutes: d.self,
      lastCredit: 0,
    }));
    for (let i = 0; i < dayRows.length; i += 1000) await tx.insert(studyDays).values(dayRows.slice(i, i + 1000));
  });
}
