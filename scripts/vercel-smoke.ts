/**
 * Loads a function built by `vercel build` (its `.vc-config.json` handler) the
 * way Vercel's Node runtime does, in a folder with no node_modules above it,
 * and sends it the requests a member and the committee make on day one.
 *
 * Run by scripts/verify-vercel.ts on Node 24 (type stripping, no tsx):
 *   node vercel-smoke.mts <function folder>
 * with the production environment set; MEMBER_OPENID and STAFF_OPENID name
 * seeded accounts, which a local WeChat stub signs in. Prints one JSON line per
 * request and exits non-zero on the first unexpected answer.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface Handler {
  fetch(request: Request): Promise<Response>;
}

const functionDir = path.resolve(process.argv[2] ?? '.');
const appid = process.env.WECHAT_APPID ?? '';
const secret = process.env.WECHAT_SECRET ?? '';

/** jscode2session as WeChat answers it: the code is the openid of a seeded account. */
const wechat = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://stub');
  const ok = url.pathname === '/sns/jscode2session' && url.searchParams.get('appid') === appid && url.searchParams.get('secret') === secret;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(ok ? { openid: url.searchParams.get('js_code'), session_key: 'stub' } : { errcode: 40013, errmsg: 'invalid appid' }));
});
await new Promise<void>((resolve) => wechat.listen(0, '127.0.0.1', resolve));
const address = wechat.address();
process.env.WECHAT_API_BASE = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const vcConfig = JSON.parse(readFileSync(path.join(functionDir, '.vc-config.json'), 'utf8')) as { handler: string; runtime: string };
process.chdir(functionDir); // Vercel runs the function from its own root
const loadStarted = performance.now();
const mod = (await import(pathToFileURL(path.join(functionDir, vcConfig.handler)).href)) as { default?: Handler };
const handler = mod.default;
if (!handler || typeof handler.fetch !== 'function') throw new Error(`${vcConfig.handler} has no default export with fetch()`);
console.log(JSON.stringify({ loaded: vcConfig.handler, runtime: vcConfig.runtime, node: process.version, ms: Math.round(performance.now() - loadStarted) }));

async function call(method: string, route: string, options: { token?: string; body?: unknown; expect?: number; contentType?: string } = {}) {
  const headers = new Headers({ 'idempotency-key': randomUUID(), 'x-forwarded-for': '203.0.113.7' });
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  const started = performance.now();
  const response = await handler!.fetch(
    new Request(`https://dangjian.example.cn${route}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) }),
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  const ms = Math.round(performance.now() - started);
  const type = response.headers.get('content-type') ?? '';
  console.log(JSON.stringify({ route: `${method} ${route}`, status: response.status, ms, type: type.split(';')[0], bytes: bytes.length }));
  if (response.status !== (options.expect ?? 200) || (options.contentType && !type.startsWith(options.contentType))) {
    throw new Error(`${method} ${route}: ${response.status} ${new TextDecoder().decode(bytes).slice(0, 300)}`);
  }
  return { bytes, json: () => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown> };
}

try {
  await call('GET', '/api/health');
  const member = (await call('POST', '/api/auth/wechat', { body: { code: process.env.MEMBER_OPENID } })).json();
  const token = member.token as string;
  await call('POST', '/api/study/checkins', { token, body: { way: 'platform', topic: '读《党员学习手册》', minutes: 15 }, expect: 201 });
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
  const me = (await call('GET', `/api/study/me?month=${month}`, { token })).json();
  if (typeof me.todayMinutes !== 'number' || me.todayMinutes < 15) throw new Error(`the check-in is not in /api/study/me: ${JSON.stringify(me)}`);
  const staff = (await call('POST', '/api/auth/wechat', { body: { code: process.env.STAFF_OPENID } })).json();
  const xlsx = await call('GET', '/api/members/export', { token: staff.token as string, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  if (xlsx.bytes[0] !== 0x50 || xlsx.bytes[1] !== 0x4b) throw new Error('the export is not an .xlsx (zip) file');
  console.log(JSON.stringify({ ok: true }));
  process.exit(0);
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
  process.exit(1);
}
