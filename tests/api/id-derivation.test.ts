/**
 * A secretary cannot derive a member's full ID number (issue 13.2). Everything
 * a branch secretary can read about a person — the roster list, the member
 * detail, the registrations to review, the roster export, transfers, their
 * timelines and the letter — is collected, and the numbers consistent with all
 * of it are counted by brute force over the hidden characters with the GB 11643
 * check character computed here (independently of the app's masking code).
 * Even granting the reader the county code (characters 1–6), at least 1,000
 * numbers must remain for every person. The readable text must not contain the
 * birth date's day either.
 */
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { openIdNumber } from '../../db/pii.js';
import { accounts, members, registrations, transfers } from '../../db/schema/index.js';
import { describeEachDriver, type TestContext } from '../helpers/harness.js';
import { consentingApplicant } from '../helpers/privacy.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const checkOf = (first17: string) => CHECK[[...first17].reduce((sum, d, i) => sum + Number(d) * WEIGHTS[i]!, 0) % 11]!;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

interface Knowledge {
  truth: string;
  masks: Set<string>;
  birthMonths: Set<string>;
  genders: Set<string>;
  texts: string[];
}

/**
 * Numbers consistent with what was read: the first six characters as in the
 * truth (the reader is granted the county), every character any mask showed,
 * a real date in the shown birth month, the 17th digit's parity for the gender,
 * and the check character.
 */
function candidates(k: Knowledge): number {
  const shown = new Map<number, string>();
  for (const mask of k.masks) {
    expect(mask).toHaveLength(18);
    [...mask].forEach((c, i) => c !== '*' && shown.set(i, c));
  }
  for (const [i, c] of shown) expect(c, `a mask shows what the number has at ${i} (${[...k.masks].join(', ')} for ${k.truth})`).toBe(k.truth[i]);
  expect(k.birthMonths.size, 'every view shows the same birth month').toBeLessThanOrEqual(1);
  const [month] = [...k.birthMonths];
  const region = k.truth.slice(0, 6);
  const fits = (id: string) => {
    for (const [i, c] of shown) if (id[i] !== c) return false;
    return true;
  };
  expect(fits(k.truth) && checkOf(k.truth.slice(0, 17)) === k.truth[17], 'the real number is consistent with what was read').toBe(true);
  // Counting stops well past the bound (a person shown without a birth month has millions).
  const enough = 100_000;
  let count = 0;
  const years = month ? [Number(month.slice(0, 4))] : Array.from({ length: 100 }, (_, i) => 1920 + i);
  for (const year of years) {
    for (let mo = 1; mo <= 12; mo++) {
      if (month && mo !== Number(month.slice(5, 7))) continue;
      for (let day = 1; day <= daysIn(year, mo); day++) {
        const date = `${year}${String(mo).padStart(2, '0')}${String(day).padStart(2, '0')}`;
        for (let seq = 0; seq < 1000; seq++) {
          const first17 = `${region}${date}${String(seq).padStart(3, '0')}`;
          if (k.genders.has('male') && seq % 2 === 0) continue;
          if (k.genders.has('female') && seq % 2 === 1) continue;
          if (fits(first17 + checkOf(first17))) count++;
        }
        if (count >= enough) return count;
      }
    }
  }
  return count;
}

async function sheetText(bytes: Uint8Array): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString() : String(v ?? '')))));
  return rows;
}

async function secretaryReads(t: TestContext, token: string) {
  const keys = { encryptionKey: t.config.idEncryptionKey, hashKey: t.config.idHashKey };
  const people = new Map<string, Knowledge>();
  const person = (key: string, truth: string) => {
    if (!people.has(key)) people.set(key, { truth, masks: new Set(), birthMonths: new Set(), genders: new Set(), texts: [] });
    return people.get(key)!;
  };
  const memberTruth = async (id: number) => {
    const [m] = await t.db.select().from(members).where(eq(members.id, id));
    return { truth: openIdNumber(m!.idCipher, keys), birthDate: m!.birthDate };
  };
  const birthDates = new Map<string, string>();
  const readMember = async (key: string, memberId: number, view: Record<string, unknown>) => {
    const { truth, birthDate } = await memberTruth(memberId);
    birthDates.set(key, birthDate);
    const k = person(key, truth);
    if (typeof view.idNumberMasked === 'string') k.masks.add(view.idNumberMasked);
    if (typeof view.birthMonth === 'string') k.birthMonths.add(view.birthMonth);
    if (typeof view.gender === 'string') k.genders.add(view.gender);
    k.texts.push(JSON.stringify(view));
  };

  const list = await t.call('GET', '/api/members', { token, query: { pageSize: 100 } });
  expect(list.status).toBe(200);
  for (const item of list.body.items as { id: number }[]) {
    await readMember(`member:${item.id}`, item.id, item as unknown as Record<string, unknown>);
    const detail = await t.call('GET', `/api/members/${item.id}`, { token });
    expect(detail.status).toBe(200);
    await readMember(`member:${item.id}`, item.id, detail.body);
  }
  // The roster export: the same people, by name and masked number.
  const exported = await t.call('GET', '/api/members/export', { token });
  expect(exported.status).toBe(200);
  const [header, ...rows] = await sheetText(exported.bytes);
  const col = (name: string) => header!.indexOf(name);
  for (const row of rows) {
    const named = (list.body.items as { id: number; name: string }[]).filter((i) => i.name === row[col('姓名')]);
    if (named.length !== 1) continue; // two people of one name: the row cannot be told apart by name
    const item = named[0]!;
    const k = people.get(`member:${item.id}`)!;
    k.masks.add(row[col('身份证号')]!);
    k.birthMonths.add(row[col('出生日期')]!);
    k.texts.push(row.join('|'));
  }
  // Transfers, their timelines and letters.
  const transferList = await t.call('GET', '/api/transfers', { token, query: { view: 'all' } });
  expect(transferList.status).toBe(200);
  for (const summary of transferList.body.transfers as { id: number; memberId: number | null }[]) {
    const [row] = await t.db.select().from(transfers).where(eq(transfers.id, summary.id));
    const key = summary.memberId != null ? `member:${summary.memberId}` : `transfer:${summary.id}`;
    const truth = row!.idCipher ? openIdNumber(row!.idCipher, keys) : (await memberTruth(summary.memberId!)).truth;
    const k = person(key, truth);
    if (row!.incomingPerson) birthDates.set(key, row!.incomingPerson.birthDate);
    else if (summary.memberId != null) birthDates.set(key, (await memberTruth(summary.memberId)).birthDate);
    for (const path of [`/api/transfers/${summary.id}`, `/api/transfers/${summary.id}/letter`]) {
      const res = await t.call('GET', path, { token });
      if (res.status !== 200) continue;
      k.masks.add(res.body.idNumberMasked);
      k.genders.add(res.body.gender);
      k.texts.push(JSON.stringify(res.body));
    }
    k.masks.add((summary as unknown as { idNumberMasked: string }).idNumberMasked);
  }
  // Registrations to review, whatever their status.
  for (const status of ['pending', 'approved', 'rejected']) {
    const res = await t.call('GET', '/api/registrations', { token, query: { status } });
    expect(res.status).toBe(200);
    for (const r of res.body.items as { id: number; idNumberMasked: string; birthMonth: string; gender: string }[]) {
      const [row] = await t.db.select().from(registrations).where(eq(registrations.id, r.id));
      const k = person(`registration:${r.id}`, openIdNumber(row!.idCipher, keys));
      birthDates.set(`registration:${r.id}`, row!.birthDate);
      k.masks.add(r.idNumberMasked);
      k.birthMonths.add(r.birthMonth);
      k.genders.add(r.gender);
      k.texts.push(JSON.stringify(r));
    }
  }
  return { people, birthDates };
}

describeEachDriver('a secretary cannot derive an ID number from what they can read', (ctx) => {
  it('at least 1,000 numbers stay consistent with everything a secretary reads, for every person, in every branch', async () => {
    const t = ctx();
    // A pending registration in each branch, so the review view is read too.
    const secretaries = await t.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.isDemo, 1)));
    expect(secretaries.length).toBeGreaterThan(0);
    for (const [i, s] of secretaries.entries()) {
      const birthDate = `1979-0${(i % 9) + 1}-1${i % 10}`;
      const first17 = `130102${birthDate.replaceAll('-', '')}${String(100 + i * 2 + 1)}`;
      const res = await t.call('POST', '/api/registrations', {
        token: await consentingApplicant(t),
        body: {
          name: `推算测试${i}`, gender: 'male', ethnicity: '汉族', birthDate, idNumber: first17 + checkOf(first17), phone: '13912345678',
          organizationId: s.organizationId, category: 'full', joinedAt: '2005-07-01', confirmedAt: '2006-07-01',
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const counts: number[] = [];
    const kinds = new Set<string>();
    for (const s of secretaries) {
      const token = await t.login('secretary', s.id);
      const { people, birthDates } = await secretaryReads(t, token);
      for (const [key, k] of people) {
        const n = candidates(k);
        expect(n, `${key}: ${[...k.masks].join(', ')} ${[...k.birthMonths].join(', ')}`).toBeGreaterThanOrEqual(1000);
        counts.push(n);
        kinds.add(key.split(':')[0]!);
        // The day of birth appears nowhere the secretary reads.
        const birth = birthDates.get(key);
        if (birth) {
          const text = k.texts.join('\n');
          expect(text, key).not.toContain(birth);
          expect(text, key).not.toContain(birth.replaceAll('-', ''));
        }
      }
    }
    // Members (list, detail, export, their transfers and letters) and registrations were all read.
    expect(kinds.has('member') && kinds.has('registration')).toBe(true);
    console.log(`[${t.driver}] ID candidates per person: ${counts.length} people, fewest ${Math.min(...counts)}`);
  }, 120_000);
});
