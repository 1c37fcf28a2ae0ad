/** The fuzz suite's inputs: edge values, and the mutation plans fast-check draws for bodies, paths, tokens and uploads. */
import fc from 'fast-check';
import type { Endpoint } from '../../../shared/http.js';

export const WRITE_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
export const GET_RUNS = Number(process.env.FUZZ_GET_RUNS ?? 20);
export const BODY_LIMIT = 16 * 1024;
/** Requests refused at the door between two row checks. */
export const BATCH = 100;
/** Fresh fixtures after a success (a transfer already approved refuses every later case at the domain). */
export const MAX_REPREPARES = 10;
// CI replays one fixed exploration, so a landing never hinges on a lucky draw;
// locally every run explores anew (a failure prints its seed: FUZZ_SEED replays it).
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI ? 20_261_126 : undefined;

/** Refusals decided before any handler runs: they cannot have written anything. */
export const DOOR_CODES = new Set(['validation_failed', 'malformed_json', 'unsupported_media_type', 'payload_too_large', 'method_not_allowed']);
/** Tables whose rows change on a refused request by design. */
export const COUNTS_ATTEMPTS = new Set(['rate_limits']);
/** Audit actions written when a request is refused (issue 13.1: refused registrations are audited). */
/** …and refused invitation codes (issue 17.2: every try at a code is audited, so guessing shows in the log). */
export const AUDITED_REFUSALS = ['registration.refused', 'invitation.redeem_refused'];

// ---------------------------------------------------------------- generators

export const UNICODE_EDGES = [
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
export const NUMBERISH = ['NaN', 'Infinity', '-Infinity', '1e9', '0x10', ' 1', '1 ', '1.0', '-0', '+1', '99999999999', '0', '-1', '1_000', '１'];
export const BAD_DATES = [
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
export const BOUND_NUMBERS = [
  0, -0, 1, -1, 0.5, -0.5, 1.5, 2, 59, 60, 61, 100, 101, 1440, 1441, 2025, 2026, 2027, 1949, 9999, 10000, 100_000, 100_001,
  2_147_483_647, 2_147_483_648, -2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e21, -1e21, 1e308,
  -1e308, 5e-324, Number.NaN, Number.POSITIVE_INFINITY,
];
export const LENGTHS = [1, 2, 10, 19, 20, 21, 32, 33, 40, 41, 50, 51, 64, 65, 100, 101, 120, 121, 200, 201, 255, 256, 500, 501, 1000, 1001, 2000, 2001, 5000, 20_000];
export const FILLERS = ['a', '党', '·', '😀', ' ', '\u200B', '9', 'é'];

export const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 30 });

export const scalarArb: fc.Arbitrary<unknown> = fc.oneof(
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

export const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalarArb, weight: 8 },
  { arbitrary: fc.array(scalarArb, { maxLength: 4 }), weight: 1 },
  { arbitrary: fc.dictionary(fc.constantFrom('a', 'id', 'role', '__proto__'), scalarArb, { maxKeys: 3 }), weight: 1 },
  { arbitrary: fc.constantFrom([], {}, [[]], [{}], [1, 1, 1], Array.from({ length: 500 }, (_, i) => i + 1)), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);

export const EXTRA_FIELDS = [
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
export const PRIVILEGED_VALUES = ['staff', 'secretary', 'active', 'approved', 'letter_issued', 1, 2, true, 999_999];

export const MALFORMED_JSON = [
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

export const CONTENT_TYPES = [
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

export const EVIL_IDS = [
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
export type Plan =
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
export const INT_EDGES = [0, -1, 1, 1.5, 2_147_483_647, 2_147_483_648, -2_147_483_648, -2_147_483_649, 99_999_999_999, Number.MAX_SAFE_INTEGER, 1e21];

export const bodyPlans: Array<fc.WeightedArbitrary<Plan>> = [
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

export const pathIdPlan = fc.constantFrom(...EVIL_IDS).map((id): Plan => ({ kind: 'pathId', id }));
export const tokenPlan = fc.nat().map((variant): Plan => ({ kind: 'token', variant }));
export const idempotencyKeyPlan = fc
  .oneof(fc.constantFrom('', ' ', 'x'.repeat(300), 'x'.repeat(5000), '\u00e9\u00ff'), fc.string({ maxLength: 20 }))
  .map((key): Plan => ({ kind: 'idempotencyKey', key }));

/**
 * What varies depends on what the route reads: a body-less route ignores any
 * body, so its cases go to its path id and its credentials instead.
 */
export function plansFor(endpoint: Endpoint): fc.Arbitrary<Plan> {
  const extras: Array<fc.WeightedArbitrary<Plan>> = [
    { arbitrary: tokenPlan, weight: 1 },
    { arbitrary: idempotencyKeyPlan, weight: 1 },
  ];
  if (endpoint.body) return fc.oneof(...bodyPlans, ...extras, ...(endpoint.params ? [{ arbitrary: pathIdPlan, weight: 3 }] : []));
  if (endpoint.params) return fc.oneof({ arbitrary: pathIdPlan, weight: 12 }, { arbitrary: tokenPlan, weight: 4 }, ...bodyPlans.slice(0, 3), ...extras);
  return fc.oneof({ arbitrary: tokenPlan, weight: 30 }, ...bodyPlans.slice(0, 2), ...extras);
}


/** Uploads: random bytes, a zip header over junk, cut-off or bit-flipped copies of a real workbook. */
export type UploadPlan =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'zipJunk'; bytes: Uint8Array }
  | { kind: 'truncated'; at: number }
  | { kind: 'flipped'; at: number; xor: number }
  | { kind: 'json'; text: string }
  | { kind: 'oversized' };
export const uploadArb: fc.Arbitrary<UploadPlan> = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }).map((bytes): UploadPlan => ({ kind: 'bytes', bytes })),
  fc.uint8Array({ maxLength: 2000 }).map((bytes): UploadPlan => ({ kind: 'zipJunk', bytes })),
  fc.nat().map((at): UploadPlan => ({ kind: 'truncated', at })),
  fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }).map((r): UploadPlan => ({ kind: 'flipped', ...r })),
  fc.constantFrom(...MALFORMED_JSON.slice(0, 12)).map((text): UploadPlan => ({ kind: 'json', text })),
  fc.constant<UploadPlan>({ kind: 'oversized' }),
);

// ------------------------------------------------------------ applying plans
