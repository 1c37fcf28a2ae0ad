import type { ErrorBody } from '@shared/errors'

/** Shown for every failure that never reached the server. */
export const NETWORK_ERROR_MESSAGE = '网络连接失败，请检查网络后重试'
export const TIMEOUT_MESSAGE = '网络连接超时，请检查网络后重试'
export const INVALID_RESPONSE_MESSAGE = '服务器返回的数据有误，请稍后重试'
export const SESSION_EXPIRED_MESSAGE = '登录已失效，请重新登录'

export type ApiErrorKind =
  /** The server answered with a non-2xx status. */
  | 'http'
  /** No answer: offline, DNS, TLS, connection reset. */
  | 'network'
  /** No answer within the client's time limit. */
  | 'timeout'
  /** A 2xx answer that does not match the endpoint's response schema. */
  | 'invalid_response'

/**
 * The one error type the API client throws. `message` is always Chinese text
 * fit to show the user as is: the server's own message for HTTP errors.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError'

  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    /** HTTP status, or null when there was no answer. */
    readonly status: number | null = null,
    /** The server's error code (shared/errors.ts), when it sent one. */
    readonly code: string | null = null,
    readonly details?: unknown,
  ) {
    super(message)
  }

  /** Worth repeating the same request: the server may not have seen it, or said it was briefly unavailable. */
  get transient(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.status === 503
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    typeof (error as { code?: unknown }).code === 'string'
  )
}

/** Chinese text for an HTTP failure that came without the API's error body (a proxy page, a gateway timeout). */
export function fallbackHttpMessage(status: number): string {
  if (status === 401) return SESSION_EXPIRED_MESSAGE
  if (status === 403) return '您没有权限进行此操作'
  if (status === 404) return '请求的内容不存在'
  if (status === 429) return '操作太频繁，请稍后再试'
  if (status === 503) return '服务暂时不可用，请稍后重试'
  if (status >= 500) return `服务器出现问题，请稍后重试（${status}）`
  return `请求失败，请稍后重试（${status}）`
}

/** A message for anything a page may catch, ApiError or not. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  return '操作失败，请稍后重试'
}
