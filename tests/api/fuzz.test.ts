/**
 * Property-based input testing over the whole route table (fast-check).
 *
 * Every write route gets FUZZ_RUNS (1,000 in CI) requests made by mutating the
 * valid request of its route fixture: fields dropped, values of the wrong type,
 * extra fields (role, status, organizationId…), strings at and past their
 * limits, unicode edge cases, numbers at and past bounds, impossible dates,
 * deep nesting, malformed JSON, wrong content types, oversized bodies and bad
 * path ids. Every GET route gets fuzzed path ids and query strings.
 *
 * The property: each answer is a 2xx whose body parses with the endpoint's
 * response schema, or a 4xx JSON `{ error: { code, message } }`, never a 5xx;
 * and a refused request changes no row. Row checks compare a checksum of every
 * table (rate_limits aside: it counts attempts by design) after every answer
 * that reached the domain code and after every batch of requests refused at the
 * door, so a write that a refusal leaves behind is caught within its batch.
 *
 * Callers hold the rights each route asks for (owner, own secretary, staff), so
 * the requests reach the domain code instead of stopping at 401/403.
 */
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { routes } from '../../api/_routes.js';
import type { Endpoint } from '../../shared/http.js';
import { TEST_NOW } from '../helpers/constants.js';
import { createTestContext, type TestContext } from '../helpers/harness.js';
import { buildWorld, expectedOutcome, FIXTURES, type Actor, type World } from '../helpers/route-fixtures/index.js';
import { consentingApplicant } from '../helpers/privacy.js';
import { anyUtf16, BAD_DATES, BATCH, BODY_LIMIT, COUNTS_ATTEMPTS, DOOR_CODES, EVIL_IDS, GET_RUNS, MAX_REPREPARES, NUMBERISH, plansFor, SEED, UNICODE_EDGES, uploadArb, WRITE_RUNS } from '../helpers/fuzz/inputs.js';
import { applyPlan, applyUpload, setUploadTemplate, withPathId, type Base, type Wire } from '../helpers/fuzz/requests.js';
import { changedTables, checkAnswer, checksums, installChangeCounter, snapshot, summarize } from '../helpers/fuzz/rows.js';

const keyOf = (e: Endpoint) => `${e.method} ${e.path}`;
const writeRoutes = routes.filter((r) => r.endpoint.method !== 'GET');
const readRoutes = routes.filter((r) => r.endpoint.method === 'GET');

/** The first caller the route's rules let through, owner first (so self-only routes reach their domain code); county staff for the county's routes. */
const CALLER_ORDER: Actor[] = ['owner', 'ownSecretary', 'staff', 'peer', 'county'];

describe('fuzzed inputs over every route [PGlite (embedded)]', () => {
  let ctx: TestContext;
  let w: World;
  let tables: string[] = [];
  const casesPerRoute: Record<string, number> = {};

  beforeAll(async () => {
    ctx = await createTestContext('pglite', {
      env: { WRITE_RATE_LIMIT: '100000000', LOGIN_RATE_LIMIT: '100000000', REDEEM_RATE_LIMIT: '100000000', AUDITED_READ_RATE_LIMIT: '100000000', BODY_LIMIT_BYTES: String(BODY_LIMIT) },
      // WeChat answers an openid of its own (28 URL-safe characters), whatever the code was.
      wechat: { code2session: async (code) => ({ openid: `wx-${createHash('sha256').update(code).digest('base64url').slice(0, 28)}` }) },
    });
    w = await buildWorld(ctx);
    const rows = rowsOf<{ table_name: string }>(
      await ctx.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`),
    );
    tables = rows.map((r) => r.table_name).filter((t) => !COUNTS_ATTEMPTS.has(t) && !t.startsWith('__drizzle'));
    await installChangeCounter(ctx, tables);
    const staff = await ctx.login('staff');
    const template = await ctx.call('GET', '/api/members/import-template', { token: staff });
    setUploadTemplate(template.bytes);
  }, 120_000);

  afterAll(async () => {
    const total = Object.values(casesPerRoute).reduce((a, b) => a + b, 0);
    console.log(
      `fuzz: ${Object.keys(casesPerRoute).length} routes, ${total} cases\n` +
        Object.entries(casesPerRoute)
          .map(([k, n]) => `  ${String(n).padStart(5)}  ${k}`)
          .join('\n'),
    );
    await ctx?.close();
  });

  it('every route has a fixture to mutate', () => {
    expect(routes.map((r) => keyOf(r.endpoint)).filter((k) => !FIXTURES[k])).toEqual([]);
  });

  it('the row-change counter agrees with per-table counts and checksums', async () => {
    const staff = await ctx.login('staff');
    const [counted0, sums0] = [await snapshot(ctx), await checksums(ctx, tables)];
    for (const body of [{ name: 1, year: 2026 }, { name: '表彰', year: 'x' }, { name: '表彰', year: 2026, role: 'staff' }]) {
      expect((await ctx.call('POST', '/api/commendation-campaigns', { token: staff, body, headers: { 'idempotency-key': randomUUID() } })).status).toBe(400);
    }
    const [counted1, sums1] = [await snapshot(ctx), await checksums(ctx, tables)];
    expect(changedTables(counted0, counted1)).toEqual([]);
    expect(changedTables(sums0, sums1)).toEqual([]);
    const created = await ctx.call('POST', '/api/commendation-campaigns', {
      token: staff,
      body: { name: `校验${randomUUID().slice(0, 6)}`, year: 2026 },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(created.status).toBeLessThan(300);
    const [counted2, sums2] = [await snapshot(ctx), await checksums(ctx, tables)];
    const seenByChecksum = changedTables(sums1, sums2);
    expect(seenByChecksum).toContain('commendation_campaigns');
    expect(changedTables(counted1, counted2)).toEqual(expect.arrayContaining(seenByChecksum));
  });

  /** A fresh valid request for the route and a token that holds the rights it needs. */
  async function prepareBase(endpoint: Endpoint): Promise<Base> {
    const key = keyOf(endpoint);
    const fixture = FIXTURES[key]!;
    if (endpoint.access === 'cron') return { prepared: await fixture.prepare(w, 'staff'), token: ctx.config.cronSecret ?? null };
    if (key === 'POST /api/registrations') {
      // A new applicant (the dev login makes one each time), so a registration that passes validation reaches the insert.
      return { prepared: await fixture.prepare(w, 'owner'), token: await consentingApplicant(ctx) };
    }
    const actor = CALLER_ORDER.find((a) => (fixture.override?.[a] ?? expectedOutcome(endpoint.access, endpoint.ownership, a)) === 'ok') ?? 'staff';
    const prepared = await fixture.prepare(w, actor);
    const token = actor === 'owner' ? (prepared.ownerToken ?? (await w.freshMember()).token) : w.tokens[actor as Exclude<Actor, 'owner' | 'anonymous'>];
    return { prepared, token };
  }

  /**
   * Runs `runs` generated requests against one route and checks the property
   * and the rows; `reprepare` refreshes the base after a success.
   */
  async function fuzzRoute<P>(endpoint: Endpoint, arb: fc.Arbitrary<P>, runs: number, toWire: (base: Base, plan: P) => Wire, afterEach?: () => void) {
    const key = keyOf(endpoint);
    let base = await prepareBase(endpoint);
    let baseline = await snapshot(ctx);
    let atDoor: string[] = [];
    let reprepares = 0;
    let successes = 0;
    let cases = 0;
    const statuses: Record<number, number> = {};

    const checkRows = async (suspects: string[]) => {
      const now = await snapshot(ctx);
      const changed = changedTables(baseline, now);
      baseline = now;
      return changed.length ? `refused request(s) changed ${changed.join(', ')}:\n  ${suspects.slice(-5).join('\n  ')}` : null;
    };

    await fc.assert(
      fc.asyncProperty(arb, async (plan) => {
        const wire = toWire(base, plan);
        const res = await ctx.call(wire.method, wire.path, { token: wire.token, body: wire.body, rawBody: wire.rawBody, headers: wire.headers, query: wire.query });
        afterEach?.();
        cases++;
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const problem = checkAnswer(endpoint, res, () => summarize(wire));
        if (problem) throw new Error(problem);
        const code = (res.body as { error?: { code?: string } } | null)?.error?.code;
        if (res.status < 300) {
          successes++;
          if (reprepares < MAX_REPREPARES) {
            reprepares++;
            base = await prepareBase(endpoint);
          }
          baseline = await snapshot(ctx);
          atDoor = [];
        } else if (code && DOOR_CODES.has(code)) {
          atDoor.push(`${res.status} ${code}: ${summarize(wire)}`);
          if (atDoor.length >= BATCH) {
            const rowProblem = await checkRows(atDoor);
            atDoor = [];
            if (rowProblem) throw new Error(rowProblem);
          }
        } else {
          // Refused by the domain (404, 409, 422…) after the handler ran: check at once.
          const rowProblem = await checkRows([...atDoor, `${res.status} ${code}: ${summarize(wire)}`]);
          atDoor = [];
          if (rowProblem) throw new Error(rowProblem);
        }
      }),
      { numRuns: runs, seed: SEED, endOnFailure: true },
    );
    if (atDoor.length) {
      const rowProblem = await checkRows(atDoor);
      if (rowProblem) throw new Error(rowProblem);
    }
    casesPerRoute[key] = cases;
    return { cases, successes, statuses };
  }

  for (const { endpoint } of writeRoutes) {
    const key = keyOf(endpoint);
    if (!FIXTURES[key]) continue; // reported by the coverage test above
    it(`${key}: ${WRITE_RUNS} mutated requests, no 5xx, refusals change no row`, async () => {
      const result = endpoint.rawBody
        ? await fuzzRoute(endpoint, uploadArb, WRITE_RUNS, applyUpload)
        : await fuzzRoute(endpoint, plansFor(endpoint), WRITE_RUNS, (base, plan) => applyPlan(endpoint, base, plan), () => {
            // The development clock is one of the routes: keep every other case at the test's "now".
            if (key === 'POST /api/dev/clock') ctx.clock.set(new Date(TEST_NOW));
          });
      expect(result.cases).toBe(WRITE_RUNS);
      // Some generated requests must get through, or the fuzz only ever tested the door.
      if (endpoint.body && !endpoint.rawBody) expect(result.successes + (result.statuses[409] ?? 0), JSON.stringify(result.statuses)).toBeGreaterThan(0);
    }, 120_000);
  }

  const queryArb = fc.record({
    id: fc.option(fc.constantFrom(...EVIL_IDS), { nil: undefined }),
    query: fc.dictionary(
      fc.oneof(fc.constantFrom('year', 'month', 'from', 'to', 'status', 'organizationId', 'memberId', 'page', 'pageSize', 'limit', 'q', 'state', 'kind', 'date', 'category'), fc.string({ maxLength: 8 })),
      fc.oneof(
        fc.constantFrom(...NUMBERISH, ...BAD_DATES, ...UNICODE_EDGES, '2026', '2026-06', '2026-06-15', 'pending', '1', '-5', '100000'),
        anyUtf16,
        fc.array(fc.constantFrom('1', '2026', 'x'), { minLength: 2, maxLength: 3 }),
      ),
      { maxKeys: 4 },
    ),
  });

  it(`GET routes: ${GET_RUNS} fuzzed path ids and query strings each, no 5xx, refusals change no row`, async () => {
    for (const { endpoint } of readRoutes) {
      if (!FIXTURES[keyOf(endpoint)]) continue; // reported by the coverage test above
      const t0 = performance.now();
      // Downloads build a whole workbook per answer: fewer cases, same generator.
      const runs = endpoint.response ? GET_RUNS : Math.ceil(GET_RUNS / 4);
      await fuzzRoute(endpoint, queryArb, runs, (base, plan) => {
        const { request } = base.prepared;
        const url = new URL(plan.id !== undefined ? withPathId(endpoint.path, request.path, plan.id) : request.path, 'http://test.local');
        for (const [k, v] of Object.entries({ ...request.query })) url.searchParams.set(k, v);
        for (const [k, v] of Object.entries(plan.query)) {
          url.searchParams.delete(k);
          for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
        }
        return { method: 'GET', path: url.pathname + url.search, token: base.token, headers: {} };
      });
      if (process.env.FUZZ_TIMING) console.log(keyOf(endpoint), Math.round(performance.now() - t0));
    }
  }, 240_000);
});
