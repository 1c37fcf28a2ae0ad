/**
 * An Idempotency-Key belongs to the request it was made for (issue 13.6): the
 * same key and the same body sent to another record (another transfer,
 * session, event, registration…) is another request and answers 422, instead
 * of replaying the first record's answer. Generated from the route table: every
 * write with a record id in its path that staff may call.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { requestFingerprint } from '../../api/_app/idempotency.js';
import { routes } from '../../api/_routes.js';
import { describeEachDriver } from '../helpers/harness.js';
import { buildWorld, expectedOutcome, FIXTURES, requestOptions } from '../helpers/route-fixtures/index.js';

it('the fingerprint covers the route, the path parameters, the query and the body', () => {
  const base = requestFingerprint('transfers.review', { params: { id: 1 }, query: undefined, body: { version: 1 } });
  expect(requestFingerprint('transfers.review', { params: { id: 1 }, body: { version: 1 } })).toBe(base);
  expect(requestFingerprint('transfers.review', { params: { id: 2 }, body: { version: 1 } })).not.toBe(base);
  expect(requestFingerprint('transfers.review', { params: { id: 1 }, query: { view: 'all' }, body: { version: 1 } })).not.toBe(base);
  expect(requestFingerprint('transfers.review', { params: { id: 1 }, body: { version: 2 } })).not.toBe(base);
  expect(requestFingerprint('transfers.approve', { params: { id: 1 }, body: { version: 1 } })).not.toBe(base);
});

const writesOnARecord = routes
  .map((r) => r.endpoint)
  // A DELETE takes no key: deleting a record again is a no-op by itself.
  .filter((e) => e.method !== 'GET' && e.method !== 'DELETE' && e.path.includes(':id') && e.idempotent)
  .map((e) => {
    const key = `${e.method} ${e.path}`;
    const owner = e.ownership;
    const fixture = FIXTURES[key];
    // One account acting on two records: staff, or the branch's secretary where the step is theirs.
    const actor = (['staff', 'ownSecretary'] as const).find(
      (a) => owner && fixture && (fixture.override?.[a] ?? expectedOutcome(e.access, owner, a)) === 'ok',
    );
    return { e, key, actor };
  })
  .filter((r) => r.actor !== undefined);

describeEachDriver(
  'idempotency keys are scoped to their record',
  (ctx) => {
    it('there are writes on records to check', () => {
      expect(writesOnARecord.map((w) => w.key)).toContain('POST /api/transfers/:id/review');
      expect(writesOnARecord.length).toBeGreaterThan(5);
    });

    it('the same key and body on another record → 422, and the other record is left as it was', async () => {
      const t = ctx();
      const w = await buildWorld(t);
      const failures: string[] = [];
      for (const { key: routeKey, actor } of writesOnARecord) {
        const fixture = FIXTURES[routeKey]!;
        const first = (await fixture.prepare(w, actor!)).request;
        const second = (await fixture.prepare(w, actor!)).request;
        if (first.path === second.path) {
          failures.push(`${routeKey}: the fixture gave the same record twice`);
          continue;
        }
        const key = `scope-${randomUUID()}`;
        const options = requestOptions(first);
        const send = (path: string) => t.call(first.method, path, { ...options, token: w.tokens[actor!], headers: { ...options.headers, 'idempotency-key': key } });
        const a = await send(first.path);
        if (a.status >= 300 && !(fixture.alsoOk ?? []).includes(a.status)) {
          failures.push(`${routeKey}: the first call failed ${a.status} ${JSON.stringify(a.body).slice(0, 120)}`);
          continue;
        }
        const replay = await send(first.path);
        if (replay.status !== a.status) failures.push(`${routeKey}: a retry on the same record was not replayed (${replay.status})`);
        const other = await send(second.path);
        // 422: the key's mismatch, or the body itself names the first record (an event's QR token).
        if (other.status !== 422 || JSON.stringify(other.body) === JSON.stringify(a.body)) {
          failures.push(`${routeKey}: same key on another record answered ${other.status} ${JSON.stringify(other.body).slice(0, 120)}`);
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);

    it('a member finishing two study sessions with one key: the second answers 422 and stays open', async () => {
      const t = ctx();
      const w = await buildWorld(t);
      const m = await w.freshMember();
      const call = (method: string, path: string, key: string, body: unknown = {}) =>
        t.call(method, path, { token: m.token, body, headers: { 'idempotency-key': key } });
      const start = { way: 'platform', topic: '学习党章' };
      const one = await call('POST', '/api/study/sessions', `start-${randomUUID()}`, start);
      const key = `finish-${randomUUID()}`;
      expect((await call('POST', `/api/study/sessions/${one.body.session.id}/finish`, key)).status).toBe(200);
      const two = await call('POST', '/api/study/sessions', `start-${randomUUID()}`, start);
      expect(two.status, JSON.stringify(two.body)).toBeLessThan(300);
      const again = await call('POST', `/api/study/sessions/${two.body.session.id}/finish`, key);
      expect(again.status, JSON.stringify(again.body)).toBe(422);
      expect(again.body.error.code).toBe('idempotency_mismatch');
      const me = await t.call('GET', '/api/study/me', { token: m.token });
      expect(me.body.openSession?.id).toBe(two.body.session.id);
    });
  },
  { env: { WRITE_RATE_LIMIT: '1000000', LOGIN_RATE_LIMIT: '1000000' } },
);
