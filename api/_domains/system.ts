/** Health, OpenAPI and the development clock. */
import * as systemApi from '../../shared/system.js';
import { AdjustableClock } from '../_app/clock.js';
import { route, type RouteDef } from '../_app/context.js';
import { ApiError } from '../_app/errors.js';
import { buildOpenApi } from '../_app/openapi.js';

export const health = route(systemApi.health, async (ctx) => {
  const started = performance.now();
  let reachable = true;
  try {
    await ctx.deps.database.ping();
  } catch {
    reachable = false;
  }
  const body = {
    ok: reachable,
    database: {
      reachable,
      driver: ctx.deps.database.driver,
      latencyMs: reachable ? Math.round((performance.now() - started) * 10) / 10 : null,
    },
    now: ctx.now.toISOString(),
  };
  if (!reachable) throw new ApiError('unavailable', '数据库不可达', body);
  return body;
});

export function openapiRoute(allRoutes: () => readonly RouteDef[]) {
  const cached = new Map<boolean, Record<string, unknown>>();
  return route(systemApi.openapi, async (ctx) => {
    // A production server has no development routes, so its document lists none.
    const production = ctx.deps.config.production;
    let doc = cached.get(production);
    if (!doc) {
      doc = buildOpenApi(allRoutes().filter((r) => !(production && r.endpoint.devOnly)));
      cached.set(production, doc);
    }
    return doc;
  });
}

export const devClock = route(systemApi.devClock, async (ctx) => {
  const clock = ctx.deps.clock;
  if (ctx.deps.config.production || !(clock instanceof AdjustableClock)) {
    throw new ApiError('not_found', '接口不存在');
  }
  if (ctx.body.reset) clock.reset();
  if (ctx.body.now) clock.set(new Date(ctx.body.now));
  if (ctx.body.advanceMinutes) clock.advance(ctx.body.advanceMinutes);
  return { now: clock.now().toISOString() };
});
