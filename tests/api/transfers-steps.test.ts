import { expect, it } from 'vitest';
import type { TransferDetail, TransferState } from '../../shared/transfers.js';
import { describeEachDriver } from '../helpers/harness.js';
import { expectError } from '../helpers/expect-error.js';
import { outBody, transferSuite, type Person, type StepAnswer } from '../helpers/transfer-suite.js';

/** Steps a transfer's state or the caller's role does not allow answer 409/403/404 and change nothing. */
describeEachDriver('transfers: illegal steps and who may act', (c) => {
  const s = transferSuite(c);
  const { takeMember, secretaryOf, otherBranch, get, post, applyOut, snapshot } = s;

  // Illegal steps

  /** Every step endpoint with a caller who could take it somewhere in the machine. */
  function allSteps(person: Person) {
    const secretary = secretaryOf(person.organizationId);
    return [
      { action: 'review', token: secretary, body: { decision: 'approve' } },
      { action: 'approve', token: s.staffToken, body: {} },
      { action: 'reject', token: s.staffToken, body: { reason: '不符合条件' } },
      { action: 'withdraw', token: person.token, body: {} },
      { action: 'receipt', token: s.staffToken, body: { receivedOn: '2026-06-15' } },
      { action: 'report', token: s.staffToken, body: {} },
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
      { state: 'pending_committee', advance: (id) => post(id, 'approve', s.staffToken, { version: 2 }) },
      { state: 'letter_issued', advance: (id) => post(id, 'receipt', s.staffToken, { receivedOn: '2026-06-15', version: 3 }) },
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
    const res = await post(t.id, 'approve', s.staffToken, { version: 1 });
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
        token: s.staffToken,
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
    const branch = s.branches[2] as number;
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
});
