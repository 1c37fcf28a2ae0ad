/**
 * The Vercel function. vercel.json rewrites every /api/* path here with an
 * unnamed capture and a destination without a query, so the request arrives
 * with its original path and query untouched; the route table in `_routes.ts`
 * does the rest.
 */
import { getSharedApp } from './_compose.js';

export default {
  async fetch(request: Request): Promise<Response> {
    const app = await getSharedApp();
    return app.fetch(request);
  },
};
