/**
 * The app has two doors: `fetch` (a Web Request, as Vercel and the tests call it) and `handle`
 * (the Node server's own light request, server/node-server.ts). Whatever a client sends, both
 * must answer alike: same status, same body bytes, same headers, but for what only a socket has
 * (Date, Connection, Keep-Alive, Content-Length, and Vary naming Accept-Encoding).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/node-server.js';
import { createTestContext, type TestContext } from '../helpers/harness.js';

const SOCKET_ONLY = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

interface Sent {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Fields that read the running clock or a timer differ between any two calls, whichever door they come through. */
const CLOCK_READINGS = new Set(['serverNow', 'now', 'latencyMs']);
const withoutClockReadings = (text: string) => JSON.stringify(JSON.parse(text, (key, value: unknown) => (CLOCK_READINGS.has(key) ? undefined : value)));

async function seen(response: Response): Promise<Seen> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (SOCKET_ONLY.has(name)) return;
    // The Node server adds Accept-Encoding to Vary for compressible answers; the rest of Vary must agree.
    const kept = name === 'vary' ? value.split(/,\s*/).filter((v) => v.toLowerCase() !== 'accept-encoding').join(', ') : value;
    if (kept) headers[name] = kept;
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  // A workbook carries the time it was written (zip entry times, the compressed core.xml), so its
  // bytes and even its size differ between any two downloads: its file signature stands for it.
  const body = (headers['content-type'] ?? '').includes('json') ? withoutClockReadings(bytes.toString('utf8')) : `file ${bytes.subarray(0, 4).toString('hex')}`;
  return { status: response.status, headers, body };
}

describe('the Node server answers as the fetch handler does', () => {
  let ctx: TestContext;
  let server: RunningServer;
  let member = '';
  let staff = '';
  beforeAll(async () => {
    ctx = await createTestContext('pglite', { env: { CORS_ORIGINS: 'https://h5.example.cn', BODY_LIMIT_BYTES: String(64 * 1024) } });
    server = await startServer({ app: ctx.app });
    member = await ctx.login('member');
    staff = await ctx.login('staff');
  });
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
  });

  const cases: [string, () => Sent][] = [
    ['a public read', () => ({ method: 'GET', path: '/api/health' })],
    ['a member read with a query', () => ({ method: 'GET', path: '/api/study/me?month=2026-03', headers: { authorization: `Bearer ${member}` } })],
    ['repeated query keys', () => ({ method: 'GET', path: '/api/study/me?month=2026-03&month=2026-04', headers: { authorization: `Bearer ${member}` } })],
    ['no token', () => ({ method: 'GET', path: '/api/study/me' })],
    ['a forbidden route', () => ({ method: 'GET', path: '/api/dashboard', headers: { authorization: `Bearer ${member}` } })],
    ['an unknown route', () => ({ method: 'GET', path: '/api/no-such-route' })],
    ['a wrong method', () => ({ method: 'PUT', path: '/api/health' })],
    ['a malformed path escape', () => ({ method: 'GET', path: '/api/transfers/%', headers: { authorization: `Bearer ${staff}` } })],
    ['malformed JSON', () => ({ method: 'POST', path: '/api/auth/dev', headers: { 'content-type': 'application/json' }, body: '{"role":' })],
    ['a body that is not JSON', () => ({ method: 'POST', path: '/api/auth/dev', headers: { 'content-type': 'text/plain' }, body: 'role=member' })],
    ['a body past the size limit', () => ({ method: 'POST', path: '/api/auth/dev', headers: { 'content-type': 'application/json' }, body: `{"pad":"${'x'.repeat(100 * 1024)}"}` })],
    ['a write without its Idempotency-Key', () => ({ method: 'POST', path: '/api/study/checkins', headers: { authorization: `Bearer ${member}`, 'content-type': 'application/json' }, body: '{"way":"platform","topic":"学习党章","minutes":5}' })],
    ['a CORS preflight from an allowed origin', () => ({ method: 'OPTIONS', path: '/api/study/me', headers: { origin: 'https://h5.example.cn', 'access-control-request-method': 'GET' } })],
    ['a read from an allowed origin', () => ({ method: 'GET', path: '/api/health', headers: { origin: 'https://h5.example.cn' } })],
    ['a file download', () => ({ method: 'GET', path: '/api/members/import-template', headers: { authorization: `Bearer ${staff}` } })],
  ];

  it.each(cases)('%s', async (_, make) => {
    const sent = make();
    const init = { method: sent.method, headers: sent.headers ?? {}, body: sent.body };
    const viaFetch = await seen(await ctx.app.fetch(new Request(`http://test.local${sent.path}`, init), { remoteAddress: '127.0.0.1' }));
    // Compression is the server's alone (tests/api/compression.test.ts); here the bodies are compared as sent.
    const viaServer = await seen(await fetch(`${server.url}${sent.path}`, { ...init, headers: { ...init.headers, 'accept-encoding': 'identity' } }));
    expect(viaServer).toEqual(viaFetch);
  });

  it('the cases reach the answers they are named for', async () => {
    const statusOf = async (s: Sent) => (await fetch(`${server.url}${s.path}`, { method: s.method, headers: s.headers ?? {}, body: s.body })).status;
    const byName = Object.fromEntries(cases.map(([name, make]) => [name, make]));
    expect(await statusOf(byName['a member read with a query']!())).toBe(200);
    expect(await statusOf(byName['no token']!())).toBe(401);
    expect(await statusOf(byName['a forbidden route']!())).toBe(403);
    expect(await statusOf(byName['a wrong method']!())).toBe(405);
    expect(await statusOf(byName['a body past the size limit']!())).toBe(413);
    expect(await statusOf(byName['a body that is not JSON']!())).toBe(415);
    expect(await statusOf(byName['a CORS preflight from an allowed origin']!())).toBe(204);
    expect(await statusOf(byName['a file download']!())).toBe(200);
  });
});
