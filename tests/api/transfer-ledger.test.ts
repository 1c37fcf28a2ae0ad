/** 台账跟着介绍信走: a letter belongs to the year of its number; the rest to the year filed, in their own section. */
import ExcelJS from 'exceljs';
import { and, asc, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { accounts, members } from '../../db/schema/index.js';
import { LEDGER_COLUMNS } from '../../shared/transfers.js';
import { describeEachDriver } from '../helpers/harness.js';
import { outBody as transferOut } from '../helpers/transfer-bodies.js';

/** The transfers suites' application, filed on 2028-12-30: dues paid through that month. */
const outBody = { ...transferOut, duesPaidThrough: '2028-12' } as const;

interface Row {
  id: number;
  letterNumber: string | null;
  ledger: { year: number; section: string };
}

describeEachDriver('transfer ledger by letter year', (ctx) => {
  const c = () => ctx();
  let lettered = 0;
  let unlettered = 0;
  let staff = '';

  async function ledgerSheets(year: number) {
    const res = await c().call('GET', '/api/transfers/ledger', { token: staff, query: { year } });
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(res.bytes) as unknown as ArrayBuffer);
    return workbook.worksheets.map((s) => ({
      name: s.name,
      header: (s.getRow(1).values as unknown[]).slice(1),
      rows: Array.from({ length: s.rowCount - 1 }, (_, i) => (s.getRow(i + 2).values as unknown[]).slice(1)),
    }));
  }

  it('a transfer filed on 2028-12-30 and lettered on 2029-01-02 gets letter 2029-0001', async () => {
    c().clock.set(new Date('2028-12-30T10:00:00+08:00'));
    const people = await c()
      .db.select({ accountId: accounts.id, organizationId: members.organizationId })
      .from(members)
      .innerJoin(accounts, eq(accounts.memberId, members.id))
      .where(and(eq(accounts.role, 'member'), eq(members.status, 'active'), sql`not exists (select 1 from transfers t where t.member_id = ${members.id})`))
      .orderBy(asc(members.id))
      .limit(2);
    const [a, b] = people;
    const fileOut = async (accountId: number) => {
      const res = await c().call('POST', '/api/transfers', { token: await c().login('member', accountId), body: outBody });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: number; version: number };
    };
    const first = await fileOut(a!.accountId);
    unlettered = (await fileOut(b!.accountId)).id;
    const [secretary] = await c().db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.organizationId, a!.organizationId)));
    const reviewed = await c().call('POST', `/api/transfers/${first.id}/review`, { token: await c().login('secretary', secretary!.id), body: { decision: 'approve', version: 1 } });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);

    c().clock.set(new Date('2029-01-02T09:00:00+08:00'));
    staff = await c().login('staff');
    const approved = await c().call('POST', `/api/transfers/${first.id}/approve`, { token: staff, body: { version: 2 } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ letterNumber: '2029-0001', appliedOn: '2028-12-30', ledger: { year: 2029, section: 'letters' } });
    lettered = first.id;
  });

  it('the 2029 ledger lists it among the letters; the 2028 ledger does not, and lists the unlettered one in its own section', async () => {
    const list = async (year: number) =>
      (await c().call<{ transfers: Row[] }>('GET', '/api/transfers', { token: staff, query: { view: 'all', year } })).body.transfers;
    const y2029 = await list(2029);
    expect(y2029.find((t) => t.id === lettered)).toMatchObject({ letterNumber: '2029-0001', ledger: { year: 2029, section: 'letters' } });
    expect(y2029.some((t) => t.id === unlettered)).toBe(false);
    const y2028 = await list(2028);
    expect(y2028.some((t) => t.id === lettered)).toBe(false);
    expect(y2028.find((t) => t.id === unlettered)).toMatchObject({ letterNumber: null, ledger: { year: 2028, section: 'unlettered' } });
    // Every row of a year's list is placed in that year.
    expect(y2028.every((t) => t.ledger.year === 2028) && y2029.every((t) => t.ledger.year === 2029)).toBe(true);
  });

  it('the export has the same split: the 2029 letters sheet starts at 2029-0001; the 2028 workbook has the unlettered one in its own sheet', async () => {
    const y2029 = await ledgerSheets(2029);
    expect(y2029.map((s) => s.name)).toEqual(['2029年已开具介绍信', '2029年未开具介绍信、转入及镇内转接']);
    for (const s of y2029) expect(s.header).toEqual([...LEDGER_COLUMNS]);
    expect(y2029[0]!.rows[0]?.[8]).toBe('2029-0001');
    expect(y2029[1]!.rows).toHaveLength(0);

    const y2028 = await ledgerSheets(2028);
    expect(y2028[0]!.rows.some((r) => r[8] === '2029-0001')).toBe(false);
    expect(y2028[0]!.rows).toHaveLength(0);
    expect(y2028[1]!.rows).toHaveLength(1);
    expect(y2028[1]!.rows[0]?.[12]).toBe('待支部审核');
    c().clock.set(new Date('2026-06-15T10:00:00+08:00'));
  });
});
