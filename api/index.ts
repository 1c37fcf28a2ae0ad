/**
 * The Vercel function. Every /api/* path is rewritten here (vercel.json); the
 * route table in `_routes.ts` does the rest.
 */
import { getSharedApp } from './_app/bootstrap.js';

export default {
  async fetch(request: Request): Promise<Response> {
    const app = await getSharedApp();
    return app.fetch(restoreRewrittenPath(request));
  },
};

/** vercel.json passes the original path as `__path` when it rewrites to this file. */
function restoreRewrittenPath(request: Request): Request {
  const url = new URL(request.url);
  const original = url.searchParams.get('__path');
  if (url.pathname !== '/api/index' || original === null) return request;
  url.searchParams.delete('__path');
  url.pathname = `/api/${original}`;
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    // Node's fetch needs this to pass a streamed body on.
    duplex: 'half',
  } as RequestInit);
}
