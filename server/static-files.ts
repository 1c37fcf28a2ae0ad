/**
 * The built H5 app (miniapp/dist/h5) as the Node server sends it: the
 * precompressed .br/.gz beside a file when the client accepts it, hashed files
 * cached for a year, index.html revalidated on every visit (it names the
 * hashed files of the current build). vercel.json `headers` says the same for
 * Vercel (tests/api/vercel-entry.test.ts compares the two).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { negotiateEncoding, varyOnEncoding, type Encoding } from './compression.js';
import { cacheControlFor, STATIC_HEADERS } from './static-headers.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** The suffix of each precompressed variant the build writes (miniapp/config/h5-delivery.ts). */
const VARIANT_SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/** Which file answers a path inside `root`: the file itself, or index.html for the app's own routes. Null: none. */
async function resolveFile(root: string, urlPath: string): Promise<{ file: string; size: number; mtimeMs: number } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null; // a malformed escape names no file
  }
  const requested = path.resolve(root, '.' + decoded);
  // Inside the folder itself, not merely a path that starts alike (`/srv/h5` vs `/srv/h5-private`).
  if (requested !== root && !requested.startsWith(root + path.sep)) return null;
  const info = await stat(requested).catch(() => null);
  const file = !info || info.isDirectory() ? path.join(root, 'index.html') : requested;
  const chosen = file === requested ? info : await stat(file).catch(() => null);
  return chosen ? { file, size: chosen.size, mtimeMs: chosen.mtimeMs } : null;
}

/** Answers a GET/HEAD from the built app; false when no file answers (the caller sends its 404). */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, staticDir: string, urlPath: string): Promise<boolean> {
  const root = path.resolve(staticDir);
  const found = await resolveFile(root, urlPath);
  if (!found) return false;
  const { file } = found;
  const ext = path.extname(file);
  let sent = { file, size: found.size };
  const variants: Encoding[] = [];
  for (const coding of ['br', 'gzip'] as const) {
    const info = await stat(file + VARIANT_SUFFIX[coding]).catch(() => null);
    if (info?.isFile()) variants.push(coding);
  }
  const encoding = negotiateEncoding(req.headers['accept-encoding'], variants);
  if (encoding) {
    const variant = file + VARIANT_SUFFIX[encoding];
    sent = { file: variant, size: (await stat(variant)).size };
  }
  // A validator for index.html's revalidation (no-cache): unchanged build → 304 and no body.
  const etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
  const headers: Record<string, string> = {
    ...STATIC_HEADERS,
    'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'Cache-Control': cacheControlFor(path.relative(root, file)),
    ETag: etag,
  };
  if (variants.length) headers.Vary = varyOnEncoding(undefined);
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(sent.size);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else createReadStream(sent.file).pipe(res);
  return true;
}
