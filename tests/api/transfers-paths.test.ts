import { and, count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { openIdNumber } from '../../db/pii.js';
import { auditLog, members } from '../../db/schema/index.js';
import type { TransferDetail } from '../../shared/transfers.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError } from '../helpers/expect-error.js';
import { transferSuite } from '../helpers/transfer-suite.js';

/** Transfers (组织关系转接) walked the legal way: 转出, 镇内转接, 转入, rejection and withdrawal. */
describeEachDriver('transfers: legal paths', (c) => {
  const s = transferSuite(c);
  const { takeMember, secretaryOf, otherBranch, get, post, applyOut } = s;

  it('转出: apply → 支部审核 → 党委审批 (letter) → 回执 → 完成; the member is kept as transferred out', async () => {
    const person = await takeMember();
    const applied = await applyOut(person);
    expect(applied).toMatchObject({ kind: 'out', state: 'pending_branch', version: 1, memberId: person.memberId, actions: ['withdraw'] });
    expect(applied.idNumberMasked).toMatch(/^\d{4}\*{13}[\dX]$/);

    const reviewed = await post(applied.id, 'review', secretaryOf(person.organizationId), { decision: 'approve', comment: '情况属实，同意', version: 1 });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.state).toBe('pending_committee');

    const approved = await post(applied.id, 'approve', s.staffToken, { comment: '同意转出', version: 2 });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'letter_issued', validityDays: 30, letterIssuedOn: '2026-06-15', letterExpiresOn: '2026-07-15', receiptDueOn: '2026-07-15' });
    expect(approved.body.letterNumber).toMatch(/^2026-\d{4}$/);

    const letter = await c().call('GET', `/api/transfers/${applied.id}/letter`, { token: person.token });
    expect(letter.status).toBe(200);
    expect(letter.body).toMatchObject({ letterNumber: approved.body.letterNumber, validityDays: 30, validityDaysCapital: '叁拾', townshipName: '红旗镇党委' });

    const receipt = await post(applied.id, 'receipt', s.staffToken, { receivedOn: '2026-06-15', comment: '回执已收到', version: 3 });
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
    const done = await post(id, 'approve', s.staffToken, { version: 3 });
    expect(done.body).toMatchObject({ state: 'completed', letterNumber: null });

    const [member] = await c().db.select().from(members).where(eq(members.id, person.memberId));
    expect(member).toMatchObject({ organizationId: to, status: 'active' });
  });

  it('转入: 登记 → 党委审批 → 报到 → 完成 creates the member; a transferred-out member is reactivated', async () => {
    const branch = s.branches[2] as number;
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
    // Members and other s.branches' secretaries cannot register; the receiving secretary can.
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
    expectError(await c().call('POST', '/api/transfers', { token: s.staffToken, body: incoming }), 409, 'conflict');

    const id = registered.body.id;
    expect((await post(id, 'approve', s.staffToken, { version: 1 })).body.state).toBe('awaiting_report');
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
    await post(out.id, 'approve', s.staffToken, { version: 2 });
    // No date given: the server's today.
    expect((await post(out.id, 'receipt', s.staffToken, { version: 3 })).body.receiptReceivedOn).toBe('2026-06-15');
    const [left] = await c().db.select().from(members).where(eq(members.id, leaver.memberId));
    expect(left?.status).toBe('transferred_out');
    const idNumber = openIdNumber(left?.idCipher as string, { encryptionKey: c().config.idEncryptionKey, hashKey: c().config.idHashKey });
    const back = await c().call<TransferDetail>('POST', '/api/transfers', {
      token: s.staffToken,
      body: { ...incoming, name: left?.name, gender: left?.gender, idNumber, toOrganizationId: branch, category: left?.category, joinedAt: left?.joinedAt, confirmedAt: left?.confirmedAt ?? undefined },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.memberId).toBe(leaver.memberId);
    await post(back.body.id, 'approve', s.staffToken, { version: 1 });
    expect((await post(back.body.id, 'report', s.staffToken, { version: 2 })).body.state).toBe('completed');
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
    const townshipNo = await post(tb.id, 'reject', s.staffToken, { reason: '转往单位名称有误，请核对', version: 2 });
    expect(townshipNo.body).toMatchObject({ state: 'rejected', closingReason: '转往单位名称有误，请核对' });

    const d = await takeMember();
    const td = await applyOut(d);
    await post(td.id, 'review', secretaryOf(d.organizationId), { decision: 'approve', version: 1 });
    const withdrawn = await post(td.id, 'withdraw', d.token, { reason: '暂不外出', version: 2 });
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', closingReason: '暂不外出' });

    const e = await takeMember();
    const te = await applyOut(e);
    await post(te.id, 'review', secretaryOf(e.organizationId), { decision: 'approve', version: 1 });
    await post(te.id, 'approve', s.staffToken, { version: 2 });
    expectError(await post(te.id, 'withdraw', e.token, { version: 3 }), 409, 'invalid_transition');
    // Someone else's application is not even visible.
    const stranger = await takeMember();
    expectError(await post(te.id, 'withdraw', stranger.token, { version: 3 }), 404, 'not_found');
  });
});
