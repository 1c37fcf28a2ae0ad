/**
 * The API (and, when built, the H5 app) on a plain Node http server: the same
 * app Vercel runs (its `handle`, fed from Node's request without Web
 * streams), so self-hosting and development behave alike.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { App } from '../api/_app/app.js';
import { payloadTooLarge } from '../api/_app/body.js';
import type { AppAnswer, AppRequest } from '../api/_app/request.js';
import { compressBody, COMPRESS_MIN_BYTES, isCompressibleType, negotiateEncoding, varyOnEncoding } from './compression.js';
import { serveStatic } from './static-files.js';
import { STATIC_HEADERS } from './static-headers.js';

export interface ServerOptions {
  app: App;
  port?: number;
  host?: string;
  /** Folder of the built H5 app, served at `/` with index.html for unknown paths. */
  staticDir?: string;
  /** `npm run dev`: while the H5 app is (re)building, pages answer with a notice that refreshes itself. */
  h5Status?: () => 'building' | 'failed' | 'ready';
}

export interface RunningServer {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/**
 * The request as the app reads it, straight from Node's: no Web Request,
 * Headers or body stream in between (the Vercel path has those already). The
 * client's address is not put in a header: the app takes it from the socket
 * (passed beside the request) and believes X-Forwarded-For only from proxies
 * TRUST_PROXY names.
 */
export function nodeRequest(req: IncomingMessage): AppRequest {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: {
      // Node keeps header names lower-case and joins repeated ones, as Headers.get does.
      get(name: string) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: (limit) => readNodeBody(req, limit),
  };
}

/**
 * The body within `limit` bytes. Past it, reading stops at once with a 413 and
 * the rest is left to `settleUnreadBody`, so the answer still reaches the client.
 */
function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(payloadTooLarge(limit));
  if (req.method === 'GET' || req.method === 'HEAD') return Promise.resolve(new Uint8Array());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      reject(payloadTooLarge(limit));
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    // The client went away mid-body: the answer reaches nobody, but the handler must not wait forever.
    const onClose = () => onError(new Error('request body aborted'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * The app answered without reading the whole body (401, unknown route, a route
 * that takes no body, 413). Left paused, the rest would block the next request
 * on a keep-alive connection. A body declared within the size limit is read
 * and dropped, so the connection stays usable; one too large or of unknown
 * length (chunked) is not waited for: the answer says `Connection: close`.
 */
function settleUnreadBody(req: IncomingMessage, res: ServerResponse, limit: number): void {
  if (req.complete) return;
  req.resume();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (!(declared <= limit)) res.setHeader('Connection', 'close');
}

async function sendAnswer(req: IncomingMessage, res: ServerResponse, answer: AppAnswer, bodyLimit: number): Promise<void> {
  res.statusCode = answer.status;
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]!);
  settleUnreadBody(req, res, bodyLimit);
  let body: Buffer | undefined =
    answer.body === null ? undefined : typeof answer.body === 'string' ? Buffer.from(answer.body) : Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength);
  // JSON and other text above a packet or two go out compressed when the client accepts it (a village
  // phone on a slow link); files (xlsx is a zip already) and small answers as they are.
  const type = answer.headers['Content-Type'] ?? null;
  if (isCompressibleType(type) && !res.hasHeader('content-encoding') && answer.status !== 204) {
    res.setHeader('Vary', varyOnEncoding(res.getHeader('vary')));
    const encoding = body && body.length >= COMPRESS_MIN_BYTES ? negotiateEncoding(req.headers['accept-encoding']) : null;
    if (body && encoding) {
      body = await compressBody(body, encoding);
      res.setHeader('Content-Encoding', encoding);
      res.removeHeader('Content-Length');
    }
  }
  if (body) res.setHeader('Content-Length', String(body.length));
  res.end(body);
}

/** A page that reloads itself every few seconds until the H5 build is there (no script: meta refresh). */
function buildingPage(res: ServerResponse, status: 'building' | 'failed'): void {
  const text =
    status === 'building'
      ? ['正在构建小程序…', '首次构建约需 20 秒到几分钟，完成后本页会自动刷新。接口（/api）已经可以使用。']
      : ['小程序构建失败', '请查看终端中的错误输出；修改 miniapp/src 或 shared/ 后会自动重新构建，本页随后自动刷新。'];
  res.writeHead(503, { ...STATIC_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '2' });
  res.end(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${text[0]}</title></head>` +
      `<body style="font-family:sans-serif;text-align:center;padding:20vh 1em;color:#333"><h1 style="color:#c00">${text[0]}</h1><p>${text[1]}</p></body></html>`,
  );
}

export function startServer(options: ServerOptions): Promise<RunningServer> {
  const { app } = options;
  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const urlPath = req.url ?? '/';
      if (urlPath === '/api' || urlPath.startsWith('/api/')) {
        const answer = await app.handle(nodeRequest(req), { remoteAddress: req.socket.remoteAddress });
        await sendAnswer(req, res, answer, app.deps.config.bodyLimitBytes);
        return;
      }
      const h5 = options.h5Status?.() ?? 'ready';
      if (h5 !== 'ready' && (req.method === 'GET' || req.method === 'HEAD')) {
        buildingPage(res, h5);
        return;
      }
      if (options.staticDir && (req.method === 'GET' || req.method === 'HEAD') && (await serveStatic(req, res, options.staticDir, urlPath))) {
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...STATIC_HEADERS });
      res.end(options.staticDir ? '页面不存在' : 'H5 应用尚未构建：请运行 npm run build:h5');
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8', ...STATIC_HEADERS });
      res.end(JSON.stringify({ error: { code: 'internal', message: '服务器内部错误，请稍后重试' } }));
    }
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
      resolve({
        url: origin,
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
