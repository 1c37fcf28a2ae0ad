/**
 * How a handler's result or a thrown error becomes the answer: JSON
 * `{ error: { code, message } }` for every error with its status, a 500 that
 * leaks nothing, the security and CORS headers on all of them.
 */
import type { ErrorBody } from '../../shared/errors.js';
import { FileResponse, JsonResponse } from './context.js';
import { ApiError, isConnectionFailure } from './errors.js';
import { describeError, type Logger } from './log.js';
import type { AppAnswer, HeaderReader } from './request.js';

const SECURITY_HEADERS: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };

export function resultAnswer(result: unknown, cors: Record<string, string>): AppAnswer {
  if (result instanceof FileResponse) {
    return {
      status: 200,
      headers: {
        ...cors,
        ...SECURITY_HEADERS,
        'Content-Type': result.contentType,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(result.filename)}`,
      },
      body: result.data,
    };
  }
  const status = result instanceof JsonResponse ? result.status : 200;
  const body = result instanceof JsonResponse ? result.body : result;
  return jsonAnswer(status, body, cors);
}

export function errorAnswer(err: unknown, cors: Record<string, string>, logger: Logger): AppAnswer {
  if (err instanceof ApiError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details !== undefined) body.error.details = err.details;
    return jsonAnswer(err.status, body, { ...cors, ...err.headers });
  }
  if (isConnectionFailure(err)) {
    logger.error('database_unavailable', describeError(err));
    return jsonAnswer(503, { error: { code: 'unavailable', message: '数据库暂时不可用，请稍后重试' } }, { ...cors, 'Retry-After': '5' });
  }
  logger.error('unhandled_error', describeError(err));
  return jsonAnswer(500, { error: { code: 'internal', message: '服务器内部错误，请稍后重试' } }, cors);
}

/** The answer to a CORS preflight: no body, the allowed origin's headers. */
export function preflightAnswer(cors: Record<string, string>): AppAnswer {
  return { status: 204, headers: { ...cors, ...SECURITY_HEADERS }, body: null };
}

function jsonAnswer(status: number, body: unknown, headers: Record<string, string>): AppAnswer {
  return { status, headers: { ...headers, ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

export function corsHeaders(headers: HeaderReader, origins: string[]): Record<string, string> {
  const origin = headers.get('origin');
  if (!origin || !origins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}
