import ExcelJS from 'exceljs';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { statementCounter } from '../../db/client.js';
import { openIdNumber } from '../../db/pii.js';
import { accounts, auditLog, members, organizations, transferEvents, transferLetterSequences, transfers } from '../../db/schema/index.js';
import { LEDGER_COLUMNS, type TransferDetail, type TransferState } from '../../shared/transfers.js';
import { branchesOf } from '../helpers/townships.js';
import { describeEachDriver } from '../helpers/harness.js';

const expectError = (res: { status: number; body: unknown }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
};

interface Person {
  memberId: number;
  accountId: number;
  organizationId: number;
  token: string;
}

const outBody = {
  kind: 'out',
  toOrganizationName: '郑州市金水区文化路街道党工委',
  letterAddressee: '中共郑州市金水区文化路街道工作委员会',
  scope: 'in_province',
  reason: 'job',
  duesPaidThrough: '2026-06',
  contactPhone: '13800138000',
} as const;

describeEachDriver('transfers', (c) => {
  let branches: number[] = [];
  let staffToken = '';
  const secretaryTokens = new Map<number, string>();
  let pool: { memberId: number; accountId: number; organizationId: number }[] = [];

  beforeAll(async () => {
    const ctx = c();
    const orgs = await ctx.db.select().from(organizations).orderBy(asc(organizations.id));
    branches = orgs.filter((o) => o.kind === 'branch').map((o) => o.id);
    staffToken = await ctx.login('staff');
    const secretaries = await ctx.db.select().from(accounts).where(eq(accounts.role, 'secretary')).orderBy(asc(accounts.id));
    for (const s of secretaries) secretaryTokens.set(s.organizationId as number, await ctx.login('secretary', s.id));
    // Ordinary members with no transfer yet, handed out one per test so tests do not collide.
    pool = await ctx.db
      .select({ memberId: members.id, accountId: accounts.id, organizationId: members.organizationId })
      .from(members)
      .innerJoin(accounts, eq(accounts.memberId, members.id))
      .where(and(eq(accounts.role, 'member'), eq(members.status, 'active'), sql`not exists (select 1 from transfers t where t.member_id = ${members.id})`))
      .orderBy(asc(members.id));
  });

  /** A member of the given branch (any branch when omitted) with a fresh token. */
  async function takeMember(organizationId?: number): Promise<Person> {
    const i = pool.findIndex((m) => organizationId == null || m.organizationId === organizationId);
    if (i < 0) throw new Error('member pool exhausted');
    const [m] = pool.splice(i, 1);
    if (!m) throw new Error('member pool exhausted');
    return { ...m, token: await c().login('member', m.accountId) };
  }
  const secretaryOf = (organizationId: number) => secretaryTokens.get(organizationId) as string;
  const otherBranch = (organizationId: number) => branches.find((b) => b !== organizationId) as number;

  const get = (id: number, token: string) => c().call<TransferDetail>('GET', `/api/transfers/${id}`, { token });
  /** A step's answer: the transfer on success, an error body otherwise. */
  type StepAnswer = TransferDetail & { error: { code: string; message: string } };
  const post = (id: number, action: string, token: string, body: Record<string, unknown>) =>
    c().call<StepAnswer>('POST', `/api/transfers/${id}/${action}`, { token, body });

  async function applyOut(person: Person, extra: Record<string, unknown> = {}): Promise<TransferDetail> {
    const res = await c().call<TransferDetail>('POST', '/api/transfers', { token: person.token, body: { ...outBody, ...extra } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function snapshot(id: number) {
    const [row] = await c().db.select().from(transfers).where(eq(transfers.id, id));
    const [events] = await c().db.select({ n: count() }).from(transferEvents).where(eq(transferEvents.transferId, id));
    return { state: row?.state, version: row?.version, letterNumber: row?.letterNumber, events: events?.n };
  }

  // -------------------------------------------------------------------------
  // Legal paths

  it('转出: apply → 支部审核 → 党委审批 (letter) → 回执 → 完成; the member is kept as transferred out', async () => {
    const person = await takeMember();
    const applied = await applyOut(person);
    expect(applied).toMatchObject({ kind: 'out', state: 'pending_branch', version: 1, memberId: person.memberId, actions: ['withdraw'] });
    expect(applied.idNumberMasked).toMatch(/^\d{4}\*{13}[\dX]$/);

    const reviewed = await post(applied.id, 'review', secretaryOf(person.organizationId), { decision: 'approve', comment: '情况属实，同意', version: 1 });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.state).toBe('pending_committee');

    const approved = await post(applied.id, 'approve', staffToken, { comment: '同意转出', version: 2 });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'letter_issued', validityDays: 30, letterIssuedOn: '2026-06-15', letterExpiresOn: '2026-07-15', receiptDueOn: '2026-07-15' });
    expect(approved.body.letterNumber).toMatch(/^2026-\d{4}$/);

    const letter = await c().call('GET', `/api/transfers/${applied.id}/letter`, { token: person.token });
    expect(letter.status).toBe(200);
    expect(letter.body).toMatchObject({ letterNumber: approved.body.letterNumber, validityDays: 30, validityDaysCapital: '叁拾', townshipName: '红旗镇党委' });

    const receipt = await post(applied.id, 'receipt', staffToken, { receivedOn: '2026-06-15', comment: '回执已收到', version: 3 });
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({ state: 'completed', receiptReceivedOn: '2026-06-15', completedOn: '2026-06-15', actions: [] });

    const [member] = await c().db.select().from(members).where(eq(members.id, person.memberId));
    expect(member?.status).toBe('transferred_out');

    const timeline = await get(applied.id, person.token);
    expect(timeline.body.events.map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ['apply', null, 'pending_branch'],
      ['review', 'pending_branch', 'pending_committee'],
      ['approve', 'pending_committee', 'letter_issued'],
      ['receipt', 'letter_issued', 'completed'],
    ]);
    expect(timeline.body.events[1]).toMatchObject({ actorRole: '支部书记', comment: '情况属实，同意' });
    expect(timeline.body.events[2]).toMatchObject({ actorRole: '党委工作人员', comment: '同意转出' });

    const audits = await c().db.select().from(auditLog).where(and(eq(auditLog.targetType, 'transfer'), eq(auditLog.targetId, String(applied.id))));
    expect(audits.map((a) => a.action).sort()).toEqual(['transfer.apply', 'transfer.approve', 'transfer.receipt', 'transfer.review']);
  });

  it('镇内转接: apply → 转出支部 → 转入支部 → 党委审批 → 完成; the member moves branch', async () => {
    const person = await takeMember();
    const to = otherBranch(person.organizationId);
    const res = await c().call<TransferDetail>('POST', '/api/transfers', {
      token: person.token,
      body: { kind: 'internal', toOrganizationId: to, reason: 'relocation', duesPaidThrough: '2026-06', contactPhone: '13800138001' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'pending_branch', scope: 'in_county', toOrganizationId: to });
    const id = res.body.id;

    // The receiving secretary cannot go first; the sending one cannot do the receiving step.
    expectError(await post(id, 'review', secretaryOf(to), { decision: 'approve', version: 1 }), 403, 'forbidden');
    expect((await post(id, 'review', secretaryOf(person.organizationId), { decision: 'approve', version: 1 })).body.state).toBe('pending_receiving_branch');
    expectError(await post(id, 'review', secretaryOf(person.organizationId), { decision: 'approve', version: 2 }), 403, 'forbidden');
    expect((await post(id, 'review', secretaryOf(to), { decision: 'approve', comment: '同意接收', version: 2 })).body.state).toBe('pending_committee');
    const done = await post(id, 'approve', staffToken, { version: 3 });
    expect(done.body).toMatchObject({ state: 'completed', letterNumber: null });

    const [member] = await c().db.select().from(members).where(eq(members.id, person.memberId));
    expect(member).toMatchObject({ organizationId: to, status: 'active' });
  });

  it('转入: 登记 → 党委审批 → 报到 → 完成 creates the member; a transferred-out member is reactivated', async () => {
    const branch = branches[2] as number;
    const incoming = {
      kind: 'in',
      // The filer confirms the member agreed to the privacy guide (their ID number is typed by someone else).
      memberConsent: true,
      name: '孙慧敏',
      gender: 'female',
      ethnicity: '汉族',
      idNumber: '11010519491231002X',
      category: 'full',
      joinedAt: '1975-07-01',
      confirmedAt: '1976-07-01',
      toOrganizationId: branch,
      fromOrganizationName: '北京市东城区东华门街道党工委',
      incomingLetterNumber: '东组转〔2026〕088号',
      scope: 'out_of_province',
      reason: 'relocation',
      duesPaidThrough: '2026-05',
      contactPhone: '13900139000',
    };
    // Members and other branches' secretaries cannot register; the receiving secretary can.
    const someone = await takeMember();
    expectError(await c().call('POST', '/api/transfers', { token: someone.token, body: incoming }), 403, 'forbidden');
    expectError(await c().call('POST', '/api/transfers', { token: secretaryOf(otherBranch(branch)), body: incoming }), 403, 'forbidden');
    // Without the filer's confirmation that the member agreed to the privacy guide, nothing is filed.
    const { memberConsent: _confirmed, ...unconfirmed } = incoming;
    const refused = await c().call('POST', '/api/transfers', { token: secretaryOf(branch), body: unconfirmed });
    expectError(refused, 400, 'validation_failed');
    expect(refused.body.error.details.issues).toEqual([expect.objectContaining({ path: ['memberConsent'], message: expect.stringContaining('隐私保护指引') })]);
    expectError(await c().call('POST', '/api/transfers', { token: secretaryOf(branch), body: { ...incoming, memberConsent: false } }), 400, 'validation_failed');
    const registered = await c().call<TransferDetail>('POST', '/api/transfers', { token: secretaryOf(branch), body: incoming });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect(registered.body).toMatchObject({ kind: 'in', state: 'pending_committee', memberId: null, idNumberMasked: '1101*************X' });
    expect(JSON.stringify(registered.body)).not.toContain('11010519491231002X');

    // The same person cannot be registered twice while the first is open.
    expectError(await c().call('POST', '/api/transfers', { token: staffToken, body: incoming }), 409, 'conflict');

    const id = registered.body.id;
    expect((await post(id, 'approve', staffToken, { version: 1 })).body.state).toBe('awaiting_report');
    const reported = await post(id, 'report', secretaryOf(branch), { reportedOn: '2026-06-15', comment: '已到支部报到', version: 2 });
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({ state: 'completed', reportedOn: '2026-06-15' });
    expect(reported.body.memberId).toEqual(expect.any(Number));
    const [created] = await c().db.select().from(members).where(eq(members.id, reported.body.memberId as number));
    expect(created).toMatchObject({ name: '孙慧敏', organizationId: branch, status: 'active', category: 'full', birthDate: '1949-12-31' });
    expect(openIdNumber(created?.idCipher as string, { encryptionKey: c().config.idEncryptionKey, hashKey: c().config.idHashKey })).toBe(
      '11010519491231002X',
    );

    // Reactivation: someone who left the township earlier comes back.
    const leaver = await takeMember();
    const out = await applyOut(leaver);
    await post(out.id, 'review', secretaryOf(leaver.organizationId), { decision: 'approve', version: 1 });
    await post(out.id, 'approve', staffToken, { version: 2 });
    // No date given: the server's today.
    expect((await post(out.id, 'receipt', staffToken, { version: 3 })).body.receiptReceivedOn).toBe('2026-06-15');
    const [left] = await c().db.select().from(members).where(eq(members.id, leaver.memberId));
    expect(left?.status).toBe('transferred_out');
    const idNumber = openIdNumber(left?.idCipher as string, { encryptionKey: c().config.idEncryptionKey, hashKey: c().config.idHashKey });
    const back = await c().call<TransferDetail>('POST', '/api/transfers', {
      token: staffToken,
      body: { ...incoming, name: left?.name, gender: left?.gender, idNumber, toOrganizationId: branch, category: left?.category, joinedAt: left?.joinedAt, confirmedAt: left?.confirmedAt ?? undefined },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.memberId).toBe(leaver.memberId);
    await post(back.body.id, 'approve', staffToken, { version: 1 });
    expect((await post(back.body.id, 'report', staffToken, { version: 2 })).body.state).toBe('completed');
    const [returned] = await c().db.select().from(members).where(eq(members.id, leaver.memberId));
    expect(returned).toMatchObject({ status: 'active', organizationId: branch });
    const [{ n } = { n: 0 }] = await c().db.select({ n: count() }).from(members).where(eq(members.idHash, left?.idHash as string));
    expect(n).toBe(1);
  });

  it('rejections with a reason at the branch and the committee; withdrawal before 党委审批 only', async () => {
    const a = await takeMember();
    const ta = await applyOut(a);
    expectError(await post(ta.id, 'review', secretaryOf(a.organizationId), { decision: 'reject', version: 1 }), 400, 'validation_failed');
    const rejected = await post(ta.id, 'review', secretaryOf(a.organizationId), { decision: 'reject', comment: '党费未交清', version: 1 });
    expect(rejected.body).toMatchObject({ state: 'rejected', closingReason: '党费未交清' });
    // The member may file again once the first is closed.
    const again = await applyOut(a);
    expect(again.state).toBe('pending_branch');

    const b = await takeMember();
    const tb = await applyOut(b);
    await post(tb.id, 'review', secretaryOf(b.organizationId), { decision: 'approve', version: 1 });
    const townshipNo = await post(tb.id, 'reject', staffToken, { reason: '转往单位名称有误，请核对', version: 2 });
    expect(townshipNo.body).toMatchObject({ state: 'rejected', closingReason: '转往单位名称有误，请核对' });

    const d = await takeMember();
    const td = await applyOut(d);
    await post(td.id, 'review', secretaryOf(d.organizationId), { decision: 'approve', version: 1 });
    const withdrawn = await post(td.id, 'withdraw', d.token, { reason: '暂不外出', version: 2 });
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', closingReason: '暂不外出' });

    const e = await takeMember();
    const te = await applyOut(e);
    await post(te.id, 'review', secretaryOf(e.organizationId), { decision: 'approve', version: 1 });
    await post(te.id, 'approve', staffToken, { version: 2 });
    expectError(await post(te.id, 'withdraw', e.token, { version: 3 }), 409, 'invalid_transition');
    // Someone else's application is not even visible.
    const stranger = await takeMember();
    expectError(await post(te.id, 'withdraw', stranger.token, { version: 3 }), 404, 'not_found');
  });

  // -------------------------------------------------------------------------
  // Illegal steps

  /** Every step endpoint with a caller who could take it somewhere in the machine. */
  function allSteps(person: Person) {
    const secretary = secretaryOf(person.organizationId);
    return [
      { action: 'review', token: secretary, body: { decision: 'approve' } },
      { action: 'approve', token: staffToken, body: {} },
      { action: 'reject', token: staffToken, body: { reason: '不符合条件' } },
      { action: 'withdraw', token: person.token, body: {} },
      { action: 'receipt', token: staffToken, body: { receivedOn: '2026-06-15' } },
      { action: 'report', token: staffToken, body: {} },
    ];
  }
  const legalFrom: Record<string, string[]> = {
    pending_branch: ['review', 'reject', 'withdraw'],
    pending_committee: ['approve', 'reject', 'withdraw'],
    letter_issued: ['receipt', 'reject'],
    completed: [],
    rejected: [],
    withdrawn: [],
  };

  it('转出: every step not allowed from the current state answers 409 and changes nothing', async () => {
    const walk: { state: TransferState; advance?: (id: number, p: Person) => Promise<unknown> }[] = [
      { state: 'pending_branch', advance: (id, p) => post(id, 'review', secretaryOf(p.organizationId), { decision: 'approve', version: 1 }) },
      { state: 'pending_committee', advance: (id) => post(id, 'approve', staffToken, { version: 2 }) },
      { state: 'letter_issued', advance: (id) => post(id, 'receipt', staffToken, { receivedOn: '2026-06-15', version: 3 }) },
      { state: 'completed' },
    ];
    const person = await takeMember();
    const t = await applyOut(person);
    for (const stage of walk) {
      const before = await snapshot(t.id);
      expect(before.state).toBe(stage.state);
      for (const step of allSteps(person)) {
        if (legalFrom[stage.state]?.includes(step.action)) continue;
        const res = await post(t.id, step.action, step.token, { ...step.body, version: before.version });
        expectError(res, 409, 'invalid_transition');
        expect(await snapshot(t.id)).toEqual(before);
      }
      await stage.advance?.(t.id, person);
    }
    // Closed by rejection or withdrawal: nothing at all is allowed any more.
    for (const close of ['reject', 'withdraw'] as const) {
      const p = await takeMember();
      const x = await applyOut(p);
      if (close === 'reject') await post(x.id, 'review', secretaryOf(p.organizationId), { decision: 'reject', comment: '不同意', version: 1 });
      else await post(x.id, 'withdraw', p.token, { version: 1 });
      const before = await snapshot(x.id);
      for (const step of allSteps(p)) {
        expectError(await post(x.id, step.action, step.token, { ...step.body, version: 2 }), 409, 'invalid_transition');
        expect(await snapshot(x.id)).toEqual(before);
      }
    }
  });

  it('a stale version answers 409 stale_version and changes nothing', async () => {
    const person = await takeMember();
    const t = await applyOut(person);
    await post(t.id, 'review', secretaryOf(person.organizationId), { decision: 'approve', version: 1 });
    const before = await snapshot(t.id);
    const res = await post(t.id, 'approve', staffToken, { version: 1 });
    expectError(res, 409, 'stale_version');
    expect(res.body.error.message).toContain('刷新');
    expect(await snapshot(t.id)).toEqual(before);
  });

  it('a step resent with the same Idempotency-Key (its answer was lost) replays the answer, not 409, and issues one letter', async () => {
    const person = await takeMember();
    const t = await applyOut(person);
    const reviewed = await post(t.id, 'review', secretaryOf(person.organizationId), { decision: 'approve', version: t.version });
    const approve = () =>
      c().call<StepAnswer>('POST', `/api/transfers/${t.id}/approve`, {
        token: staffToken,
        body: { version: reviewed.body.version },
        headers: { 'idempotency-key': `approve-retry-${t.id}-${c().driver}` },
      });
    const first = await approve();
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const after = await snapshot(t.id);
    const again = await approve();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await snapshot(t.id)).toEqual(after);
  });

  // -------------------------------------------------------------------------
  // Who may do what

  it('a member cannot approve, review or record anything, their own transfer or anyone else’s', async () => {
    const person = await takeMember();
    const t = await applyOut(person);
    const other = await takeMember();
    for (const token of [person.token, other.token]) {
      expectError(await post(t.id, 'review', token, { decision: 'approve', version: 1 }), 403, 'forbidden');
      expectError(await post(t.id, 'approve', token, { version: 1 }), 403, 'forbidden');
      expectError(await post(t.id, 'reject', token, { reason: '不行', version: 1 }), 403, 'forbidden');
      expectError(await post(t.id, 'receipt', token, { receivedOn: '2026-06-15', version: 1 }), 403, 'forbidden');
    }
    // A member cannot file for someone else, nor smuggle state or applicant fields in the body.
    expectError(await c().call('POST', '/api/transfers', { token: other.token, body: { ...outBody, memberId: person.memberId } }), 403, 'forbidden');
    expectError(await c().call('POST', '/api/transfers', { token: other.token, body: { ...outBody, state: 'completed' } }), 400, 'validation_failed');
    // Another member cannot read it.
    expectError(await get(t.id, other.token), 404, 'not_found');
    expect((await snapshot(t.id)).version).toBe(1);
  });

  it('a secretary cannot review their own transfer', async () => {
    const branch = branches[2] as number;
    const secretary = secretaryOf(branch);
    const mine = await c().call<TransferDetail>('POST', '/api/transfers', { token: secretary, body: outBody });
    expect(mine.status).toBe(201);
    expect(mine.body.actions).toEqual(['withdraw']);
    expectError(await post(mine.body.id, 'review', secretary, { decision: 'approve', version: 1 }), 403, 'forbidden');
    await post(mine.body.id, 'withdraw', secretary, { version: 1 });
  });

  it('a secretary of another branch can neither see nor act on a transfer (404), nor file for a member there (404)', async () => {
    const person = await takeMember();
    const t = await applyOut(person);
    const outsider = secretaryOf(otherBranch(person.organizationId));
    expectError(await get(t.id, outsider), 404, 'not_found');
    expectError(await post(t.id, 'review', outsider, { decision: 'approve', version: 1 }), 404, 'not_found');
    expectError(await post(t.id, 'reject', outsider, { reason: '不同意', version: 1 }), 404, 'not_found');
    expectError(await c().call('POST', '/api/transfers', { token: outsider, body: { ...outBody, memberId: person.memberId } }), 404, 'not_found');
    expectError(
      await c().call('GET', '/api/transfers', { token: outsider, query: { view: 'all', organizationId: person.organizationId } }),
      403,
      'forbidden',
    );
    const list = await c().call<{ transfers: { id: number }[] }>('GET', '/api/transfers', { token: outsider, query: { view: 'all' } });
    expect(list.body.transfers.map((x) => x.id)).not.toContain(t.id);
    expect((await snapshot(t.id)).version).toBe(1);
    // Their own secretary may file on the member's behalf.
    await post(t.id, 'withdraw', person.token, { version: 1 });
    const onBehalf = await c().call<TransferDetail>('POST', '/api/transfers', { token: secretaryOf(person.organizationId), body: { ...outBody, memberId: person.memberId } });
    expect(onBehalf.status).toBe(201);
    expect(onBehalf.body.memberId).toBe(person.memberId);
  });

  // -------------------------------------------------------------------------
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
    const results = await Promise.all(Array.from({ length: 20 }, () => post(t.id, 'approve', staffToken, { version: 2 })));
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
    const results = await Promise.all(ids.map((id) => post(id, 'approve', staffToken, { version: 2 })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const numbers = results.map((r) => Number((r.body.letterNumber as string).slice(5))).sort((a, b) => a - b);
    const start = (seqBefore?.lastNumber ?? 0) + 1;
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => start + i));
  });

  // -------------------------------------------------------------------------
  // Overdue, inbox, ledger

  it('the seeded overdue letter comes first in the ledger, and a new one turns overdue when the clock passes expiry', async () => {
    const ledger = await c().call<{ transfers: { id: number; overdue: { letterExpired: boolean } }[]; counts: { overdue: number } }>('GET', '/api/transfers', {
      token: staffToken,
      query: { view: 'all', year: 2026 },
    });
    expect(ledger.status).toBe(200);
    expect(ledger.body.transfers[0]?.overdue.letterExpired).toBe(true);
    const overdueBefore = ledger.body.counts.overdue;
    expect(overdueBefore).toBeGreaterThanOrEqual(1);

    const person = await takeMember();
    const t = await applyOut(person, { scope: 'in_county' });
    await post(t.id, 'review', secretaryOf(person.organizationId), { decision: 'approve', version: 1 });
    const approved = await post(t.id, 'approve', staffToken, { version: 2, validityDays: 15 });
    expect(approved.body).toMatchObject({ validityDays: 15, letterExpiresOn: '2026-06-30' });
    const letter = await c().call('GET', `/api/transfers/${t.id}/letter`, { token: staffToken });
    expect(letter.body.validityDaysCapital).toBe('壹拾伍');
    expectError(await post(t.id, 'approve', staffToken, { version: 3, validityDays: 91 }), 400, 'validation_failed');
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
        token: staffToken,
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
    expectError(await c().call('GET', '/api/transfers/ledger', { token: secretaryOf(branches[0] as number), query: { year: 2026 } }), 403, 'forbidden');
    const res = await c().call('GET', '/api/transfers/ledger', { token: staffToken, query: { year: 2026, format: 'xlsx' } });
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
        // The staff's ledger is their township's (A): transfers from or to one of its branches.
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
