import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, formatIsoDate } from '../../shared/calendar.js';
import { makeIdNumber } from '../../db/seed/identity.js';
import {
  checkMemberRecord,
  confirmedAtBoundsForStanding,
  isProbationOverdue,
  memberRecordInput,
  partyStandingYears,
  probationEndsAt,
} from '../../shared/members.js';

const isoDateArb = fc
  .record({ year: fc.integer({ min: 1940, max: 2030 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .map(({ year, month, day }) => formatIsoDate({ year, month, day: Math.min(day, new Date(Date.UTC(year, month, 0)).getUTCDate()) }));

const valid = {
  name: '张建国',
  gender: 'male',
  ethnicity: '汉族',
  birthDate: '1949-12-31',
  idNumber: makeIdNumber('1949-12-31', 'male', 1, '110105'),
  phone: '13800138000',
  organizationId: 2,
  category: 'full',
  joinedAt: '1975-07-01',
  confirmedAt: '1976-07-01',
};

describe('党龄 and 预备期', () => {
  it('counts whole calendar years from 转正日期, on the anniversary itself', () => {
    expect(partyStandingYears('2000-06-15', '2026-06-14')).toBe(25);
    expect(partyStandingYears('2000-06-15', '2026-06-15')).toBe(26);
    expect(partyStandingYears('2024-02-29', '2025-02-28')).toBe(1);
    expect(partyStandingYears(null, '2026-06-15')).toBeNull();
  });

  it('the SQL bounds for a 党龄 range agree with partyStandingYears', () => {
    fc.assert(
      fc.property(isoDateArb, isoDateArb, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (confirmed, today, a, b) => {
        fc.pre(confirmed <= today);
        const [min, max] = a <= b ? [a, b] : [b, a];
        const years = partyStandingYears(confirmed, today)!;
        const bounds = confirmedAtBoundsForStanding(today, min, max);
        const inSql = confirmed <= bounds.confirmedOnOrBefore! && confirmed > bounds.confirmedAfter!;
        expect(inSql).toBe(years >= min && years <= max);
      }),
      { numRuns: 2000 },
    );
  });

  it('a 预备党员 is flagged when the one-year 预备期 ended more than six months ago', () => {
    expect(probationEndsAt('2024-02-29')).toBe('2025-02-28');
    expect(isProbationOverdue('probationary', '2024-12-15', '2026-06-15')).toBe(false); // ends 2025-12-15, +6 months = today
    expect(isProbationOverdue('probationary', '2024-12-14', '2026-06-15')).toBe(true);
    expect(isProbationOverdue('full', '2000-01-01', '2026-06-15')).toBe(false);
    expect(isProbationOverdue('probationary', addDays('2026-06-15', -30), '2026-06-15')).toBe(false);
  });
});

describe('member record validation (shared by the form, the server and the import)', () => {
  it('accepts a consistent record', () => {
    expect(memberRecordInput.safeParse(valid).success).toBe(true);
    expect(checkMemberRecord(valid, '2026-06-15')).toMatchObject({ ok: true });
  });

  it('reports every problem at once, with the field it belongs to, in Chinese', () => {
    const result = checkMemberRecord(
      { ...valid, name: '', phone: '1380013', birthDate: '1950-01-01', category: 'probationary', joinedAt: '2030-01-01' },
      '2026-06-15',
    );
    expect(result.ok).toBe(false);
    const fields = result.issues.map((i) => i.path[0]);
    expect(fields).toEqual(expect.arrayContaining(['name', 'phone', 'idNumber', 'confirmedAt', 'joinedAt']));
    for (const i of result.issues) expect(i.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('ID number: check digit, lowercase x, birth date and gender', () => {
    const x = makeIdNumber('1990-01-01', 'female', 4, '110105');
    const base = { ...valid, birthDate: '1990-01-01', gender: 'female', joinedAt: '2015-01-01', confirmedAt: '2016-01-01' };
    expect(checkMemberRecord({ ...base, idNumber: x.toLowerCase() }, '2026-06-15').ok).toBe(true);
    const wrongCheck = x.slice(0, 17) + (x.endsWith('0') ? '1' : '0');
    expect(checkMemberRecord({ ...base, idNumber: wrongCheck }, '2026-06-15').issues[0]?.message).toContain('校验位');
    expect(checkMemberRecord({ ...base, idNumber: x, gender: 'male' }, '2026-06-15').issues.map((i) => i.path[0])).toContain('gender');
  });

  it('age at 入党日期 must be at least 18 (calendar years)', () => {
    const base = { ...valid, birthDate: '1990-01-01', gender: 'female', idNumber: makeIdNumber('1990-01-01', 'female', 4, '110105'), confirmedAt: null, category: 'probationary' };
    expect(checkMemberRecord({ ...base, joinedAt: '2007-12-31' }, '2026-06-15').issues.map((i) => i.path[0])).toContain('joinedAt');
    expect(checkMemberRecord({ ...base, joinedAt: '2008-01-01' }, '2026-06-15').ok).toBe(true);
  });

  it('refuses unknown fields (no mass assignment)', () => {
    expect(memberRecordInput.safeParse({ ...valid, status: 'active' }).success).toBe(false);
  });
});
