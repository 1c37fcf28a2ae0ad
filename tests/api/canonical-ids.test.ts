/**
 * Ids are canonical decimal integers (issue 13.9): every spelling `Number()`
 * would also read as 36 (`0x24`, `+36`, `36.0`, `3.6e1`, ` 36`, `036`,
 * `0b100100`), and anything else that is not `^[1-9][0-9]*$` within int4, is a
 * 400, in every path parameter and every id in a query string or a JSON body.
 * The routes come from the route table, so a new route is covered too.
 */
import { expect, it } from 'vitest';
import { z } from 'zod';
import { routes } from '../../api/_routes.js';
import type { Endpoint } from '../../shared/http.js';
import { describeEachDriver } from '../helpers/harness.js';

/** As they appear in a URL (percent-encoded where a URL must be). */
const BAD_URL_IDS = [
  '0x24', '+36', '36.0', '3.6e1', '%2036', '36%20', '0b100100', '0o44', '036', '00036', '-36', '0', '-0',
  '2147483648', '99999999999', '36abc', '%EF%BC%93%EF%BC%96', 'Infinity', 'NaN', '', '36,37', '1_000',
];

const BAD_BODY_NUMBERS = ['36.0', '3.6e1', '36e0', '360E-1', '36.000'];

const usable = routes.map((r) => r.endpoint).filter((e) => e.access !== 'cron');
const withPathId = usable.filter((e) => e.path.includes(':id'));
const queryIdKeys = (e: Endpoint): string[] => {
  const shape = e.query instanceof z.ZodObject ? (e.query.shape as Record<string, unknown>) : {};
  return Object.keys(shape).filter((k) => k === 'id' || /Id$/.test(k) || k === 'year' || k === 'page' || k === 'pageSize');
};
const withQueryIds = usable.filter((e) => e.method === 'GET' && queryIdKeys(e).length > 0);
const withJsonBody = usable.filter((e) => e.body && !e.rawBody);
/** The path parameters of a route, in order (`:id`, and e.g. `:memberId` after it). */
const pathParams = (path: string): string[] => [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
/** The path with `param` set to `value` and every other path parameter to the canonical `other`. */
const fillPath = (path: string, param: string, value: string, other = '1') =>
  path.replace(/:([A-Za-z]+)/g, (_, name: string) => (name === param ? value : other));
/** A caller the route's access lets in, so the answer is the reader's, not authorization's: staff, or county staff for county routes. */
const callerFor = (e: Endpoint, tokens: { staff: string; county: string }) => (e.access === 'county' ? tokens.county : tokens.staff);

describeEachDriver('canonical ids', (ctx) => {
  it('the route table has routes of each kind to check', () => {
    expect(withPathId.length).toBeGreaterThan(15);
    expect(withQueryIds.length).toBeGreaterThan(4);
    expect(withJsonBody.length).toBeGreaterThan(15);
  });

  it('every path id that is not canonical decimal within int4 → 400 (and a canonical one is not refused as a bad id)', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    // The county's own routes (乡镇管理, 县级默认设置) let only county staff reach the path's parsing.
    const tokens = { staff, county: await t.login('county') };
    const failures: string[] = [];
    for (const e of withPathId) {
      const token = callerFor(e, tokens);
      // Each path parameter in turn (`:id`, `:memberId`…), the others given a canonical id.
      for (const param of pathParams(e.path)) {
        for (const bad of BAD_URL_IDS) {
          if (bad === '') continue; // an empty segment is another path (404 or 405), not an id
          const res = await t.call(e.method, fillPath(e.path, param, bad), { token, body: e.body ? {} : undefined });
          if (res.status !== 400 || res.body?.error?.details?.in !== 'path') failures.push(`${e.method} ${e.path} ${param}=${bad}: ${res.status}`);
        }
      }
      const good = await t.call(e.method, fillPath(e.path, 'id', '2147483647', '2147483647'), { token, body: e.body ? {} : undefined });
      if (good.body?.error?.details?.in === 'path') failures.push(`${e.method} ${e.path}: the canonical id was refused`);
    }
    expect(failures).toEqual([]);
  });

  it('every id (and year or page) in a query string that is not canonical → 400', async () => {
    const t = ctx();
    const tokens = { staff: await t.login('staff'), county: await t.login('county') };
    const failures: string[] = [];
    for (const e of withQueryIds) {
      for (const key of queryIdKeys(e)) {
        for (const bad of BAD_URL_IDS) {
          if (bad === '') continue; // empty means "not given" for the optional filters
          const res = await t.call('GET', `${fillPath(e.path, 'id', '1')}?${key}=${bad}`, { token: callerFor(e, tokens) });
          if (res.status !== 400 || res.body?.error?.details?.in !== 'query') failures.push(`${e.path}?${key}=${bad}: ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('record 36 is not reachable by another spelling: /api/members/0x24 is not /api/members/36', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    expect((await t.call('GET', '/api/members/1', { token: staff })).status).toBe(200);
    for (const spelling of ['0x1', '+1', '1.0', '1e0', '%201', '01', '0b1']) {
      const res = await t.call('GET', `/api/members/${spelling}`, { token: staff });
      expect(res.status, spelling).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'validation_failed', message: expect.any(String) } });
    }
  });

  it('a number in a JSON body written with a fraction of zeros or an exponent → 400 on every JSON route', async () => {
    const t = ctx();
    const staff = await t.login('staff');
    const tokens = { staff, county: await t.login('county') };
    const failures: string[] = [];
    for (const e of withJsonBody) {
      for (const bad of BAD_BODY_NUMBERS) {
        const res = await t.call(e.method, fillPath(e.path, 'id', '1'), {
          token: callerFor(e, tokens),
          rawBody: `{"memberId":${bad},"organizationId":1,"note":"3.6e1 in a string is text"}`,
          headers: { 'content-type': 'application/json' },
        });
        if (res.status !== 400 || res.body?.error?.code !== 'validation_failed') failures.push(`${e.method} ${e.path} ${bad}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    // The same number written plainly passes the reader (the contract judges it: here, unknown fields).
    const plain = await t.call('POST', '/api/transfers', { token: staff, rawBody: '{"memberId":36,"note":"36.0 and 3.6e1"}', headers: { 'content-type': 'application/json' } });
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).not.toContain('整数（收到');
  });
});
