/** Turning a plan into the request on the wire: the route fixture's valid request, mutated as the plan says. */
import { randomUUID } from 'node:crypto';
import { compilePath } from '../../../api/_app/app.js';
import type { Endpoint } from '../../../shared/http.js';
import type { Prepared } from '../route-fixtures/index.js';
import { BODY_LIMIT, type Plan, type UploadPlan } from './inputs.js';

export interface Wire {
  method: string;
  path: string;
  query?: Record<string, string>;
  token: string | null;
  headers: Record<string, string>;
  body?: unknown;
  rawBody?: string | Uint8Array;
}

export interface Base {
  prepared: Prepared;
  token: string | null;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function bodyKeys(body: unknown): string[] {
  return isPlainObject(body) ? Object.keys(body) : [];
}

export function withPathId(endpointPath: string, actualPath: string, id: string): string {
  const { pattern, paramNames } = compilePath(endpointPath);
  if (paramNames.length === 0) return actualPath;
  const m = pattern.exec(actualPath);
  if (!m) return actualPath;
  return endpointPath.replace(/:[A-Za-z]+/, id).replace(/:[A-Za-z]+/g, () => m[2] ?? '1');
}

export function applyPlan(endpoint: Endpoint, base: Base, plan: Plan): Wire {
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
export function tamperedCredentials(token: string): string[] {
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
/** The roster import template the upload plans cut and flip (read once the suite's database is up). */
export function setUploadTemplate(bytes: Uint8Array): void {
  templateXlsx = bytes;
}

export function applyUpload(base: Base, plan: UploadPlan): Wire {
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
