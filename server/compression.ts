/**
 * Content negotiation for compressed answers of the Node server (`npm start`,
 * `npm run dev`): the static H5 files are precompressed at build
 * (miniapp/config/h5-delivery.ts), JSON and other text answers of the API are
 * compressed here when they are worth it. On Vercel the CDN compresses both,
 * so the function itself never does (api/index.ts stays uncompressed).
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** Below this an answer fits in a packet or two anyway; compressing it costs more than it saves. */
export const COMPRESS_MIN_BYTES = 1024;

const COMPRESSIBLE_TYPE = /^(text\/|application\/(json|javascript|xml|[a-z.+-]*\+(json|xml))|image\/svg\+xml)/i;

export function isCompressibleType(contentType: string | null | undefined): boolean {
  return !!contentType && COMPRESSIBLE_TYPE.test(contentType.trim());
}

/**
 * The best of `offered` the client accepts (RFC 9110 §12.5.3: `q=0` refuses,
 * `*` stands for any coding not named), brotli first. Null: send it as is.
 */
export function negotiateEncoding(acceptEncoding: string | string[] | undefined, offered: readonly Encoding[] = ['br', 'gzip']): Encoding | null {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const weight = (coding: string) => q.get(coding) ?? q.get('*') ?? 0;
  let best: Encoding | null = null;
  for (const coding of offered) if (weight(coding) > 0 && (best === null || weight(coding) > weight(best))) best = coding;
  return best;
}

/** Adds Accept-Encoding to a Vary header without repeating it. */
export function varyOnEncoding(existing: string | number | string[] | undefined): string {
  const names = (Array.isArray(existing) ? existing.join(',') : String(existing ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  if (names.some((n) => n === '*' || n.toLowerCase() === 'accept-encoding')) return names.join(', ');
  return [...names, 'Accept-Encoding'].join(', ');
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Compresses a dynamic answer off the main thread (zlib's pool). Brotli at
 * quality 5 and gzip at level 6: about as fast as each other, and a few
 * milliseconds at most for the largest lists the API returns.
 */
export function compressBody(body: Buffer, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzip(body, { level: 6 });
}
