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
import { compilePath } from '../../api/_app/app.js';
import { rowsOf } from '../../db/client.js';
import { routes } from '../../api/_routes.js';
import type { Endpoint } from '../../shared/http.js';
import { TEST_NOW } from '../helpers/constants.js';
import { createTestContext, type CallResult, type TestContext } from '../helpers/harness.js';
import { buildWorld, expectedOutcome, FIXTURES, type Actor, type Prepared, type World } from '../helpers/route-fixtures.js';
import { consentingApplicant } from '../helpers/privacy.js';

const WRITE_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const GET_RUNS = Number(process.env.FUZZ_GET_RUNS ?? 20);
const BODY_LIMIT = 16 * 1024;
/** Requests refused at the door between two row checks. */
const BATCH = 100;
/** Fresh fixtures after a success (a transfer already approved refuses every later case at the domain). */
const MAX_REPREPARES = 10;
// CI replays one fixed exploration, so a landing never hinges on a lucky draw;
// locally every run explores anew (a failure prints its seed: FUZZ_SEED replays it).
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI ? 20_261_126 : undefined;

/** Refusals decided before any handler runs: they cannot have written anything. */
const DOOR_CODES = new Set(['validation_failed', 'malformed_json', 'unsupported_media_type', 'payload_too_large', 'method_not_allowed']);
/** Tables whose rows change on a refused request by design. */
const COUNTS_ATTEMPTS = new Set(['rate_limits']);
/** Audit actions written when a request is refused (issue 13.1: refused registrations are audited). */
/** …and refused invitation codes (issue 17.2: every try at a code is audited, so guessing shows in the log). */
const AUDITED_REFUSALS = ['registration.refused', 'invitation.redeem_refused'];

// ---------------------------------------------------------------- generators

const UNICODE_EDGES = [
  '阿卜杜拉·买买提',
  '欧阳·娜娜·', // trailing middle dot
  '·',
  '😀党员👨‍👩‍👧',
  '\u202E党员\u202C', // RTL override
  '\u200F\u200E', // RTL/LTR marks
  '张\u200B三', // zero-width space
  '\uFEFF张三', // BOM
  '张\u0000三', // NUL: PostgreSQL text cannot hold it
  '\u0007\u001B[31m',
  'line\nbreak\r\n',
  '\uD800', // lone high surrogate
  '\uDC00x', // lone low surrogate
  'e\u0301\u0301\u0301', // combining marks
  '𠀀𪚥', // astral CJK
  '   ',
  '',
  "'; drop table members; --",
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '%00%2e%2e/',
  'ＡＢＣ１２３', // full-width
  '١٢٣', // Arabic-Indic digits
];
const NUMBERISH = ['NaN', 'Infinity', '-Infinity', '1e9', '0x10', ' 1', '1 ', '1.0', '-0', '+1', '99999999999', '0', '-1', '1_000', '１'];
const BAD_DATES = [
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '2026-06-31',
  '2025-02-29',
  '0000-01-01',
  '9999-12-31',
  '1900-01-01',
  '2100-01-01',
  '2026-6-1',
  '2026/06/15',
  '+02026-06-15',
  '2026-06-15T00:00:00Z',
  '2026-06-15T25:61:00+08:00',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '2026-13',
  '2026-00',
  '2026-6',
  '20260615',
];
const BOUND_NUMBERS = [
  0, -0, 1, -1, 0.5, -0.5, 1.5, 2, 59, 60, 61, 100, 101, 1440, 1441, 2025, 2026, 2027, 1949, 9999, 10000, 100_000, 100_001,
  2_147_483_647, 2_147_483_648, -2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e21, -1e21, 1e308,
  -1e308, 5e-324, Number.NaN, Number.POSITIVE_INFINITY,
];
const LENGTHS = [1, 2, 10, 19, 20, 21, 32, 33, 40, 41, 50, 51, 64, 65, 100, 101, 120, 121, 200, 201, 255, 256, 500, 501, 1000, 1001, 2000, 2001, 5000, 20_000];
const FILLERS = ['a', '党', '·', '😀', ' ', '\u200B', '9', 'é'];

const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 30 });

const scalarArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...UNICODE_EDGES), weight: 4 },
  { arbitrary: fc.constantFrom(...NUMBERISH), weight: 2 },
  { arbitrary: fc.constantFrom(...BAD_DATES), weight: 3 },
  { arbitrary: fc.constantFrom(...BOUND_NUMBERS), weight: 4 },
  { arbitrary: fc.tuple(fc.constantFrom(...FILLERS), fc.constantFrom(...LENGTHS)).map(([c, n]) => c.repeat(n)), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: anyUtf16, weight: 2 },
  { arbitrary: fc.integer(), weight: 2 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.constantFrom(true, false, null), weight: 2 },
);

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalarArb, weight: 8 },
  { arbitrary: fc.array(scalarArb, { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.dictionary(fc.constantFrom('a', 'id', 'role', '__proto__'), scalarArb, { maxKeys: 3 }), weight: 1 },
  { arbitrary: fc.constantFrom([], {}, [[]], [{}], [1, 1, 1], Array.from({ length: 500 }, (_, i) => i + 1)), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

const EXTRA_FIELDS = [
  'role',
  'status',
  'organizationId',
  'memberId',
  'accountId',
  'isAdmin',
  'id',
  'version',
  'state',
  'createdAt',
  'letterNumber',
  'authVersion',
  '__proto__',
  'constructor',
  '',
];
const PRIVILEGED_VALUES = ['staff', 'secretary', 'active', 'approved', 'letter_issued', 1, 2, true, 999_999];

const MALFORMED_JSON = [
  '{',
  '}',
  '{"a":}',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  'null',
  'true',
  '0',
  '"text"',
  '[]',
  '[{}]',
  '{"a":NaN}',
  '{"a":undefined}',
  '{"a":1e999}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '\uFEFF{}',
  ' ',
  '\u0000',
  '{"__proto__":{"isAdmin":true,"role":"staff"}}',
  '{"constructor":{"prototype":{"role":"staff"}}}',
  '[' .repeat(6000) + ']'.repeat(6000),
  '{"a":'.repeat(2500) + '1' + '}'.repeat(2500),
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'application/jsonx',
  'json',
  '',
];

const EVIL_IDS = [
  'abc',
  '-1',
  '0',
  '1e9',
  '1e3',
  '99999999999',
  '2147483647',
  '2147483648',
  '1.5',
  '0x10',
  ' 1',
  '１２',
  '١',
  'NaN',
  'Infinity',
  '%00',
  '%',
  '%E0%A4%A',
  '%2e%2e',
  '..',
  "1'%20or%20'1'='1",
  '9'.repeat(400),
  '%F0%9F%98%80',
];

/**
 * A mutation plan, independent of the base request it is applied to, so the
 * base can be refreshed (fresh fixture state) while fast-check generates plans.
 */
type Plan =
  | { kind: 'valid' }
  | { kind: 'drop'; pick: number }
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'replaceInArray'; pick: number; value: unknown }
  | { kind: 'extra'; field: string; value: unknown }
  | { kind: 'several'; edits: Array<{ pick: number; value: unknown }> }
  | { kind: 'notAnObject'; value: unknown }
  | { kind: 'deep'; pick: number; depth: number; objects: boolean }
  | { kind: 'raw'; text: string }
  | { kind: 'invalidUtf8'; bytes: number[] }
  | { kind: 'contentType'; type: string; dropBody: boolean }
  | { kind: 'oversized'; filler: string }
  | { kind: 'pathId'; id: string }
  | { kind: 'idempotencyKey'; key: string }
  | { kind: 'token'; variant: number }
  | { kind: 'numberEdge'; pick: number; value: number };

/** Integers just inside and outside PostgreSQL's int4, JavaScript's safe range, and fractions. */
const INT_EDGES = [0, -1, 1, 1.5, 2_147_483_647, 2_147_483_648, -2_147_483_648, -2_147_483_649, 99_999_999_999, Number.MAX_SAFE_INTEGER, 1e21];

const bodyPlans: Array<fc.WeightedArbitrary<Plan>> = [
  { arbitrary: fc.constant<Plan>({ kind: 'valid' }), weight: 1 },
  { arbitrary: fc.nat().map((pick): Plan => ({ kind: 'drop', pick })), weight: 3 },
  { arbitrary: fc.record({ pick: fc.nat(), value: valueArb }).map((r): Plan => ({ kind: 'replace', ...r })), weight: 14 },
  { arbitrary: fc.record({ pick: fc.nat(), value: scalarArb }).map((r): Plan => ({ kind: 'replaceInArray', ...r })), weight: 2 },
  { arbitrary: fc.record({ pick: fc.nat(), value: fc.constantFrom(...INT_EDGES) }).map((r): Plan => ({ kind: 'numberEdge', ...r })), weight: 4 },
  {
    arbitrary: fc
      .record({ field: fc.constantFrom(...EXTRA_FIELDS), value: fc.oneof(fc.constantFrom(...PRIVILEGED_VALUES), scalarArb) })
      .map((r): Plan => ({ kind: 'extra', ...r })),
    weight: 3,
  },
  {
    arbitrary: fc.array(fc.record({ pick: fc.nat(), value: scalarArb }), { minLength: 2, maxLength: 4 }).map((edits): Plan => ({ kind: 'several', edits })),
    weight: 3,
  },
  { arbitrary: valueArb.map((value): Plan => ({ kind: 'notAnObject', value })), weight: 1 },
  {
    arbitrary: fc.record({ pick: fc.nat(), depth: fc.integer({ min: 50, max: 2500 }), objects: fc.boolean() }).map((r): Plan => ({ kind: 'deep', ...r })),
    weight: 1,
  },
  { arbitrary: fc.constantFrom(...MALFORMED_JSON).map((text): Plan => ({ kind: 'raw', text })), weight: 2 },
  {
    arbitrary: fc
      .array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 6 })
      .map((bytes): Plan => ({ kind: 'invalidUtf8', bytes })),
    weight: 1,
  },
  {
    arbitrary: fc.record({ type: fc.constantFrom(...CONTENT_TYPES), dropBody: fc.boolean() }).map((r): Plan => ({ kind: 'contentType', ...r })),
    weight: 1,
  },
  { arbitrary: fc.constantFrom('a', '党', '😀').map((filler): Plan => ({ kind: 'oversized', filler })), weight: 1 },
];

const pathIdPlan = fc.constantFrom(...EVIL_IDS).map((id): Plan => ({ kind: 'pathId', id }));
const tokenPlan = fc.nat().map((variant): Plan => ({ kind: 'token', variant }));
const idempotencyKeyPlan = fc
  .oneof(fc.constantFrom('', ' ', 'x'.repeat(300), 'x'.repeat(5000), '\u00e9\u00ff'), fc.string({ maxLength: 20 }))
  .map((key): Plan => ({ kind: 'idempotencyKey', key }));

/**
 * What varies depends on what the route reads: a body-less route ignores any
 * body, so its cases go to its path id and its credentials instead.
 */
function plansFor(endpoint: Endpoint): fc.Arbitrary<Plan> {
  const extras: Array<fc.WeightedArbitrary<Plan>> = [
    { arbitrary: tokenPlan, weight: 1 },
    { arbitrary: idempotencyKeyPlan, weight: 1 },
  ];
  if (endpoint.body) return fc.oneof(...bodyPlans, ...extras, ...(endpoint.params ? [{ arbitrary: pathIdPlan, weight: 3 }] : []));
  if (endpoint.params) return fc.oneof({ arbitrary: pathIdPlan, weight: 12 }, { arbitrary: tokenPlan, weight: 4 }, ...bodyPlans.slice(0, 3), ...extras);
  return fc.oneof({ arbitrary: tokenPlan, weight: 30 }, ...bodyPlans.slice(0, 2), ...extras);
}


/** Uploads: random bytes, a zip header over junk, cut-off or bit-flipped copies of a real workbook. */
type UploadPlan =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'zipJunk'; bytes: Uint8Array }
  | { kind: 'truncated'; at: number }
  | { kind: 'flipped'; at: number; xor: number }
  | { kind: 'json'; text: string }
  | { kind: 'oversized' };
const uploadArb: fc.Arbitrary<UploadPlan> = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((bytes): UploadPlan => ({ kind: 'bytes', bytes })),
  fc.uint8Array({ maxLength: 2000 }).map((bytes): UploadPlan => ({ kind: 'zipJunk', bytes })),
  fc.nat().map((at): UploadPlan => ({ kind: 'truncated', at })),
  fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }).map((r): UploadPlan => ({ kind: 'flipped', ...r })),
  fc.constantFrom(...MALFORMED_JSON.slice(0, 12)).map((text): UploadPlan => ({ kind: 'json', text })),
  fc.constant<UploadPlan>({ kind: 'oversized' }),
);

// ------------------------------------------------------------ applying plans

interface Wire {
  method: string;
  path: string;
  query?: Record<string, string>;
  token: string | null;
  headers: Record<string, string>;
  body?: unknown;
  rawBody?: string | Uint8Array;
}

interface Base {
  prepared: Prepared;
  token: string | null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bodyKeys(body: unknown): string[] {
  return isPlainObject(body) ? Object.keys(body) : [];
}

function withPathId(endpointPath: string, actualPath: string, id: string): string {
  const { pattern, paramNames } = compilePath(endpointPath);
  if (paramNames.length === 0) return actualPath;
  const m = pattern.exec(actualPath);
  if (!m) return actualPath;
  return endpointPath.replace(/:[A-Za-z]+/, id).replace(/:[A-Za-z]+/g, () => m[2] ?? '1');
}

function applyPlan(endpoint: Endpoint, base: Base, plan: Plan): Wire {
  const { request } = base.prepared;
  const wire: Wire = {
    method: request.method,
    path: request.path,
    query: request.query,
    token: base.token,
    headers: { 'idempotency-key': `fuzz-${randomUUID()}` },
    body: request.body ?? (endpoint.body ? {} : undefined),
  };
  const original = wire.body;
  const keys = bodyKeys(original);
  const keyAt = (pick: number) => keys[pick % Math.max(1, keys.length)];
  const clone = (): Record<string, unknown> => (isPlainObject(original) ? { ...original } : {});
  switch (plan.kind) {
    case 'valid':
      break;
    case 'drop': {
      const b = clone();
      const key = keyAt(plan.pick);
      if (key !== undefined) delete b[key];
      wire.body = b;
      break;
    }
    case 'replace': {
      const b = clone();
      b[keyAt(plan.pick) ?? 'value'] = plan.value;
      wire.body = b;
      break;
    }
    case 'replaceInArray': {
      const b = clone();
      const arrays = keys.filter((k) => Array.isArray(b[k]));
      const key = arrays[plan.pick % Math.max(1, arrays.length)] ?? keyAt(plan.pick) ?? 'value';
      const arr = Array.isArray(b[key]) ? [...(b[key] as unknown[])] : [];
      arr[plan.pick % Math.max(1, arr.length)] = plan.value;
      b[key] = arr;
      wire.body = b;
      break;
    }
    case 'numberEdge': {
      // Ids, versions, years, minutes: the numeric fields (or arrays of them) of the valid body.
      const b = clone();
      const numeric = keys.filter((k) => typeof b[k] === 'number' || (Array.isArray(b[k]) && (b[k] as unknown[]).every((x) => typeof x === 'number')));
      const key = numeric[plan.pick % Math.max(1, numeric.length)] ?? keyAt(plan.pick) ?? 'value';
      b[key] = Array.isArray(b[key]) ? [plan.value] : plan.value;
      wire.body = b;
      break;
    }
    case 'extra': {
      // Computed keys define own properties, `__proto__` included, so JSON carries them.
      wire.body = { ...clone(), [plan.field]: plan.value };
      break;
    }
    case 'several': {
      const b = clone();
      for (const e of plan.edits) b[keyAt(e.pick) ?? 'value'] = e.value;
      wire.body = b;
      break;
    }
    case 'notAnObject':
      wire.body = plan.value;
      break;
    case 'deep': {
      const b = clone();
      b[keyAt(plan.pick) ?? 'value'] = '__DEEP__';
      const nested = plan.objects ? '{"a":'.repeat(plan.depth) + '1' + '}'.repeat(plan.depth) : '['.repeat(plan.depth) + ']'.repeat(plan.depth);
      wire.rawBody = JSON.stringify(b).replace('"__DEEP__"', nested);
      wire.headers['content-type'] = 'application/json';
      break;
    }
    case 'raw':
      wire.rawBody = plan.text;
      wire.headers['content-type'] = 'application/json';
      break;
    case 'invalidUtf8': {
      const prefix = new TextEncoder().encode('{"name":"');
      const suffix = new TextEncoder().encode('"}');
      wire.rawBody = new Uint8Array([...prefix, ...plan.bytes, ...suffix]);
      wire.headers['content-type'] = 'application/json';
      break;
    }
    case 'contentType':
      wire.rawBody = plan.dropBody ? '' : JSON.stringify(original ?? {});
      if (plan.type) wire.headers['content-type'] = plan.type;
      break;
    case 'oversized': {
      const b = clone();
      b[keyAt(0) ?? 'value'] = plan.filler.repeat(BODY_LIMIT);
      wire.body = b;
      break;
    }
    case 'pathId':
      wire.path = withPathId(endpoint.path, request.path, plan.id);
      break;
    case 'idempotencyKey':
      wire.headers['idempotency-key'] = plan.key;
      break;
    case 'token': {
      const variants = tamperedCredentials(base.token ?? '');
      wire.token = null;
      const value = variants[plan.variant % variants.length]!;
      if (value) wire.headers.authorization = value;
      break;
    }
  }
  return wire;
}

/** A valid credential, damaged in the ways an attacker or a broken client would. */
function tamperedCredentials(token: string): string[] {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    // the cron secret is not a JWT
  }
  const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
  return [
    '',
    'Bearer',
    'Bearer ',
    `Bearer ${token}x`,
    `Bearer ${token.slice(0, -1)}`,
    `Bearer ${flip(token, Math.floor(token.length / 2))}`,
    `Bearer ${flip(token, token.length - 1)}`,
    `Basic ${token}`,
    `Token ${token}`,
    `Bearer ${token} ${token}`,
    `Bearer ${token},${token}`,
    `Bearer ${'a'.repeat(4000)}`,
    `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, role: 'staff' })}.`,
    `Bearer ${header}.${b64({ ...claims, role: 'staff', org: 1 })}.${signature}`,
    `Bearer ${header}.${b64({ ...claims, exp: 4_102_444_800 })}.${signature}`,
    `Bearer ${b64({ alg: 'HS512', typ: 'JWT' })}.${payload}.${signature}`,
    `Bearer ${header}.${payload}`,
    `Bearer ${header}..${signature}`,
    'Bearer ...',
    'Bearer null',
    'Bearer undefined',
  ];
}

let templateXlsx: Uint8Array = new Uint8Array();

function applyUpload(base: Base, plan: UploadPlan): Wire {
  const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const wire: Wire = {
    method: 'POST',
    path: base.prepared.request.path,
    token: base.token,
    headers: { 'content-type': xlsx, 'idempotency-key': `fuzz-${randomUUID()}` },
  };
  switch (plan.kind) {
    case 'bytes':
      wire.rawBody = plan.bytes;
      break;
    case 'zipJunk':
      wire.rawBody = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...plan.bytes]);
      break;
    case 'truncated':
      wire.rawBody = templateXlsx.slice(0, plan.at % Math.max(1, templateXlsx.length));
      break;
    case 'flipped': {
      const copy = templateXlsx.slice();
      if (copy.length) copy[plan.at % copy.length]! ^= plan.xor;
      wire.rawBody = copy;
      break;
    }
    case 'json':
      wire.rawBody = plan.text;
      wire.headers['content-type'] = 'application/json';
      break;
    case 'oversized':
      wire.rawBody = new Uint8Array(BODY_LIMIT + 1);
      break;
  }
  return wire;
}

// ---------------------------------------------------------------- row checks

/**
 * A row trigger on every table (rate_limits aside) counts committed row writes
 * per table in this test's own copy of the database. A rolled-back write rolls
 * its count back too, so the counter moves exactly when rows were changed. It is
 * stricter than comparing counts and checksums (it also sees an insert undone by
 * a delete, or an update writing equal values) and costs one small read instead
 * of hashing every table, so it can run after every refused request.
 */
async function installChangeCounter(ctx: TestContext, tables: string[]): Promise<void> {
  await ctx.db.execute(sql.raw(`create table fuzz_row_changes (table_name text primary key, n bigint not null)`));
  await ctx.db.execute(
    sql.raw(`create function fuzz_count_change() returns trigger language plpgsql as $$
begin
  insert into fuzz_row_changes (table_name, n) values (TG_TABLE_NAME, 1)
    on conflict (table_name) do update set n = fuzz_row_changes.n + 1;
  return null;
end $$`),
  );
  for (const t of tables) {
    if (t === 'audit_log') {
      // A refusal the domain records by design (a refused registration is audited) is the one row a refusal may add.
      const recorded = AUDITED_REFUSALS.map((a) => `'${a}'`).join(', ');
      await ctx.db.execute(sql.raw(`create trigger fuzz_count_rows after insert on "${t}" for each row when (new.action not in (${recorded})) execute function fuzz_count_change()`));
      await ctx.db.execute(sql.raw(`create trigger fuzz_count_changes after update or delete on "${t}" for each row execute function fuzz_count_change()`));
      await ctx.db.execute(sql.raw(`create trigger fuzz_count_truncate after truncate on "${t}" for each statement execute function fuzz_count_change()`));
      continue;
    }
    await ctx.db.execute(sql.raw(`create trigger fuzz_count_rows after insert or update or delete on "${t}" for each row execute function fuzz_count_change()`));
    await ctx.db.execute(sql.raw(`create trigger fuzz_count_truncate after truncate on "${t}" for each statement execute function fuzz_count_change()`));
  }
}

async function snapshot(ctx: TestContext): Promise<Map<string, string>> {
  const rows = rowsOf<{ table_name: string; n: string | number }>(await ctx.db.execute(sql.raw('select table_name, n from fuzz_row_changes')));
  return new Map(rows.map((r) => [r.table_name, String(r.n)]));
}

/** Per-table row counts and checksums: the slow, independent check the counter is compared with. */
async function checksums(ctx: TestContext, tables: string[]): Promise<Map<string, string>> {
  const query = tables
    .map((t) => `select '${t}' as name, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as sum from "${t}" x`)
    .join(' union all ');
  const rows = rowsOf<{ name: string; sum: string }>(await ctx.db.execute(sql.raw(query)));
  return new Map(rows.map((r) => [r.name, r.sum]));
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
}

// ---------------------------------------------------------------- the answer

function checkAnswer(endpoint: Endpoint, res: CallResult, describe: () => string): string | null {
  if (res.status >= 500) return `${res.status} ${JSON.stringify(res.body)} for ${describe()}`;
  if (res.status >= 200 && res.status < 300) {
    if (!endpoint.response) return null; // a file download
    if (res.status === 204) return null;
    const parsed = endpoint.response.safeParse(res.body);
    return parsed.success ? null : `2xx body does not match the response schema (${parsed.error.issues[0]?.message}) for ${describe()}`;
  }
  if (res.status >= 400 && res.status < 500) {
    const ct = res.headers.get('content-type') ?? '';
    const body = res.body as { error?: { code?: unknown; message?: unknown } } | null;
    if (!ct.includes('application/json') || typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string' || !body.error.message) {
      return `${res.status} without a JSON error body (${ct}) for ${describe()}`;
    }
    return null;
  }
  return `unexpected status ${res.status} for ${describe()}`;
}

function summarize(wire: Wire): string {
  const body = wire.rawBody !== undefined ? (typeof wire.rawBody === 'string' ? wire.rawBody : `<${wire.rawBody.length} bytes>`) : JSON.stringify(wire.body);
  return `${wire.method} ${wire.path} ct=${wire.headers['content-type'] ?? '-'} body=${(body ?? '').slice(0, 200)}`;
}

// ---------------------------------------------------------------- the suite

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
    templateXlsx = template.bytes;
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
