import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addYears, formatIsoDate } from '../../shared/calendar.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import {
  earliestConfirmationDate,
  isProbationOverdue,
  memberFactIssues,
  memberFactIssuesFromId,
  probationEndsAt,
  type MemberFacts,
} from '../../shared/member-facts.js';
import { createInTransferBody } from '../../shared/transfers.js';
import { memberRecordInput, memberUpdateBody } from '../../shared/members.js';

const TODAY = '2026-06-15';

/** A consistent 正式党员 born `birthDate`, admitted on `joinedAt`, confirmed on time. */
function facts(over: Partial<MemberFacts> = {}, birthDate = '1980-03-10', gender: 'male' | 'female' = 'male'): MemberFacts {
  const joinedAt = over.joinedAt ?? '2010-07-01';
  return {
    gender,
    birthDate,
    idNumber: makeIdNumber(birthDate, gender, 7, '110105'),
    category: 'full',
    joinedAt,
    confirmedAt: probationEndsAt(joinedAt),
    ...over,
  };
}
const fields = (v: MemberFacts, today: string | null = TODAY) => memberFactIssues(v, today).map((i) => i.path[0]);
const messageOf = (v: MemberFacts, field: string) => memberFactIssues(v, TODAY).find((i) => i.path[0] === field)?.message;

describe('预备期 and 转正日期', () => {
  it('预备期 is one calendar year; a 29 February admission ends on 28 February of the next year', () => {
    expect(probationEndsAt('2023-07-01')).toBe('2024-07-01');
    expect(probationEndsAt('2024-02-29')).toBe('2025-02-28');
    expect(probationEndsAt('2020-02-29')).toBe('2021-02-28');
    expect(earliestConfirmationDate('2024-02-28')).toBe('2025-02-28');
  });

  it('an extension of exactly 6 and exactly 12 months is counted from the end of the first year', () => {
    expect(probationEndsAt('2023-07-01', 6)).toBe('2025-01-01');
    expect(probationEndsAt('2023-07-01', 12)).toBe('2025-07-01');
    // 29 Feb → 28 Feb, then six months: 28 August.
    expect(probationEndsAt('2024-02-29', 6)).toBe('2025-08-28');
    expect(probationEndsAt('2024-02-29', 12)).toBe('2026-02-28');
    // Month ends clamp: 31 August + 6 months = end of February.
    expect(probationEndsAt('2023-08-31', 6)).toBe('2025-02-28');
  });

  it('转正 on the day the 预备期 ends is accepted; one day earlier is refused, naming the earliest date', () => {
    expect(fields(facts({ joinedAt: '2024-02-29', confirmedAt: '2025-02-28' }))).toEqual([]);
    expect(fields(facts({ joinedAt: '2024-02-29', confirmedAt: '2025-02-27' }))).toEqual(['confirmedAt']);
    expect(messageOf(facts({ joinedAt: '2024-02-29', confirmedAt: '2025-02-27' }), 'confirmedAt')).toContain('最早可于 2025-02-28 转正');
    // The bug this rule closes: 转正 the day after 入党.
    expect(messageOf(facts({ joinedAt: '2010-07-01', confirmedAt: '2010-07-02' }), 'confirmedAt')).toContain('2011-07-01');
    // Later than the end (a late decision on record) is not refused.
    expect(fields(facts({ joinedAt: '2010-07-01', confirmedAt: '2011-09-01' }))).toEqual([]);
  });

  it('with an extension, the earliest 转正 moves by exactly its months', () => {
    const ext6 = { joinedAt: '2023-07-01', probationExtensionMonths: 6, probationExtendedOn: '2024-07-01' };
    expect(fields(facts({ ...ext6, confirmedAt: '2025-01-01' }))).toEqual([]);
    expect(fields(facts({ ...ext6, confirmedAt: '2024-12-31' }))).toEqual(['confirmedAt']);
    expect(messageOf(facts({ ...ext6, confirmedAt: '2024-07-01' }), 'confirmedAt')).toMatch(/延长6个月.*2025-01-01/);
    const ext12 = { joinedAt: '2024-02-29', probationExtensionMonths: 12, probationExtendedOn: '2025-02-28' };
    expect(fields(facts({ ...ext12, confirmedAt: '2026-02-28' }))).toEqual([]);
    expect(fields(facts({ ...ext12, confirmedAt: '2026-02-27' }))).toEqual(['confirmedAt']);
  });

  it('an extension is 6 to 12 whole months, once, with its decision day between 入党 and the extended end', () => {
    const pending = { category: 'probationary', confirmedAt: null, joinedAt: '2025-03-01' } as const;
    expect(fields(facts({ ...pending, probationExtensionMonths: 6, probationExtendedOn: '2026-03-01' }))).toEqual([]);
    expect(fields(facts({ ...pending, probationExtensionMonths: 5, probationExtendedOn: '2026-03-01' }))).toEqual(['probationExtensionMonths']);
    expect(fields(facts({ ...pending, probationExtensionMonths: 13, probationExtendedOn: '2026-03-01' }))).toEqual(['probationExtensionMonths']);
    expect(fields(facts({ ...pending, probationExtensionMonths: 6 }))).toEqual(['probationExtendedOn']);
    expect(fields(facts({ ...pending, probationExtendedOn: '2026-03-01' }))).toEqual(['probationExtensionMonths']);
    expect(fields(facts({ ...pending, probationExtensionMonths: 6, probationExtendedOn: '2025-03-01' }))).toEqual(['probationExtendedOn']);
    expect(fields(facts({ ...pending, probationExtensionMonths: 6, probationExtendedOn: '2026-06-16' }))).toEqual(['probationExtendedOn']);
  });

  it('a 预备党员 has no 转正日期 and a 正式党员 must have one; the overdue flag follows the extension', () => {
    expect(fields(facts({ category: 'probationary' }))).toEqual(['confirmedAt']);
    expect(fields(facts({ confirmedAt: null }))).toEqual(['confirmedAt']);
    // 预备期 ended 2025-07-01: six months later (2026-01-01) it is overdue; with a 12-month extension it is not yet.
    expect(isProbationOverdue('probationary', '2024-07-01', TODAY)).toBe(true);
    expect(isProbationOverdue('probationary', '2024-07-01', TODAY, 12)).toBe(false);
    expect(isProbationOverdue('probationary', '2024-07-01', '2026-07-01', 6)).toBe(false);
    expect(isProbationOverdue('probationary', '2024-07-01', '2026-07-02', 6)).toBe(true);
  });

  it('取消预备党员资格 is a status of a 预备党员 only, reported on the category', () => {
    const probationary = facts({ category: 'probationary', joinedAt: '2025-07-01', confirmedAt: null });
    expect(fields({ ...probationary, status: 'probation_cancelled' })).toEqual([]);
    expect(fields(facts({ status: 'probation_cancelled' }))).toEqual(['category']);
    expect(messageOf(facts({ status: 'probation_cancelled' }), 'category')).toBe('“取消预备党员资格”只适用于预备党员');
    // The other statuses are not tied to the category.
    for (const status of ['active', 'transferred_out', 'deceased', 'suspended']) {
      expect(fields(facts({ status }))).toEqual([]);
      expect(fields({ ...probationary, status })).toEqual([]);
    }
  });

  it('any 转正 date the rule accepts is on or after the 预备期 end and never a day sooner (property)', () => {
    const day = fc
      .record({ year: fc.integer({ min: 1950, max: 2024 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
      .map(({ year, month, day }) => formatIsoDate({ year, month, day: Math.min(day, new Date(Date.UTC(year, month, 0)).getUTCDate()) }));
    fc.assert(
      fc.property(day, fc.integer({ min: -400, max: 400 }), fc.constantFrom(null, 6, 9, 12), (joinedAt, offset, months) => {
        const ends = probationEndsAt(joinedAt, months);
        const confirmedAt = addDays(ends, offset);
        fc.pre(confirmedAt <= TODAY);
        const extension = months ? { probationExtensionMonths: months, probationExtendedOn: addYears(joinedAt, 1) } : {};
        const v = facts({ joinedAt, confirmedAt, ...extension }, addYears(joinedAt, -30));
        expect(fields(v).includes('confirmedAt')).toBe(confirmedAt < ends);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('one member-fact check: ID number, age, date order, no future dates', () => {
  it('age exactly 18 on the day of 入党 is accepted; the day before is refused', () => {
    const pending = { category: 'probationary', confirmedAt: null } as const;
    expect(fields(facts({ ...pending, joinedAt: '1998-03-10' }))).toEqual([]);
    expect(fields(facts({ ...pending, joinedAt: '1998-03-09' }))).toEqual(['joinedAt']);
    // Born 29 February: 18 on 28 February of a common year.
    expect(fields(facts({ ...pending, joinedAt: '2018-02-28' }, '2000-02-29'))).toEqual([]);
    expect(fields(facts({ ...pending, joinedAt: '2018-02-27' }, '2000-02-29'))).toEqual(['joinedAt']);
    // Admission at age 10.
    expect(fields(facts({ ...pending, joinedAt: '1990-03-10' }))).toEqual(['joinedAt']);
  });

  it('the ID number decides gender and birth date', () => {
    const female = makeIdNumber('1980-03-10', 'female', 8, '110105');
    expect(fields(facts({ idNumber: female }))).toEqual(['gender']);
    expect(fields(facts({}, '1980-03-10'), TODAY)).toEqual([]);
    expect(fields({ ...facts(), birthDate: '1980-03-11' })).toEqual(['idNumber']);
  });

  it('no date after the Shanghai today; the clock-free form (null) skips only those', () => {
    const future = facts({ category: 'probationary', confirmedAt: null, joinedAt: '2026-06-16' });
    expect(fields(future)).toEqual(['joinedAt']);
    expect(fields(future, null)).toEqual([]);
    expect(fields(facts({ category: 'probationary', confirmedAt: null, joinedAt: TODAY }))).toEqual([]);
    expect(fields(facts({ joinedAt: '2025-06-16', confirmedAt: '2026-06-16' }))).toEqual(['confirmedAt']);
  });

  it('转入 (no birth-date field) reads the birth date from the ID number and reports on it', () => {
    const future = makeIdNumber('2030-01-01', 'male', 3, '110105');
    const issues = memberFactIssuesFromId({ gender: 'male', idNumber: future, category: 'probationary', joinedAt: '2026-01-01' }, TODAY);
    expect(issues.map((i) => i.path[0])).toEqual(expect.arrayContaining(['idNumber']));
    expect(issues.find((i) => i.path[0] === 'idNumber')?.message).toContain('身份证号中的');
  });

  it('the contracts of registration, 转入 and the staff edit refuse what the rule refuses', () => {
    const registration = {
      name: '张建国',
      gender: 'male',
      ethnicity: '汉族',
      birthDate: '1980-03-10',
      idNumber: makeIdNumber('1980-03-10', 'male', 7, '110105'),
      phone: '13800138000',
      organizationId: 2,
      category: 'full',
      joinedAt: '2010-07-01',
      confirmedAt: '2010-07-02',
    };
    expect(memberRecordInput.safeParse(registration).success).toBe(false);
    expect(memberRecordInput.safeParse({ ...registration, confirmedAt: '2011-07-01' }).success).toBe(true);
    const incoming = {
      kind: 'in',
      // The filer confirms the member agreed to the privacy guide (their ID number is typed by someone else).
      memberConsent: true,
      name: '孟雪芳',
      gender: 'male',
      ethnicity: '汉族',
      idNumber: makeIdNumber('1991-07-16', 'female', 901, '410527'),
      category: 'full',
      joinedAt: '2014-06-20',
      confirmedAt: '2015-06-20',
      toOrganizationId: 2,
      fromOrganizationName: '光华路街道党工委',
      incomingLetterNumber: '文组转〔2026〕017号',
      scope: 'in_province',
      reason: 'relocation',
      duesPaidThrough: '2026-05',
      contactPhone: '13800138000',
    };
    const refused = createInTransferBody.safeParse(incoming);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path[0])).toEqual(['gender']);
    expect(createInTransferBody.safeParse({ ...incoming, gender: 'female' }).success).toBe(true);
    expect(memberUpdateBody.safeParse({ version: 1, probationExtensionMonths: 6, probationExtendedOn: '2025-01-01' }).success).toBe(true);
    expect(memberUpdateBody.safeParse({ version: 1, probationExtensionMonths: 4 }).success).toBe(false);
  });
});
