/**
 * The member-fact rules (shared/member-facts.ts) on every path that writes a
 * member: registration and its approval, staff edits, the Excel import, 转入 and
 * the demo seed. Each path refuses what the rule refuses, with the same message.
 */
import ExcelJS from 'exceljs';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { openIdNumber, sealIdNumber } from '../../db/pii.js';
import { makeIdNumber, makePhone } from '../../db/seed/identity.js';
import { accounts, auditLog, members, organizations, registrations } from '../../db/schema/index.js';
import { probationEndsAt } from '../../shared/member-facts.js';
import { ROSTER_COLUMNS } from '../../shared/members.js';
import { branchesOf } from '../helpers/townships.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { consentingApplicant, IMPORT_QUERY } from '../helpers/privacy.js';

type Res = { status: number; body: { error?: { code: string; message: string; details?: { issues?: Issue[] } } } };
type Issue = { row?: number; column?: string; path?: (string | number)[]; message: string };

const expectRefused = (res: Res, status: number, code: string, message?: RegExp | string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error?.code).toBe(code);
  if (message) expect(res.body.error?.message).toMatch(message);
};

let sequence = 700;
function person(overrides: Record<string, unknown> = {}, birthDate = '1985-03-09', gender: 'male' | 'female' = 'male') {
  sequence += 1;
  return {
    name: `规则${sequence}`,
    gender,
    ethnicity: '汉族',
    birthDate,
    idNumber: makeIdNumber(birthDate, gender, sequence, '110105'),
    phone: makePhone(sequence),
    category: 'full',
    joinedAt: '2010-07-01',
    confirmedAt: '2011-07-01',
    ...overrides,
  };
}

async function branchIds(t: TestContext) {
  return (await t.db.select().from(organizations).where(eq(organizations.kind, 'branch')).orderBy(organizations.sortOrder)).map((o) => o.id);
}

function incoming(branch: number, overrides: Record<string, unknown> = {}) {
  const { name, gender, idNumber, category, joinedAt, confirmedAt } = person({}, '1991-07-16', 'female');
  return {
    kind: 'in',
    // The filer confirms the member agreed to the privacy guide (their ID number is typed by someone else).
    memberConsent: true,
    name,
    gender,
    ethnicity: '汉族',
    idNumber,
    category,
    joinedAt,
    confirmedAt,
    toOrganizationId: branch,
    fromOrganizationName: '安阳市文峰区光华路街道党工委',
    incomingLetterNumber: `文组转〔2026〕${sequence}号`,
    scope: 'in_province',
    reason: 'relocation',
    duesPaidThrough: '2026-05',
    contactPhone: makePhone(sequence),
    ...overrides,
  };
}

async function workbook(rows: Record<string, unknown>[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('花名册');
  sheet.addRow(ROSTER_COLUMNS.map((c) => c.header));
  for (const r of rows) sheet.addRow(ROSTER_COLUMNS.map((c) => (r[c.key] as string | null | undefined) ?? null));
  return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

describeEachDriver('member rules on every path', (ctx) => {
  it('registration refuses 转正 before the 预备期 ends (naming the earliest date), admission under 18, a wrong gender and a future 入党日期', async () => {
    const t = ctx();
    const [east] = await branchIds(t);
    const submit = async (body: Record<string, unknown>) =>
      t.call('POST', '/api/registrations', { token: await consentingApplicant(t), body: { ...body, organizationId: east } });
    const early = await submit(person({ joinedAt: '2024-02-29', confirmedAt: '2024-03-01' }));
    expectRefused(early, 400, 'validation_failed', /最早可于 2025-02-28 转正/);
    expectRefused(await submit(person({ joinedAt: '1995-03-09', confirmedAt: '1996-03-09' })), 400, 'validation_failed', /年满18周岁/);
    const female = person({}, '1985-03-09', 'female');
    expectRefused(await submit({ ...female, gender: 'male' }), 400, 'validation_failed', /性别/);
    // 2026-06-16 is tomorrow in Shanghai at TEST_NOW: only the server's clock can refuse it.
    expectRefused(await submit(person({ category: 'probationary', joinedAt: '2026-06-16', confirmedAt: null })), 400, 'validation_failed', /入党日期不能晚于今天/);
    const onTime = await submit(person({ joinedAt: '2024-02-29', confirmedAt: '2025-02-28' }));
    expect(onTime.status, JSON.stringify(onTime.body)).toBe(201);
  });

  it('approving an application that breaks a rule (filed before the rule) is refused; nothing lands on the roster', async () => {
    const t = ctx();
    const [east] = await branchIds(t);
    const keys = { encryptionKey: t.config.idEncryptionKey, hashKey: t.config.idHashKey };
    const [account] = await t.db.insert(accounts).values({ openid: `rules-${sequence}`, role: 'applicant', displayName: '旧申请' }).returning();
    const p = person({ joinedAt: '2020-05-01', confirmedAt: '2020-05-02' });
    const [reg] = await t.db
      .insert(registrations)
      .values({ ...p, accountId: account!.id, organizationId: east!, gender: 'male', category: 'full', ...sealIdNumber(p.idNumber, keys), createdAt: new Date() })
      .returning();
    const res = await t.call('POST', `/api/registrations/${reg!.id}/approve`, { token: await t.login('staff') });
    expectRefused(res, 400, 'validation_failed', /最早可于 2021-05-01 转正/);
    expect(await t.db.select().from(members).where(eq(members.name, p.name))).toEqual([]);
  });

  it('staff edits: an early 转正 is refused with the earliest date; an extension is recorded, audited and moves the earliest date', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const [m] = await t.db.select().from(members).where(eq(members.name, '陈晓梅'));
    const detail = await t.call('GET', `/api/members/${m!.id}`, { token: staff });
    expect(detail.body).toMatchObject({ category: 'probationary', probationEndsAt: '2024-05-10', probationOverdue: true, probationExtensionMonths: null });
    const patch = (body: Record<string, unknown>, version: number) =>
      t.call('PATCH', `/api/members/${m!.id}`, { token: staff, body: { version, ...body } });

    // 转正 the day after 入党: refused, naming the earliest date.
    expectRefused(await patch({ category: 'full', confirmedAt: '2023-05-11' }, detail.body.version), 400, 'validation_failed', /最早可于 2024-05-10 转正/);
    // An extension out of range, or without its decision day, is refused.
    expectRefused(await patch({ probationExtensionMonths: 3, probationExtendedOn: '2024-05-10' }, detail.body.version), 400, 'validation_failed');
    expectRefused(await patch({ probationExtensionMonths: 6 }, detail.body.version), 400, 'validation_failed', /决定延长预备期的日期/);

    const extended = await patch({ probationExtensionMonths: 12, probationExtendedOn: '2024-05-10' }, detail.body.version);
    expect(extended.status, JSON.stringify(extended.body)).toBe(200);
    expect(extended.body).toMatchObject({ probationExtensionMonths: 12, probationExtendedOn: '2024-05-10', probationEndsAt: '2025-05-10', probationOverdue: true });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'member.update'), eq(auditLog.targetId, String(m!.id))));
    expect(audit?.details).toMatchObject({ changes: { probationExtensionMonths: { from: null, to: 12 }, probationExtendedOn: { from: null, to: '2024-05-10' } } });

    // With 12 months more, the one-year date is now early; the extended end is accepted.
    expectRefused(await patch({ category: 'full', confirmedAt: '2024-05-10' }, extended.body.version), 400, 'validation_failed', /延长12个月.*最早可于 2025-05-10 转正/);
    const confirmed = await patch({ category: 'full', confirmedAt: '2025-05-10' }, extended.body.version);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ category: 'full', confirmedAt: '2025-05-10', probationEndsAt: null, partyStandingYears: 1 });

    // A wrong birth date (against the ID number) and a future 入党日期 are refused on edit too.
    expectRefused(await patch({ birthDate: '1999-08-16' }, confirmed.body.version), 400, 'validation_failed', /身份证号中的出生日期/);
    expectRefused(await patch({ joinedAt: '2026-06-16' }, confirmed.body.version), 400, 'validation_failed');
  });

  it('the roster flags a 预备党员 as overdue from the extended end, in SQL as in the detail', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    // A member of township A, whose staff read the roster below.
    const [target] = await t.db.select().from(members).where(and(eq(members.category, 'full'), inArray(members.organizationId, await branchesOf(t.db, 'A')))).orderBy(desc(members.id)).limit(1);
    if (!target) throw new Error('no 正式党员 in the seed');
    // 入党 2024-07-01: the 预备期 ended 2025-07-01 (overdue after 2026-01-01); extended by 12 months it ends 2026-07-01.
    await t.db.update(members).set({ category: 'probationary', joinedAt: '2024-07-01', confirmedAt: null }).where(eq(members.id, target.id));
    const overdue = async () =>
      ((await t.call('GET', '/api/members', { token: staff, query: { overdue: '1', pageSize: 100 } })).body.items as { id: number }[]).some((i) => i.id === target.id);
    expect(await overdue()).toBe(true);
    await t.db.update(members).set({ probationExtensionMonths: 12, probationExtendedOn: '2025-07-01' }).where(eq(members.id, target.id));
    expect(await overdue()).toBe(false);
    const detail = await t.call('GET', `/api/members/${target.id}`, { token: staff });
    expect(detail.body).toMatchObject({ probationEndsAt: '2026-07-01', probationOverdue: false });
  });

  it('转入 refuses a female ID number with 男, admission at age 10, a future 入党日期 and an early 转正; a consistent one is registered', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const [, west] = await branchIds(t);
    const file = (overrides: Record<string, unknown>) => t.call('POST', '/api/transfers', { token: staff, body: incoming(west!, overrides) });
    const female = await file({ gender: 'male' });
    expectRefused(female, 400, 'validation_failed', /性别/);
    expectRefused(await file({ category: 'probationary', joinedAt: '2001-07-16', confirmedAt: undefined }), 400, 'validation_failed', /年满18周岁/);
    expectRefused(await file({ category: 'probationary', joinedAt: '2026-06-16', confirmedAt: undefined }), 400, 'validation_failed', /入党日期不能晚于今天/);
    expectRefused(await file({ joinedAt: '2014-06-20', confirmedAt: '2014-06-21' }), 400, 'validation_failed', /最早可于 2015-06-20 转正/);
    const ok = await file({ joinedAt: '2014-06-20', confirmedAt: '2015-06-20' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('import: an early 转正 is reported with the earliest date, and a duplicate ID number together with every other defect, naming both rows', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const first = { ...person(), organizationName: '东风村党支部' };
    const rows = [
      first, // row 2
      { ...person(), organizationName: '东风村党支部', joinedAt: '2024-02-29', confirmedAt: '2024-03-01' }, // row 3
      { ...first, name: '同一人', phone: '123' }, // row 4: same ID as row 2, and a bad phone
      { ...person(), organizationName: '东风村党支部', category: 'probationary', joinedAt: '2026-06-16', confirmedAt: null }, // row 5: future
    ];
    const res = (await t.call('POST', '/api/members/import', {
      query: IMPORT_QUERY,
      token: staff,
      rawBody: await workbook(rows),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    })) as Res;
    expectRefused(res, 422, 'unprocessable');
    const issues = res.body.error!.details!.issues!;
    expect(issues.find((i) => i.row === 3 && i.column === '转正日期')?.message).toContain('最早可于 2025-02-28 转正');
    const duplicate = issues.find((i) => i.row === 4 && i.column === '身份证号');
    expect(duplicate?.message).toMatch(/第 2 行.*第 4 行/);
    expect(issues.some((i) => i.row === 4 && i.column === '联系电话')).toBe(true);
    expect(issues.some((i) => i.row === 5 && i.column === '入党日期')).toBe(true);
  });

  it('an extension on record holds on every path: a re-import with the one-year 转正 is refused, and the database refuses it too', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const keys = { encryptionKey: t.config.idEncryptionKey, hashKey: t.config.idHashKey };
    const [m] = await t.db
      .select({ member: members, branch: organizations.name })
      .from(members)
      .innerJoin(organizations, eq(organizations.id, members.organizationId))
      .where(eq(members.name, '李守仁'));
    const { member, branch } = m!;
    // 入党 1968-07-01; say the branch extended the 预备期 by 6 months and 转正 was on 1970-01-01.
    await t.db.update(members).set({ probationExtensionMonths: 6, probationExtendedOn: '1969-07-01', confirmedAt: '1970-01-01' }).where(eq(members.id, member.id));
    const row = { ...member, idNumber: openIdNumber(member.idCipher, keys), organizationName: branch, confirmedAt: '1969-07-01' };
    const res = (await t.call('POST', '/api/members/import', {
      query: IMPORT_QUERY,
      token: staff,
      rawBody: await workbook([row]),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    })) as Res;
    expectRefused(res, 422, 'unprocessable');
    expect(res.body.error!.details!.issues).toEqual([
      { row: 2, column: '转正日期', message: expect.stringMatching(/最早可于 1970-01-01 转正.*延长预备期6个月/) },
    ]);
    await expect(t.db.update(members).set({ confirmedAt: '1969-12-31' }).where(eq(members.id, member.id))).rejects.toThrow();
    const [after] = await t.db.select().from(members).where(eq(members.id, member.id));
    expect(after?.confirmedAt).toBe('1970-01-01');
  });

  it('the demo seed holds the rules: every 转正 on or after the 预备期 end, 29 February → 28 February', async () => {
    const t = ctx();
    const rows = await t.db.select().from(members);
    for (const m of rows) {
      if (m.confirmedAt) expect(m.confirmedAt >= probationEndsAt(m.joinedAt, m.probationExtensionMonths), m.name).toBe(true);
      expect(m.joinedAt <= '2026-06-15', m.name).toBe(true);
    }
    expect(rows.find((m) => m.name === '赵闰生')).toMatchObject({ joinedAt: '1996-02-29', confirmedAt: '1997-02-28' });
  });
});
