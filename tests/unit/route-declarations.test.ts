/**
 * A route is one declaration: the contract in shared/ says who may call it
 * (`access`), whose record it touches (`ownership`) and whether it takes an
 * Idempotency-Key; the route table binds every contract to a handler. The
 * `@ts-expect-error` lines are checked by `tsc` (npm test typechecks tests/):
 * if the compiler stopped refusing them, the typecheck fails.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routeTable, routes } from '../../api/_routes.js';
import { createApp } from '../../api/_app/app.js';
import type { RouteTable } from '../../api/_app/route-table.js';
import { allowed, endpoint, type Ownership } from '../../shared/http.js';
import type { AppDeps } from '../../api/_app/context.js';

const OWNERSHIPS: readonly Ownership[] = ['none', 'self', 'personal', 'member', 'branch', 'township'];

describe('route declarations', () => {
  it('a contract without a handler does not compile', () => {
    const { health: _health, ...systemWithoutHealth } = routeTable.system;
    // @ts-expect-error the route table lacks a handler for the health contract
    const missing: RouteTable = { ...routeTable, system: systemWithoutHealth };
    // A handler bound to another contract does not compile either.
    // @ts-expect-error the devClock key holds the health handler
    const swapped: RouteTable = { ...routeTable, system: { ...routeTable.system, devClock: routeTable.system.health } };
    expect(Object.keys(missing.system)).not.toContain('health');
    expect(swapped.system.devClock.endpoint.path).toBe('/api/health');
  });

  it('a contract without its ownership does not compile, and every route declares one', () => {
    // @ts-expect-error `ownership` is required on every contract
    const undeclared = endpoint({ method: 'GET', path: '/api/x', summary: 'x', access: 'member', response: z.object({}) });
    expect(undeclared.path).toBe('/api/x');
    const lacking = routes.filter((r) => !OWNERSHIPS.includes(r.endpoint.ownership)).map((r) => `${r.endpoint.method} ${r.endpoint.path}`);
    expect(lacking).toEqual([]);
  });

  it('every contract in the table is a route, once', () => {
    const keys = routes.map((r) => `${r.endpoint.method} ${r.endpoint.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(Object.values(routeTable).reduce((n, d) => n + Object.keys(d).length, 0));
  });

  it('the Idempotency-Key rule is declared on writes only, and a write the client retries takes a key', () => {
    for (const { endpoint: e } of routes) {
      const key = `${e.method} ${e.path}`;
      if (e.method === 'GET') expect(e.idempotencyKey ?? 'none', key).toBe('none');
      if (e.idempotencyKey && e.idempotencyKey !== 'none') expect(e.idempotent, key).toBe(true);
    }
  });

  it('allowed(): the same rule for the server and the mini-program', () => {
    expect(allowed('member', 'applicant')).toBe(false);
    expect(allowed('authenticated', 'applicant')).toBe(true);
    expect(allowed('officer', 'member')).toBe(false);
    expect(allowed('officer', 'secretary')).toBe(true);
    expect(allowed('staff', 'secretary')).toBe(false);
    expect(allowed('staff', 'staff')).toBe(true);
    expect(allowed('cron', 'staff')).toBe(false);
  });
});

describe('the dispatcher enforces the Idempotency-Key declaration', () => {
  const deps = {
    config: { production: false, corsOrigins: [], sessionSecret: 'x'.repeat(32), bodyLimitBytes: 1024, clientAddress: { platform: 'vercel' } },
    database: { db: {} },
    clock: { now: () => new Date('2026-06-15T02:00:00Z') },
    logger: { info: () => undefined, error: (event: string, fields?: unknown) => errors.push(`${event} ${JSON.stringify(fields)}`) },
  } as unknown as AppDeps;
  const errors: string[] = [];
  const ran: string[] = [];
  const make = (idempotencyKey: 'required' | 'optional' | 'none') => ({
    endpoint: endpoint({ method: 'POST', path: `/api/t/${idempotencyKey}`, summary: 't', access: 'public', ownership: 'none', idempotencyKey, rateLimit: false, response: z.object({}) }),
    handler: async () => {
      ran.push(idempotencyKey);
      return {};
    },
  });
  const app = createApp(deps, [make('required'), make('optional'), make('none')]);
  const post = (path: string, key?: string) =>
    app.fetch(new Request(`http://t${path}`, { method: 'POST', headers: key ? { 'idempotency-key': key } : {} }));

  it('required: 400 without a key, before the handler runs; a well-formed key passes', async () => {
    const res = await post('/api/t/required');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    expect(ran).not.toContain('required');
    expect((await post('/api/t/required', 'key-12345678')).status).toBe(200);
  });

  it('optional: runs without a key, refuses a malformed one; none: ignores the header', async () => {
    expect((await post('/api/t/optional')).status).toBe(200);
    expect((await post('/api/t/optional', 'bad key!')).status).toBe(400);
    expect((await post('/api/t/none', 'bad key!')).status).toBe(200);
    expect(errors).toEqual([]);
  });
});
