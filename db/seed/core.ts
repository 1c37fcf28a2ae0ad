/** The demo township: a committee, five branches, about forty members, officers and accounts. */
import { eq } from 'drizzle-orm';
import { shanghaiDate, type IsoDate } from '../../shared/calendar.js';
import type { MemberCategory } from '../../shared/common.js';
import { memberFactIssues, probationEndsAt, type MemberFacts } from '../../shared/member-facts.js';
import type { Db } from '../client.js';
import { sealIdNumber, type PiiKeys } from '../pii.js';
import { accounts, members, organizations } from '../schema/index.js';
import { makeIdNumber, makePhone } from './identity.js';
import type { Random } from './random.js';

export const DEMO_COMMITTEE = '红旗镇党委';
export const DEMO_BRANCHES = ['东风村党支部', '向阳村党支部', '河西村党支部', '新华村党支部', '镇机关党支部'] as const;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const GIVEN = ['建国', '秀英', '志强', '桂兰', '海燕', '德明', '玉梅', '文华', '国庆', '淑芬', '春生', '丽娟', '永红', '晓东', '红霞', '振华', '凤英', '卫东', '金花', '明亮'];
/** Given names plainly a woman's or a man's, so a demo 张凤英 is not 男; 文华 and 永红 are either (left to the draw). */
const FEMALE_GIVEN = new Set(['秀英', '桂兰', '海燕', '玉梅', '淑芬', '丽娟', '红霞', '凤英', '金花']);
const MALE_GIVEN = new Set(['建国', '志强', '德明', '国庆', '春生', '晓东', '振华', '卫东', '明亮']);
const ETHNICITIES = ['汉族', '汉族', '汉族', '汉族', '回族', '蒙古族', '满族'];
const EDUCATIONS = ['初中', '高中', '中专', '大专', '本科', '本科', '研究生'];

export interface SeededCore {
  townshipId: number;
  branchIds: number[];
  memberIds: number[];
  staffAccountIds: number[];
  secretaryAccountIds: number[];
}

interface MemberPlan {
  name: string;
  gender: 'male' | 'female';
  birthDate: IsoDate;
  joinedAt: IsoDate;
  confirmedAt: IsoDate | null;
  ethnicity: string;
  branch: number;
}

/** Members chosen to show the rules: a 29 February admission, 50+ years' standing, a long-overdue 预备期. */
function specialMembers(today: IsoDate): MemberPlan[] {
  const thisMonth = today.slice(5, 7);
  const thisDay = pad(Math.min(28, Number(today.slice(8, 10))));
  const plans: MemberPlan[] = [
    { name: '李守仁', gender: 'male', birthDate: '1946-03-12', joinedAt: '1968-07-01', confirmedAt: '1969-07-01', ethnicity: '汉族', branch: 0 },
    // 入党 on 29 February: the 预备期 ends, and 转正 falls, on 28 February of the next year.
    { name: '赵闰生', gender: 'male', birthDate: '1970-05-20', joinedAt: '1996-02-29', confirmedAt: probationEndsAt('1996-02-29'), ethnicity: '汉族', branch: 1 },
    { name: '陈晓梅', gender: 'female', birthDate: '1999-08-15', joinedAt: '2023-05-10', confirmedAt: null, ethnicity: '汉族', branch: 2 },
    // Political birthdays this month, so the demo always has one to show.
    { name: '王红旗', gender: 'male', birthDate: '1975-04-03', joinedAt: `2001-${thisMonth}-${thisDay}`, confirmedAt: null, ethnicity: '汉族', branch: 0 },
    { name: '刘春燕', gender: 'female', birthDate: '1988-10-09', joinedAt: `2016-${thisMonth}-01`, confirmedAt: null, ethnicity: '回族', branch: 1 },
  ];
  return plans.map((m) => ({ ...m, confirmedAt: m.confirmedAt ?? (m.name === '陈晓梅' ? null : probationEndsAt(m.joinedAt)) }));
}

export async function seedCore(db: Db, keys: PiiKeys, now: Date, random: Random): Promise<SeededCore> {
  const today = shanghaiDate(now);
  return db.transaction(async (tx) => {
    const [township] = await tx
      .insert(organizations)
      .values({ name: DEMO_COMMITTEE, kind: 'committee', settings: { birthdayWindow: 'month' } })
      .returning();
    if (!township) throw new Error('seed: township committee not created');
    await tx.update(organizations).set({ path: `/${township.id}/` }).where(eqId(township.id));
    const branchIds: number[] = [];
    for (const [i, name] of DEMO_BRANCHES.entries()) {
      const [branch] = await tx
        .insert(organizations)
        .values({ name, kind: 'branch', parentId: township.id, sortOrder: i + 1 })
        .returning();
      if (!branch) throw new Error('seed: branch not created');
      await tx.update(organizations).set({ path: `/${township.id}/${branch.id}/` }).where(eqId(branch.id));
      branchIds.push(branch.id);
    }

    const plans = [...specialMembers(today)];
    for (let i = plans.length; i < 42; i++) {
      const drawn = random.chance(0.6) ? 'male' : 'female';
      const birthYear = random.int(1950, 2001);
      const birthDate = `${birthYear}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
      const joinYear = Math.min(Number(today.slice(0, 4)) - 1, birthYear + random.int(19, 40));
      const joinedAt = `${joinYear}-${pad(random.int(1, 12))}-${pad(random.int(1, 28))}`;
      const probationary = probationEndsAt(joinedAt) > today;
      // The draws stay in the same order as before, so every other figure of the demo data is unchanged.
      const surname = random.pick(SURNAMES);
      const given = random.pick(GIVEN);
      const gender = FEMALE_GIVEN.has(given) ? 'female' : MALE_GIVEN.has(given) ? 'male' : drawn;
      plans.push({
        name: `${surname}${given}`,
        gender,
        birthDate,
        joinedAt,
        confirmedAt: probationary ? null : probationEndsAt(joinedAt),
        ethnicity: random.pick(ETHNICITIES),
        branch: i % DEMO_BRANCHES.length,
      });
    }

    const memberRows = plans.map((plan, i) => {
      const category: MemberCategory = plan.confirmedAt ? 'full' : 'probationary';
      const idNumber = makeIdNumber(plan.birthDate, plan.gender, i + 1);
      assertSeedFacts(plan.name, { ...plan, idNumber, category }, today);
      return {
        name: plan.name,
        gender: plan.gender,
        ethnicity: plan.ethnicity,
        birthDate: plan.birthDate,
        ...sealIdNumber(idNumber, keys),
        phone: makePhone(i + 1),
        education: random.pick(EDUCATIONS),
        organizationId: branchIds[plan.branch] as number,
        category,
        joinedAt: plan.joinedAt,
        confirmedAt: plan.confirmedAt,
      };
    });
    const inserted = await tx.insert(members).values(memberRows).returning({ id: members.id, organizationId: members.organizationId, name: members.name });

    // The first member of each branch is its secretary; two members of the 机关 branch are committee staff.
    const secretaryOf = new Map<number, number>();
    for (const m of inserted) if (!secretaryOf.has(m.organizationId)) secretaryOf.set(m.organizationId, m.id);
    const officeBranch = branchIds[branchIds.length - 1] as number;
    const officeMembers = inserted.filter((m) => m.organizationId === officeBranch);
    const staffMemberIds = new Set(officeMembers.slice(1, 3).map((m) => m.id));

    const accountRows = inserted.map((m) => {
      if (staffMemberIds.has(m.id)) {
        return { openid: `demo-member-${m.id}`, role: 'staff' as const, organizationId: township.id, memberId: m.id, displayName: m.name, isDemo: 1 };
      }
      if (secretaryOf.get(m.organizationId) === m.id) {
        return { openid: `demo-member-${m.id}`, role: 'secretary' as const, organizationId: m.organizationId, memberId: m.id, displayName: m.name, isDemo: 1 };
      }
      return { openid: `demo-member-${m.id}`, role: 'member' as const, organizationId: null, memberId: m.id, displayName: m.name, isDemo: 1 };
    });
    const accountIds = await tx.insert(accounts).values(accountRows).returning({ id: accounts.id, role: accounts.role });
    return {
      townshipId: township.id,
      branchIds,
      memberIds: inserted.map((m) => m.id),
      staffAccountIds: accountIds.filter((a) => a.role === 'staff').map((a) => a.id),
      secretaryAccountIds: accountIds.filter((a) => a.role === 'secretary').map((a) => a.id),
    };
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Demo data holds the same rules as every other path that writes a member (shared/member-facts.ts). */
export function assertSeedFacts(name: string, facts: MemberFacts, today: IsoDate): void {
  const issues = memberFactIssues(facts, today);
  if (issues.length > 0) throw new Error(`seed: ${name} breaks a member rule: ${issues.map((i) => i.message).join('；')}`);
}

const eqId = (id: number) => eq(organizations.id, id);
