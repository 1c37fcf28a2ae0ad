/**
 * Political-birthday history for the demo: past individual sign-ins with
 * reflections, and last year's collective ceremony in 东风村党支部. Nothing is
 * signed for the current year, so the demo member can sign in today.
 */
import { eq, inArray } from 'drizzle-orm';
import { anniversaryInYear, anniversaryNumber } from '../../shared/birthdays.js';
import { shanghaiDate, shanghaiDayStart, type IsoDate } from '../../shared/calendar.js';
import { accounts, birthdayCeremonies, birthdaySignIns, members } from '../schema/index.js';
import type { SeedContext } from './index.js';

const REFLECTIONS: Record<string, string[]> = {
  王红旗: [
    '又一次重温入党誓词，想起当年在村委会支部大会上举手宣誓的情景。今年要带头把村里的水渠修好，让乡亲们看到党员的样子。',
    '入党这些年，最深的体会是：群众的事再小也是大事。新的一年继续做好网格员工作，多走访几户困难家庭。',
  ],
  李守仁: ['年纪大了，誓词一个字没忘。活到老学到老，还要给年轻党员讲讲村里的老故事。'],
  刘春燕: ['作为回族党员，我要在民族团结上多出力，带着姐妹们把合作社办好。'],
  赵闰生: ['我的政治生日四年才有一次“正日子”，但每年这个月都要重温一遍誓词，提醒自己不忘初心。'],
};

/** 10:00 CST on a given day: when a seeded sign-in happened. */
const morningOf = (day: IsoDate) => new Date(shanghaiDayStart(day).getTime() + 10 * 60 * 60 * 1000);

export async function seedBirthdays({ db, now, core }: SeedContext): Promise<void> {
  const year = Number(shanghaiDate(now).slice(0, 4));
  const month = shanghaiDate(now).slice(5, 7);
  const named = await db
    .select({ id: members.id, name: members.name, organizationId: members.organizationId, joinedAt: members.joinedAt })
    .from(members)
    .where(inArray(members.name, Object.keys(REFLECTIONS)));
  const byName = new Map(named.map((m) => [m.name, m]));
  const rows: (typeof birthdaySignIns.$inferInsert)[] = [];

  const individual = (name: string, signYear: number, reflection: string) => {
    const m = byName.get(name);
    if (!m || anniversaryNumber(m.joinedAt, signYear) < 1) return;
    const day = anniversaryInYear(m.joinedAt, signYear);
    rows.push({ memberId: m.id, year: signYear, years: anniversaryNumber(m.joinedAt, signYear), mode: 'individual', reflection, signedAt: morningOf(day) });
  };
  const [wangEarlier, wangLater] = REFLECTIONS['王红旗'] ?? [];
  if (wangEarlier) individual('王红旗', year - 3, wangEarlier);
  if (wangLater) individual('王红旗', year - 2, wangLater);
  individual('李守仁', year - 1, REFLECTIONS['李守仁']?.[0] ?? '');
  individual('刘春燕', year - 1, REFLECTIONS['刘春燕']?.[0] ?? '');
  individual('赵闰生', year - 1, REFLECTIONS['赵闰生']?.[0] ?? '');

  // Last year's 主题党日 in 东风村: everyone whose anniversary falls in this month, 王红旗 included.
  const dongfengId = core.branchIds[0];
  if (dongfengId !== undefined) {
    const [secretary] = await db
      .select({ id: accounts.id })
      .from(accounts)
      .where(eq(accounts.organizationId, dongfengId))
      .limit(1);
    const branchMembers = await db
      .select({ id: members.id, joinedAt: members.joinedAt })
      .from(members)
      .where(eq(members.organizationId, dongfengId));
    const heldOn = `${year - 1}-${month}-01`;
    const attendees = branchMembers.filter(
      (m) => m.joinedAt.slice(5, 7) === month && anniversaryNumber(m.joinedAt, year - 1) >= 1 && !rows.some((r) => r.memberId === m.id && r.year === year - 1),
    );
    if (attendees.length > 0) {
      const [ceremony] = await db
        .insert(birthdayCeremonies)
        .values({
          organizationId: dongfengId,
          heldOn,
          topic: '主题党日·集体过政治生日',
          place: '东风村党群服务中心',
          note: '集体重温入党誓词，老党员李守仁讲述入党经历。',
          recordedByAccountId: secretary?.id ?? null,
          createdAt: morningOf(heldOn),
        })
        .returning({ id: birthdayCeremonies.id });
      if (ceremony) {
        for (const m of attendees) {
          rows.push({
            memberId: m.id,
            year: year - 1,
            years: anniversaryNumber(m.joinedAt, year - 1),
            mode: 'ceremony',
            ceremonyId: ceremony.id,
            signedAt: morningOf(heldOn),
            recordedByAccountId: secretary?.id ?? null,
          });
        }
      }
    }
  }
  if (rows.length > 0) await db.insert(birthdaySignIns).values(rows).onConflictDoNothing();
}
