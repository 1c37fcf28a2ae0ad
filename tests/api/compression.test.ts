/**
 * Compressed answers of the Node server (`npm start`), on both drivers: the
 * H5 files' precompressed .br/.gz picked by Accept-Encoding (Vary says so),
 * hashed files cached a year and index.html revalidated (304 when unchanged),
 * and API answers above 1 KB compressed when the client accepts it, small ones
 * and clients that accept nothing served as they are.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { negotiateEncoding } from '../../server/compression.js';
import { startServer, type RunningServer } from '../../server/node-server.js';
import { IMMUTABLE, REVALIDATE } from '../../server/static-headers.js';
import { describeEachDriver } from '../helpers/harness.js';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent, still compressed. */
  raw: Buffer;
}

/** node:http, not fetch: fetch would ask for and undo the compression itself. */
function get(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const decode = (a: RawAnswer) =>
  (a.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(a.raw) : a.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(a.raw) : a.raw).toString('utf8');

const APP_JS = `console.log(${JSON.stringify('党建'.repeat(2000))})`;
const INDEX = '<!doctype html><html><body><div id="app"></div><script src="/js/app.0a1b2c3d.js"></script></body></html>';

it('negotiates by q-values: brotli first, q=0 refuses, * stands for the rest', () => {
  expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
  expect(negotiateEncoding('gzip, deflate')).toBe('gzip');
  expect(negotiateEncoding('br;q=0, gzip')).toBe('gzip');
  expect(negotiateEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
  expect(negotiateEncoding('*')).toBe('br');
  expect(negotiateEncoding('*;q=0, identity')).toBeNull();
  expect(negotiateEncoding('')).toBeNull();
  expect(negotiateEncoding(undefined)).toBeNull();
  expect(negotiateEncoding('gzip, br', ['gzip'])).toBe('gzip');
});

describeEachDriver('compressed answers of the Node server', (ctx) => {
  let dir = '';
  let server: RunningServer | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'h5-compressed-'));
    await mkdir(path.join(dir, 'js'), { recursive: true });
    await writeFile(path.join(dir, 'index.html'), INDEX);
    await writeFile(path.join(dir, 'index.html.br'), zlib.brotliCompressSync(INDEX));
    await writeFile(path.join(dir, 'index.html.gz'), zlib.gzipSync(INDEX));
    await writeFile(path.join(dir, 'js', 'app.0a1b2c3d.js'), APP_JS);
    await writeFile(path.join(dir, 'js', 'app.0a1b2c3d.js.br'), zlib.brotliCompressSync(APP_JS));
    await writeFile(path.join(dir, 'js', 'app.0a1b2c3d.js.gz'), zlib.gzipSync(APP_JS));
    await writeFile(path.join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    server = await startServer({ app: ctx().app, staticDir: dir });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends the precompressed file the client accepts, the same bytes once decoded, with Vary', async () => {
    const url = `${server!.url}/js/app.0a1b2c3d.js`;
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get(url, { 'accept-encoding': 'gzip' });
    const plain = await get(url);
    expect([br.headers['content-encoding'], gz.headers['content-encoding'], plain.headers['content-encoding']]).toEqual(['br', 'gzip', undefined]);
    for (const a of [br, gz, plain]) {
      expect(a.status).toBe(200);
      expect(decode(a)).toBe(APP_JS);
      expect(a.headers.vary).toBe('Accept-Encoding');
      expect(a.headers['content-type']).toContain('javascript');
      expect(a.headers['cache-control']).toBe(IMMUTABLE);
      expect(Number(a.headers['content-length'])).toBe(a.raw.length);
    }
    expect(br.raw.length).toBeLessThan(APP_JS.length / 10);
  });

  it('index.html (and the routes it answers) is revalidated: no-cache, a 304 while unchanged', async () => {
    for (const p of ['/', '/index.html', '/pages/home/index']) {
      const first = await get(`${server!.url}${p}`, { 'accept-encoding': 'br' });
      expect(first.status, p).toBe(200);
      expect(first.headers['cache-control'], p).toBe(REVALIDATE);
      expect(decode(first), p).toBe(INDEX);
      const again = await get(`${server!.url}${p}`, { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
      expect(again.status, p).toBe(304);
      expect(again.raw.length).toBe(0);
    }
    // A file without a hash in its name (not replaced by a new name on the next build) is kept only briefly.
    const logo = await get(`${server!.url}/logo.png`, { 'accept-encoding': 'br' });
    expect(logo.headers['content-encoding']).toBeUndefined();
    expect(logo.headers['cache-control']).toMatch(/max-age=\d{1,4}(,|$)/);
  });

  it('compresses an API answer above 1 KB for a client that accepts it, not a small one, not for a client that accepts none', async () => {
    const token = await ctx().login('staff');
    const auth = { authorization: `Bearer ${token}` };
    const large = await get(`${server!.url}/api/members`, { ...auth, 'accept-encoding': 'gzip, br' });
    expect(large.status).toBe(200);
    expect(large.headers['content-encoding']).toBe('br');
    expect(large.headers.vary).toContain('Accept-Encoding');
    const members = JSON.parse(decode(large)) as { items?: unknown[] };
    const plain = await get(`${server!.url}/api/members`, auth);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(decode(plain))).toEqual(members);
    expect(plain.raw.length).toBeGreaterThan(1024);
    expect(large.raw.length).toBeLessThan(plain.raw.length / 2);
    const gz = await get(`${server!.url}/api/members`, { ...auth, 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode(gz))).toEqual(members);

    const small = await get(`${server!.url}/api/health`, { 'accept-encoding': 'br' });
    expect(small.status).toBe(200);
    expect(small.raw.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    // Errors are JSON too: still `{ error: { code, message } }` once decoded.
    const denied = await get(`${server!.url}/api/members`, { 'accept-encoding': 'br' });
    expect(denied.status).toBe(401);
    expect(JSON.parse(decode(denied))).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });
});
