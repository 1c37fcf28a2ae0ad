/**
 * 县内跨镇转接: one record walked through both committees (township A files, reviews, approves and numbers the
 * letter; township B receives the member and records the 回执), who may see and act on it, retries and the race
 * on receiving.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { addDays } from '../../shared/calendar.js';
import { beforeAll, expect, it } from 'vitest';
import { accounts, auditLog, members, transferLetterSequences, transfers } from '../../db/schema/index.js';
import type { TransferDetail } from '../../shared/transfers.js';
import { describeEachDriver } from '../helpers/harness.js';
import { newMember } from '../helpers/new-member.js';
import { accountIn, branchesOf, secretaryToken, townshipId } from '../helpers/townships.js';

type Answer = TransferDetail & { error: { code: string; message: string }; transfers: TransferDetail[] };

const filing = (toOrganizationId: number) => ({ kind: 'cross_township', toOrganizationId, reason: 'relocation', duesPaidThrough: '2026-06', contactPhone: '13800138000' });

describeEachDriver('县内跨镇转接 (one transfer, two townships)', (c, driver) => {
  const t: Record<string, string> = {};
  let twpA = 0;
  let twpB = 0;
  let fromBranch = 0;
  let toBranch = 0;
  let otherBBranch = 0;
  let seq = 0;

  beforeAll(async () => {
    const ctx = c();
    [twpA, twpB] = [await townshipId(ctx.db, 'A'), await townshipId(ctx.db, 'B')];
    [fromBranch] = (await branchesOf(ctx.db, 'A')) as [number];
    [toBranch, otherBBranch] = (await branchesOf(ctx.db, 'B')) as [number, number];
    t.staffA = await ctx.login('staff', await accountIn(ctx.db, 'staff', twpA));
    t.staffB = await ctx.login('staff', await accountIn(ctx.db, 'staff', twpB));
    t.secA = await secretaryToken(ctx, fromBranch);
    t.secB = await secretaryToken(ctx, toBranch);
    t.otherSecB = await secretaryToken(ctx, otherBBranch);
    t.county = await ctx.login('county');
    // Township C, created by the county as in the app, with a staff account of its own.
    const made = await ctx.call<{ township: { id: number } }>('POST', '/api/county/townships', { token: t.county, body: { name: '丙村乡党委' }, headers: { 'idempotency-key': randomUUID() } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const [staffC] = await ctx.db.insert(accounts).values({ openid: `c-${randomUUID()}`, role: 'staff', organizationId: made.body.township.id, displayName: '丙村乡干部', isDemo: 1 }).returning();
    t.staffC = await ctx.login('staff', staffC!.id);
  });

  /** A new member of a branch (township A's first by default) with an account and a token. */
  async function freshMember(branchId = fromBranch) {
    const n = seq++;
    const { memberId, accountId, token } = await newMember(c(), {
      branchId,
      name: `跨镇党员${n}`,
      birthDate: addDays('1975-01-01', n * 3 + (driver === 'neon' ? 1 : 0)),
      idSerial: n,
      area: '410702',
      phone: 7000 + n,
      joinedAt: '2010-03-01',
      confirmedAt: '2011-03-01',
      openid: 'cross',
    });
    return { memberId, accountId, token };
  }
  const memberOfA = () => freshMember();

  const call = (method: string, path: string, token: string, body?: unknown, key?: string) =>
    c().call<Answer>(method, path, { token, body, headers: key ? { 'idempotency-key': key } : {} });
  const step = (id: number, action: string, token: string, body: Record<string, unknown>, key?: string) => call('POST', `/api/transfers/${id}/${action}`, token, body, key);

  async function lettered() {
    const person = await memberOfA();
    const filed = await call('POST', '/api/transfers', person.token, filing(toBranch));
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const reviewed = await step(filed.body.id, 'review', t.secA!, { decision: 'approve', version: 1 });
    const approved = await step(filed.body.id, 'approve', t.staffA!, { version: reviewed.body.version });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    return { person, transfer: approved.body };
  }

  it('walks through both committees: A files, reviews, approves and numbers the letter; B receives and the member is on B’s roster', async () => {
    const person = await memberOfA();
    const filed = await call('POST', '/api/transfers', person.token, filing(toBranch));
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ kind: 'cross_township', state: 'pending_branch', scope: 'in_county', toOrganizationId: toBranch });
    const id = filed.body.id;
    // B sees it from the start but has nothing to do until the letter is out.
    expect((await call('GET', `/api/transfers/${id}`, t.staffB!)).body.actions).toEqual([]);
    expect((await step(id, 'review', t.secB!, { decision: 'approve', version: 1 })).status).toBe(403);
    const reviewed = await step(id, 'review', t.secA!, { decision: 'approve', version: 1 });
    expect(reviewed.body.state).toBe('pending_committee');
    expect((await step(id, 'approve', t.staffB!, { version: 2 })).status).toBe(403);
    const approved = await step(id, 'approve', t.staffA!, { version: 2 });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ state: 'letter_issued', letterNumber: expect.stringMatching(/^2026-\d{4}$/) });
    const letter = await call('GET', `/api/transfers/${id}/letter`, t.staffB!);
    expect(letter.body).toMatchObject({ letterAddressee: '柳林乡党委', townshipName: '红旗镇党委' });

    // B's inbox (staff and the receiving secretary) holds it now; A's staff have nothing left to do on it.
    for (const token of [t.staffB!, t.secB!]) {
      const inbox = await call('GET', '/api/transfers?view=inbox', token);
      expect(inbox.body.transfers.map((x) => x.id)).toContain(id);
      expect((await call('GET', `/api/transfers/${id}`, token)).body.actions).toContain('receive');
    }
    expect((await call('GET', '/api/transfers?view=inbox', t.staffA!)).body.transfers.map((x) => x.id)).not.toContain(id);
    expect((await step(id, 'receive', t.staffA!, { version: 3 })).status).toBe(403);

    const received = await step(id, 'receive', t.secB!, { version: 3, comment: '已到支部' });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body).toMatchObject({ state: 'completed', receiptReceivedOn: '2026-06-15', completedOn: '2026-06-15' });
    const [row] = await c().db.select().from(members).where(eq(members.id, person.memberId));
    expect(row).toMatchObject({ organizationId: toBranch, status: 'active' });
    const audits = await c().db.select().from(auditLog).where(and(eq(auditLog.targetType, 'member'), eq(auditLog.targetId, String(person.memberId))));
    expect(audits.map((a) => a.action)).toContain('member.transfer_received');
    // The member is B's now: B's staff find them on the roster, A's do not.
    expect((await call('GET', `/api/members/${person.memberId}`, t.staffB!)).status).toBe(200);
    expect((await call('GET', `/api/members/${person.memberId}`, t.staffA!)).status).toBe(404);
  });

  it('letter numbers run per township and year: both townships start at 0001 and A’s counter is A’s alone', async () => {
    const [{ transfer: first }, { transfer: second }] = [await lettered(), await lettered()];
    const n = (x: string | null) => Number(x?.slice(5));
    expect(n(second.letterNumber)).toBe(n(first.letterNumber) + 1);
    // Township B numbers its own letter (to outside the county) from 0001, beside A's numbers.
    const bMember = await freshMember(otherBBranch);
    const out = await call('POST', '/api/transfers', t.staffB!, { kind: 'out', memberId: bMember.memberId, toOrganizationName: '外县某镇党委', letterAddressee: '中共外县某镇委员会', scope: 'in_province', reason: 'job', duesPaidThrough: '2026-06', contactPhone: '13800138000' });
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    const bReviewed = await step(out.body.id, 'review', t.otherSecB!, { decision: 'approve', version: 1 });
    expect(bReviewed.status, JSON.stringify(bReviewed.body)).toBe(200);
    const bApproved = await step(out.body.id, 'approve', t.staffB!, { version: bReviewed.body.version });
    expect(bApproved.status, JSON.stringify(bApproved.body)).toBe(200);
    expect(bApproved.body.letterNumber).toBe('2026-0001');
    const counters = await c().db.select().from(transferLetterSequences).where(eq(transferLetterSequences.year, 2026));
    expect(counters.find((r) => r.townshipId === twpB)?.lastNumber).toBe(1);
    expect(counters.find((r) => r.townshipId === twpA)?.lastNumber).toBe(n(second.letterNumber));
  });

  it('both ledgers show it: A among its letters with its number, B as a transfer in (县内跨镇转入)', async () => {
    const { transfer } = await lettered();
    const received = await step(transfer.id, 'receive', t.staffB!, { version: transfer.version });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    const listA = await call('GET', '/api/transfers?view=all&year=2026', t.staffA!);
    const listB = await call('GET', '/api/transfers?view=all&year=2026', t.staffB!);
    expect(listA.body.transfers.find((x) => x.id === transfer.id)?.ledger).toEqual({ year: 2026, section: 'letters' });
    expect(listB.body.transfers.find((x) => x.id === transfer.id)?.ledger).toEqual({ year: 2026, section: 'unlettered' });
    const sheetRow = async (token: string, sheetIndex: number) => {
      const res = await c().call('GET', '/api/transfers/ledger', { token, query: { year: '2026' } });
      expect(res.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.bytes as unknown as ArrayBuffer);
      const rows: unknown[][] = [];
      book.worksheets[sheetIndex]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      return rows.find((r) => r.includes(transfer.letterNumber) && r.includes(transfer.memberName));
    };
    const inA = await sheetRow(t.staffA!, 0);
    expect(inA).toEqual(expect.arrayContaining([transfer.fromOrganizationName, transfer.toOrganizationName, '县内跨镇转出']));
    expect(inA!.indexOf(transfer.fromOrganizationName)).toBeLessThan(inA!.indexOf(transfer.toOrganizationName));
    const inB = await sheetRow(t.staffB!, 1);
    expect(inB).toEqual(expect.arrayContaining([transfer.toOrganizationName, transfer.fromOrganizationName, '县内跨镇转入']));
    expect(inB!.indexOf(transfer.toOrganizationName)).toBeLessThan(inB!.indexOf(transfer.fromOrganizationName));
  });

  it('township C, B’s unrelated secretary and A’s other callers see nothing of it; county staff read it and write nothing', async () => {
    const { transfer } = await lettered();
    const id = transfer.id;
    for (const token of [t.staffC!, t.otherSecB!]) {
      expect((await call('GET', `/api/transfers/${id}`, token)).status).toBe(404);
      expect((await step(id, 'receive', token, { version: transfer.version })).status).toBe(404);
      expect((await call('GET', '/api/transfers?view=all', token)).body.transfers.map((x) => x.id)).not.toContain(id);
    }
    expect((await call('GET', `/api/transfers/${id}`, t.county!)).status).toBe(200);
    for (const [action, body] of [['receive', {}], ['reject', { reason: '不接收' }], ['receipt', {}]] as const) {
      expect((await step(id, action, t.county!, { version: transfer.version, ...body })).status).toBe(403);
    }
    // B sees only A's transfers that come to B: none of A's others.
    const seenByB = (await call('GET', '/api/transfers?view=all', t.staffB!)).body.transfers;
    expect(seenByB.filter((x) => x.fromOrganizationId != null && x.kind !== 'cross_township' && x.toOrganizationId !== toBranch && x.fromOrganizationId === fromBranch)).toEqual([]);
    // B may not print A's letter (the full ID number); an outside letter's 回执 is no step of this kind (A's staff neither).
    expect((await c().call('POST', `/api/transfers/${id}/letter/print`, { token: t.staffB! })).status).toBe(403);
    for (const token of [t.staffA!, t.staffB!]) {
      const receipt = await step(id, 'receipt', token, { version: transfer.version });
      expect(receipt.status).toBe(409);
      expect(receipt.body.error.code).toBe('invalid_transition');
    }
    const [row] = await c().db.select().from(transfers).where(eq(transfers.id, id));
    expect(row).toMatchObject({ state: 'letter_issued', version: transfer.version });
  });

  it('filing refuses a branch of the same township or outside the county', async () => {
    const person = await memberOfA();
    const [sameTownship] = (await branchesOf(c().db, 'A')).slice(1) as [number];
    const same = await call('POST', '/api/transfers', person.token, filing(sameTownship));
    expect(same.status).toBe(400);
    expect(same.body.error.message).toContain('镇内换支部');
    const notABranch = await call('POST', '/api/transfers', person.token, filing(twpB));
    expect(notABranch.status).toBe(400);
  });

  it('every step retried with its key answers the same and acts once', async () => {
    const person = await memberOfA();
    const fileKey = randomUUID();
    const [f1, f2] = [await call('POST', '/api/transfers', person.token, filing(toBranch), fileKey), await call('POST', '/api/transfers', person.token, filing(toBranch), fileKey)];
    expect(f2.body.id).toBe(f1.body.id);
    const id = f1.body.id;
    const steps: [string, string, Record<string, unknown>][] = [
      ['review', t.secA!, { decision: 'approve', version: 1 }],
      ['approve', t.staffA!, { version: 2 }],
      ['receive', t.secB!, { version: 3 }],
    ];
    for (const [action, token, body] of steps) {
      const key = randomUUID();
      const first = await step(id, action, token, body, key);
      const again = await step(id, action, token, body, key);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
    }
    const [row] = await c().db.select().from(transfers).where(eq(transfers.id, id));
    expect(row).toMatchObject({ state: 'completed', version: 4 });
    const [m] = await c().db.select().from(members).where(eq(members.id, person.memberId));
    expect(m!.organizationId).toBe(toBranch);
  });

  it.runIf(driver === 'neon')('10 parallel receives: one moves the member, the others answer 409 and change nothing', async () => {
    const { person, transfer } = await lettered();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => step(transfer.id, 'receive', i % 2 ? t.staffB! : t.secB!, { version: transfer.version })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.status).toBe(409);
    const [row] = await c().db.select().from(transfers).where(eq(transfers.id, transfer.id));
    expect(row).toMatchObject({ state: 'completed', version: transfer.version + 1 });
    const moves = await c().db.select().from(auditLog).where(and(eq(auditLog.action, 'member.transfer_received'), eq(auditLog.targetId, String(person.memberId))));
    expect(moves).toHaveLength(1);
    const [m] = await c().db.select().from(members).where(eq(members.id, person.memberId));
    expect(m).toMatchObject({ organizationId: toBranch, version: expect.any(Number) });
  });
});
