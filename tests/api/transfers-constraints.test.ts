import ExcelJS from 'exceljs';
import { count, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { auditLog, transferLetterSequences, transfers } from '../../db/schema/index.js';
import { LEDGER_COLUMNS, type TransferDetail } from '../../shared/transfers.js';
import { branchesOf } from '../helpers/townships.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError } from '../helpers/expect-error.js';
import { outBody, transferSuite } from '../helpers/transfer-suite.js';

/** One open transfer per member, letter numbers under concurrency, overdue letters, the inbox and the ledger export. */
describeEachDriver('transfers: constraints, overdue and the ledger', (c) => {
  const s = transferSuite(c);
  const { takeMember, secretaryOf, otherBranch, get, post, applyOut, snapshot } = s;

  // Constraints and concurrency

  it('a second open transfer for the same member is refused (database constraint), also with a retried key replayed', async () => {
    const person = await takeMember();
    const key = `transfer-${person.memberId}-create`;
    const first = await c().call<TransferDetail>('POST', '/api/transfers', { token: person.token, body: outBody, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const replay = await c().call<TransferDetail>('POST', '/api/transfers', { token: person.token, body: outBody, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(first.body.id);
    const second = await c().call('POST', '/api/transfers', {
      token: person.token,
      body: { kind: 'internal', toOrganizationId: otherBranch(person.organizationId), reason: 'other', duesPaidThrough: '2026-06', contactPhone: '13800138000' },
    });
    expectError(second, 409, 'conflict');
    expect(second.body.error.message).toContain('未办结');
    // Even written straight to the database, the partial unique index refuses it.
    await expect(
      c().db.insert(transfers).values({
        kind: 'out',
        state: 'pending_branch',
        memberId: person.memberId,
        memberName: 'x',
        gender: 'male',
        ethnicity: '汉族',
        category: 'full',
        idMasked: 'x',
        fromOrganizationName: 'x',
        toOrganizationName: 'y',
        scope: 'out_of_province',
        reason: 'other',
        duesPaidThrough: '2026-06',
        contactPhone: '13800138000',
        applicantAccountId: person.accountId,
        appliedOn: '2026-06-15',
      }),
    ).rejects.toThrow();
  });

  it('20 concurrent approvals of one transfer: exactly one succeeds, one letter number is used', async () => {
    const person = await takeMember();
    const t = await applyOut(person);
    await post(t.id, 'review', secretaryOf(person.organizationId), { decision: 'approve', version: 1 });
    const [seqBefore] = await c().db.select().from(transferLetterSequences).where(eq(transferLetterSequences.year, 2026));
    const results = await Promise.all(Array.from({ length: 20 }, () => post(t.id, 'approve', s.staffToken, { version: 2 })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, r.body.error.code === 'invalid_transition' ? 'invalid_transition' : 'stale_version');
    const after = await snapshot(t.id);
    expect(after).toMatchObject({ state: 'letter_issued', version: 3, events: 3 });
    const [seqAfter] = await c().db.select().from(transferLetterSequences).where(eq(transferLetterSequences.year, 2026));
    expect((seqAfter?.lastNumber ?? 0) - (seqBefore?.lastNumber ?? 0)).toBe(1);
    expect(after.letterNumber).toBe(`2026-${String(seqAfter?.lastNumber).padStart(4, '0')}`);
  });

  // On PGlite (one connection) the 20 requests queue up; on PostgreSQL they really race.
  it('20 concurrent letter issues get 20 distinct, consecutive numbers', async () => {
    const person = await takeMember();
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [row] = await c()
        .db.insert(transfers)
        .values({
          kind: 'out',
          state: 'pending_committee',
          version: 2,
          memberId: null, // only the numbering is under test; no member may hold two open transfers
          memberName: `并发测试${i}`,
          gender: 'male',
          ethnicity: '汉族',
          category: 'full',
          idMasked: '4105**********0011',
          fromOrganizationId: person.organizationId,
          fromOrganizationName: '测试支部',
          toOrganizationName: '外地党组织',
          letterAddressee: '外地党委',
          scope: 'out_of_province',
          reason: 'job',
          duesPaidThrough: '2026-06',
          contactPhone: '13800138000',
          applicantAccountId: person.accountId,
          appliedOn: '2026-06-15',
        })
        .returning({ id: transfers.id });
      ids.push(row?.id as number);
    }
    const [seqBefore] = await c().db.select().from(transferLetterSequences).where(eq(transferLetterSequences.year, 2026));
    const results = await Promise.all(ids.map((id) => post(id, 'approve', s.staffToken, { version: 2 })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const numbers = results.map((r) => Number((r.body.letterNumber as string).slice(5))).sort((a, b) => a - b);
    const start = (seqBefore?.lastNumber ?? 0) + 1;
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => start + i));
  });

  // -------------------------------------------------------------------------
  // Overdue, inbox, ledger

  it('the seeded overdue letter comes first in the ledger, and a new one turns overdue when the clock passes expiry', async () => {
    const ledger = await c().call<{ transfers: { id: number; overdue: { letterExpired: boolean } }[]; counts: { overdue: number } }>('GET', '/api/transfers', {
      token: s.staffToken,
      query: { view: 'all', year: 2026 },
    });
    expect(ledger.status).toBe(200);
    expect(ledger.body.transfers[0]?.overdue.letterExpired).toBe(true);
    const overdueBefore = ledger.body.counts.overdue;
    expect(overdueBefore).toBeGreaterThanOrEqual(1);

    const person = await takeMember();
    const t = await applyOut(person, { scope: 'in_county' });
    await post(t.id, 'review', secretaryOf(person.organizationId), { decision: 'approve', version: 1 });
    const approved = await post(t.id, 'approve', s.staffToken, { version: 2, validityDays: 15 });
    expect(approved.body).toMatchObject({ validityDays: 15, letterExpiresOn: '2026-06-30' });
    const letter = await c().call('GET', `/api/transfers/${t.id}/letter`, { token: s.staffToken });
    expect(letter.body.validityDaysCapital).toBe('壹拾伍');
    expectError(await post(t.id, 'approve', s.staffToken, { version: 3, validityDays: 91 }), 400, 'validation_failed');
    try {
      // Sessions last 72 hours: sign in again on each day the clock is moved to.
      const at = async (instant: string, role: 'staff' | 'member') => {
        c().clock.set(new Date(instant));
        return role === 'staff' ? c().login('staff') : c().login('member', person.accountId);
      };
      expect((await get(t.id, await at('2026-06-30T12:00:00+08:00', 'staff'))).body.overdue).toEqual({ letterExpired: false, receiptOverdue: false });
      expect((await get(t.id, await at('2026-07-01T09:00:00+08:00', 'staff'))).body.overdue).toEqual({ letterExpired: true, receiptOverdue: false });
      expect((await get(t.id, await at('2026-07-16T09:00:00+08:00', 'member'))).body.overdue).toEqual({ letterExpired: true, receiptOverdue: true });
      const late = await c().call<{ transfers: { id: number }[]; counts: { overdue: number } }>('GET', '/api/transfers', {
        token: await c().login('staff'),
        query: { view: 'all', overdueOnly: '1' },
      });
      expect(late.body.transfers.map((x) => x.id)).toContain(t.id);
      expect(late.body.counts.overdue).toBeGreaterThan(overdueBefore);
      expect(late.body.counts.overdue).toBe(late.body.transfers.length);
    } finally {
      c().clock.set(new Date('2026-06-15T10:00:00+08:00'));
    }
  });

  it('the officer inbox shows what waits for them, with counts, in at most 2 statements', async () => {
    const person = await takeMember();
    const t = await applyOut(person);
    const secretary = secretaryOf(person.organizationId);
    const { result, statements } = await statementCounter.measure(() =>
      c().call<{ transfers: { id: number; state: string }[]; counts: { awaitingMe: number; byState: Record<string, number> } }>('GET', '/api/transfers', {
        token: secretary,
        query: { view: 'inbox' },
      }),
    );
    expect(result.status).toBe(200);
    expect(statements).toBeLessThanOrEqual(2);
    expect(result.body.transfers.map((x) => x.id)).toContain(t.id);
    expect(result.body.transfers.every((x) => ['pending_branch', 'pending_receiving_branch', 'awaiting_report'].includes(x.state))).toBe(true);
    expect(result.body.counts.awaitingMe).toBe(result.body.transfers.length);

    const staffInbox = await statementCounter.measure(() =>
      c().call<{ transfers: { state: string }[]; counts: { awaitingMe: number; byState: Record<string, number> } }>('GET', '/api/transfers', {
        token: s.staffToken,
        query: { view: 'inbox' },
      }),
    );
    expect(staffInbox.statements).toBeLessThanOrEqual(2);
    expect(staffInbox.result.body.transfers.every((x) => ['pending_committee', 'letter_issued', 'awaiting_report'].includes(x.state))).toBe(true);
    expect(staffInbox.result.body.counts.byState.pending_committee).toBeGreaterThanOrEqual(1);
    // Members have no inbox.
    expectError(await c().call('GET', '/api/transfers', { token: person.token, query: { view: 'inbox' } }), 403, 'forbidden');
    const mine = await c().call<{ transfers: { id: number }[] }>('GET', '/api/transfers', { token: person.token });
    expect(mine.body.transfers.map((x) => x.id)).toEqual([t.id]);
  });

  it('exports the year’s ledger as xlsx with the county’s columns; staff only', async () => {
    expectError(await c().call('GET', '/api/transfers/ledger', { token: secretaryOf(s.branches[0] as number), query: { year: 2026 } }), 403, 'forbidden');
    const res = await c().call('GET', '/api/transfers/ledger', { token: s.staffToken, query: { year: 2026, format: 'xlsx' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(res.bytes) as unknown as ArrayBuffer);
    // Two sheets: the letters of 2026 by number, then the transfers without a letter (by filing date).
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['2026年已开具介绍信', '2026年未开具介绍信、转入及镇内转接']);
    const [{ n } = { n: 0 }] = await c()
      .db.select({ n: count() })
      .from(transfers)
      .where(
        // The staff's ledger is their township's (A): transfers from or to one of its s.branches.
        sql`coalesce(${transfers.letterYear}, extract(year from ${transfers.appliedOn})::int) = 2026
          and coalesce(${transfers.fromOrganizationId}, ${transfers.toOrganizationId}) in ${sql.raw(`(${(await branchesOf(c().db, 'A')).join(', ')})`)}`,
      );
    const sheets = workbook.worksheets.map((sheet) => {
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual([...LEDGER_COLUMNS]);
      const sheetRows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => (sheet.getRow(i + 2).values as unknown[]).slice(1));
      expect(sheetRows.map((r) => r[0])).toEqual(sheetRows.map((_, i) => i + 1));
      return sheetRows;
    });
    const [letters = [], others = []] = sheets;
    expect(letters.length + others.length).toBe(n);
    expect(letters.every((r) => /^2026-\d{4}$/.test(String(r[8])))).toBe(true);
    const numbers = letters.map((r) => String(r[8]));
    expect(numbers).toEqual([...numbers].sort());
    const rows = [...letters, ...others];
    // The seeded, completed 转出 to Zhengzhou: letter number, dates, state and handler all there.
    const done = rows.find((r) => r[6] === '郑州市金水区文化路街道党工委' && r[12] === '已完成' && r[13]);
    expect(done).toBeDefined();
    expect(done?.[8]).toMatch(/^2026-\d{4}$/);
    expect(done?.[10]).toBe('30天');
    // 回执日期 is a date cell (sortable in Excel), on a 2026 calendar day.
    expect(done?.[11]).toBeInstanceOf(Date);
    expect((done?.[11] as Date).toISOString()).toMatch(/^2026-\d{2}-\d{2}T00:00:00/);
    expect(rows.some((r) => String(r[12]).includes('逾期') || String(r[12]).includes('过期'))).toBe(true);
    expect(rows.some((r) => r[14] === '转入' && r[5] === '向阳村党支部')).toBe(true);
    const [audit] = await c().db.select().from(auditLog).where(eq(auditLog.action, 'transfer.ledger_export'));
    expect(audit?.details).toMatchObject({ year: 2026 });
  });
});
