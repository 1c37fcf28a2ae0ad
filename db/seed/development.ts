/**
 * Demo 发展党员: three people at different stages (an applicant waiting for the
 * talk, a 积极分子 whose six-monthly review is overdue, a 发展对象 waiting for the
 * township's 预审) and this year's target. Dates are counted back from the seed's
 * day and checked by the same date engine the server uses; nobody is added to
 * the roster, so the other seeds' numbers stay as they are.
 */
import { and, asc, eq } from 'drizzle-orm';
import { addDays, addMonths, shanghaiDate, type IsoDate } from '../../shared/calendar.js';
import { memberCategories } from '../../shared/common.js';
import { checkStep, stageOf, workCalendarOf, OFFICIAL_WORK_CALENDAR_2026, type DevelopmentHistory, type DevelopmentStep } from '../../shared/development.js';
import { checkIdNumber } from '../../shared/idcard.js';
import { sealIdNumber } from '../pii.js';
import { developmentRecords, developmentStepRows, developmentTargets, members } from '../schema/index.js';
import { makeIdNumber } from './identity.js';
import type { SeedContext } from './index.js';

interface Person {
  name: string;
  idNumber: string;
  branch: number;
  steps: [DevelopmentStep, IsoDate, string][];
}

export async function seedDevelopment({ db, keys, now, core }: SeedContext): Promise<void> {
  const today = shanghaiDate(now);
  const cal = workCalendarOf(OFFICIAL_WORK_CALENDAR_2026);
  const m = (months: number, days = 0) => addDays(addMonths(today, months), days);
  const people: Person[] = [
    { name: '孙晓雨', idNumber: makeIdNumber('2001-09-12', '女', 81), branch: 1, steps: [['application', m(0, -20), '入党申请书']] },
    {
      name: '周立新',
      idNumber: makeIdNumber('1996-02-03', '男', 82),
      branch: 1,
      steps: [
        ['application', m(-8), '入党申请书'],
        ['talk', m(-8, 10), '谈话记录'],
        ['activist', m(-7), '党员推荐，支委会会议记录'],
      ],
    },
    {
      name: '吴海峰',
      idNumber: makeIdNumber('1993-11-20', '男', 83),
      branch: 2,
      steps: [
        ['application', m(-26), '入党申请书'],
        ['talk', m(-26, 10), '谈话记录'],
        ['activist', m(-25), '群团推优，支委会会议记录'],
        ['activist_review', m(-19), '培养考察登记表'],
        ['activist_review', m(-13), '培养考察登记表'],
        ['candidate', m(-12), '支委会会议记录，党员和群众意见'],
        ['political_review', m(-3), '政审报告'],
        ['training', m(-2), '镇党校培训结业证书（3天）'],
        ['committee_review', m(0, -10), '支委会审查意见'],
      ],
    },
  ];
  for (const p of people) {
    const organizationId = core.branchIds[p.branch];
    if (organizationId === undefined) continue;
    const id = checkIdNumber(p.idNumber);
    if (!id.ok) throw new Error(`seed: bad ID number for ${p.name}`);
    const contacts = await db
      .select({ id: members.id, name: members.name })
      .from(members)
      .where(and(eq(members.organizationId, organizationId), eq(members.category, memberCategories[0])))
      .orderBy(asc(members.id))
      .limit(2);
    const h: DevelopmentHistory = { birthDate: id.info.birthDate, steps: [] };
    const rows: { step: DevelopmentStep; seq: number; date: IsoDate; evidence: string; late: boolean; details: Record<string, unknown> }[] = [];
    for (const [step, date, evidence] of p.steps) {
      const check = checkStep(h, step, { date, trainingDays: step === 'training' ? 3 : undefined }, cal, today);
      if (!check.ok) throw new Error(`seed: ${p.name} ${step}: ${check.message}`);
      const seq = step === 'activist_review' ? rows.filter((r) => r.step === step).length + 1 : 0;
      const details = step === 'activist' ? { contacts: contacts.map((c) => ({ memberId: c.id, name: c.name })) } : step === 'training' ? { trainingDays: 3, trainingHours: 24 } : {};
      rows.push({ step, seq, date, evidence, late: check.late, details });
      h.steps = [...h.steps, { step, date }];
    }
    const [record] = await db
      .insert(developmentRecords)
      .values({
        organizationId,
        name: p.name,
        gender: id.info.gender,
        birthDate: id.info.birthDate,
        ...sealIdNumber(p.idNumber, keys),
        phone: '13700000000',
        stage: stageOf(h),
        contact1MemberId: rows.some((r) => r.step === 'activist') ? contacts[0]?.id : null,
        contact2MemberId: rows.some((r) => r.step === 'activist') ? contacts[1]?.id : null,
        version: rows.length,
      })
      .returning({ id: developmentRecords.id });
    if (!record) throw new Error('seed: development record not created');
    await db.insert(developmentStepRows).values(rows.map((r) => ({ ...r, recordId: record.id, recordedByAccountId: core.secretaryAccountIds[p.branch] ?? null })));
  }
  await db.insert(developmentTargets).values({ organizationId: core.townshipId, year: Number(today.slice(0, 4)), target: 5 }).onConflictDoNothing();
}
