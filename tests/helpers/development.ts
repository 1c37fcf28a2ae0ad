/**
 * One 发展党员 record walked step by step, as the development suites do: each step goes in under a fresh
 * Idempotency-Key with the record's current version, and a step taken with `ok` must succeed and becomes the
 * record the next step builds on. Set `record` once the suite has created it.
 */
import { expect } from 'vitest';
import type { TestContext } from './harness.js';

export function developmentWalk<Detail extends { id: number; version: number }>(c: () => TestContext, keyPrefix: string) {
  let seq = 0;
  let current: Detail | undefined;
  const key = () => `${keyPrefix}-${Date.now()}-${++seq}`;
  const walk = {
    key,
    get record(): Detail {
      if (!current) throw new Error('no development record yet: the suite creates one first');
      return current;
    },
    set record(next: Detail) {
      current = next;
    },
    /** A step as the caller sends it; the answer is not checked. */
    step: (token: string, body: Record<string, unknown>) =>
      c().call<Detail & { error: { code: string; message: string } }>('POST', `/api/development/records/${walk.record.id}/steps`, {
        token,
        body: { evidence: '会议记录', version: walk.record.version, ...body },
        headers: { 'idempotency-key': key() },
      }),
    /** A step that must succeed: its answer is the record from now on. */
    ok: async (token: string, body: Record<string, unknown>): Promise<Detail> => {
      const res = await walk.step(token, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      walk.record = res.body;
      return res.body;
    },
  };
  return walk;
}
