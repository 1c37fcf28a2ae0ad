/** Health, the OpenAPI document, and the development clock. */
import { z } from 'zod';
import { endpoint } from './http.js';

export const devClock = endpoint({
  method: 'POST',
  path: '/api/dev/clock',
  summary: '调整服务器时钟（仅非生产环境，用于演示与端到端测试）',
  access: 'public',
  ownership: 'none',
  devOnly: true,
  body: z
    .object({
      now: z.iso.datetime({ offset: true }).optional(),
      advanceMinutes: z.number().int().min(-100_000).max(100_000).optional(),
      reset: z.literal(true).optional(),
    })
    .strict(),
  response: z.object({ now: z.string() }),
});

export const health = endpoint({
  method: 'GET',
  path: '/api/health',
  summary: '健康检查：数据库是否可达',
  access: 'public',
  ownership: 'none',
  response: z.object({
    ok: z.boolean(),
    database: z.object({ reachable: z.boolean(), driver: z.string(), latencyMs: z.number().nullable() }),
    now: z.string(),
  }),
  idempotent: true,
});

export const openapi = endpoint({
  method: 'GET',
  path: '/api/openapi.json',
  summary: '由 zod 契约生成的 OpenAPI 文档',
  access: 'public',
  ownership: 'none',
  response: z.record(z.string(), z.unknown()),
  idempotent: true,
});
