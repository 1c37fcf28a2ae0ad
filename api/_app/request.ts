/**
 * What the app reads of a request and what it answers, without tying either to
 * a runtime. Vercel and the tests hand the app a Web `Request` and get a Web
 * `Response` (`fromWebRequest`, `toWebResponse`); the Node server (`npm start`,
 * `npm run dev`) builds the request straight from Node's `IncomingMessage` and
 * writes the answer straight to its `ServerResponse`, so a hot request does not
 * pay for undici's Request, Headers, AbortSignal and body streams twice over.
 */
import { readLimited } from './body.js';

/** Header lookup by name, case-insensitive, several values joined by ", " (as `Headers.get`). */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface AppRequest {
  readonly method: string;
  /** Absolute URL, or the path and query (`/api/study/me?month=2026-12`). */
  readonly url: string;
  readonly headers: HeaderReader;
  /** The whole body; refused with 413 (`payload_too_large`) past `limit` bytes, without reading further. */
  body(limit: number): Promise<Uint8Array>;
}

export interface AppAnswer {
  status: number;
  headers: Record<string, string>;
  /** JSON text, file bytes, or nothing (204). */
  body: string | Uint8Array | null;
}

export function fromWebRequest(request: Request): AppRequest {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: (limit) => readLimited(request, limit),
  };
}

export function toWebResponse(answer: AppAnswer): Response {
  return new Response(answer.body as BodyInit | null, { status: answer.status, headers: answer.headers });
}
