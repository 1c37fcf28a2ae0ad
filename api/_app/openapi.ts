/** The OpenAPI document, generated from the same zod contracts the server parses with. */
import { z } from 'zod';
import type { RouteDef } from './context.js';

const toSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

export function buildOpenApi(routes: readonly RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { endpoint } of routes) {
    const path = endpoint.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', endpoint.params],
      ['query', endpoint.query],
    ] as const) {
      if (!schema) continue;
      const json = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: prop });
      }
    }
    const operation: Record<string, unknown> = {
      summary: endpoint.summary,
      'x-access': endpoint.access,
      parameters,
      responses: {
        '200': endpoint.response
          ? { description: 'OK', content: { 'application/json': { schema: toSchema(endpoint.response, 'output') } } }
          : { description: '文件下载' },
        default: { description: '错误', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (endpoint.access !== 'public') operation.security = [{ bearer: [] }];
    if (endpoint.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: toSchema(endpoint.body, 'input') } } };
    } else if (endpoint.rawBody) {
      const types = endpoint.rawBodyTypes ?? ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];
      operation.requestBody = { required: true, content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) };
    }
    (paths[path] ??= {})[endpoint.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.0.3',
    info: { title: '乡镇党建小程序 API', version: '1.0.0' },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
      },
    },
  };
}
