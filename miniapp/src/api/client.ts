/**
 * The app's only way to call the API. Endpoints come from the repository's
 * shared/ contracts, so request and response types follow the server's. A 2xx
 * answer (and path params) is checked against the endpoint's zod schema when
 * the endpoint carries one: the mini-program tests do; a Taro build does not,
 * since client builds ship the contracts without schemas (issue 23.2,
 * config/client-contracts.cjs) and the server parses and answers by them.
 *
 * The client is built from its dependencies (transport, token store, clock) so
 * tests can drive it without Taro; `src/api/index.ts` wires the real ones.
 */
import { refreshSession } from '@shared/auth'
import type { TokenStore } from '@/session/token'
import { buildPath, type BodyOf, type Endpoint, type HttpMethod, type ParamsOf, type QueryOf, type ResponseOf } from '@shared/http'
import {
  ApiError,
  fallbackHttpMessage,
  INVALID_RESPONSE_MESSAGE,
  isErrorBody,
  NETWORK_ERROR_MESSAGE,
  TIMEOUT_MESSAGE,
} from './errors'

export interface TransportRequest {
  url: string
  method: HttpMethod
  header: Record<string, string>
  /** JSON text, already serialised. */
  data?: string
  timeoutMs: number
}

export interface TransportResponse {
  statusCode: number
  /** Parsed JSON when the answer was JSON; anything else otherwise. */
  data: unknown
}

/** One HTTP exchange that can be cancelled; rejects only when no answer arrived. */
export type Transport = (request: TransportRequest) => {
  response: Promise<TransportResponse>
  abort: () => void
}

/** The stored tokens (src/session/token.ts): api/ reads them, auth/ writes them, neither imports the other. */
export type { TokenStore }

export interface ApiClientOptions {
  /** '' for same origin (H5), or an absolute origin such as https://dangjian.example.cn. */
  baseUrl: string
  transport: Transport
  tokens: TokenStore
  /** Called once the stored tokens have been cleared after a 401 that a refresh could not cure. */
  onUnauthorized: () => void
  /** Per attempt. Village mobile networks are slow, but a spinner that never ends is worse. */
  timeoutMs?: number
  /** Waits before each automatic retry; its length is the number of retries. */
  retryDelaysMs?: readonly number[]
  sleep?: (ms: number) => Promise<void>
  /** Where to report responses that break the contract (a deploy mismatch). */
  reportContractViolation?: (endpoint: Endpoint, issues: unknown) => void
}

export const DEFAULT_TIMEOUT_MS = 15_000
export const DEFAULT_RETRY_DELAYS_MS = [500, 1500] as const

/** True when a contract field is absent from an endpoint (its type then widens to unknown). */
type Absent<T> = unknown extends T ? true : false

interface CallSettings {
  /**
   * Makes a write safe to repeat: sent as the `Idempotency-Key` header and
   * enables automatic retries. Generate one per user action (see newIdempotencyKey).
   */
  idempotencyKey?: string
  timeoutMs?: number
}

export type ApiCallOptions<E> = CallSettings &
  (Absent<ParamsOf<E>> extends true ? { params?: undefined } : { params: ParamsOf<E> }) &
  (Absent<QueryOf<E>> extends true ? { query?: undefined } : { query?: QueryOf<E> }) &
  (Absent<BodyOf<E>> extends true ? { body?: undefined } : { body: BodyOf<E> })

/** The options argument may be left out only when the endpoint needs neither params nor body. */
type OptionsArg<E> =
  Absent<ParamsOf<E>> extends true
    ? Absent<BodyOf<E>> extends true
      ? [options?: ApiCallOptions<E>]
      : [options: ApiCallOptions<E>]
    : [options: ApiCallOptions<E>]

export type ApiCall = <E extends Endpoint>(endpoint: E, ...args: OptionsArg<E>) => Promise<ResponseOf<E>>

/** The client, and a way for requests made outside it (file downloads, uploads) to renew the access token after a 401. */
export type ApiClient = ApiCall & { renew(): Promise<string | null> }

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createApiClient(options: ApiClientOptions): ApiClient {
  const {
    baseUrl,
    transport,
    tokens,
    onUnauthorized,
    timeoutMs: defaultTimeout = DEFAULT_TIMEOUT_MS,
    retryDelaysMs = DEFAULT_RETRY_DELAYS_MS,
    sleep = defaultSleep,
    reportContractViolation = (endpoint, issues) =>
      console.error(`[api] ${endpoint.method} ${endpoint.path}: response does not match the contract`, issues),
  } = options

  let renewing: Promise<string | null> | null = null
  /**
   * A new access token from the refresh token, shared by the requests that
   * failed together; null when there is none or the server refused it. A
   * network failure rejects (the tokens are kept for the next try).
   */
  function renew(): Promise<string | null> {
    const refreshToken = tokens.getRefresh()
    if (!refreshToken) return Promise.resolve(null)
    renewing ??= send(refreshSession, [{ body: { refreshToken } }], false)
      .then(
        (session) => {
          tokens.set(session.token)
          tokens.setRefresh(session.refreshToken)
          return session.token
        },
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 401) return null
          throw error
        },
      )
      .finally(() => {
        renewing = null
      })
    return renewing
  }

  const api: ApiCall = (endpoint, ...args) => send(endpoint, args, true)
  return Object.assign(api, { renew })

  async function send<E extends Endpoint>(endpoint: E, args: OptionsArg<E>, mayRenew: boolean): Promise<ResponseOf<E>> {
    const call: CallSettings & { params?: unknown; query?: unknown; body?: unknown } = args[0] ?? {}
    const url = baseUrl + resolvePath(endpoint, call.params) + queryString(call.query)

    const header: Record<string, string> = { Accept: 'application/json' }
    let data: string | undefined
    if (call.body !== undefined) {
      header['Content-Type'] = 'application/json'
      data = JSON.stringify(call.body)
    }
    if (call.idempotencyKey) header['Idempotency-Key'] = call.idempotencyKey
    // Public endpoints (login, health) never need the token; sending it would
    // also make a 401 from them look like an expired session.
    const token = endpoint.access === 'public' ? null : tokens.get()
    if (token) header.Authorization = `Bearer ${token}`

    // Only requests that cannot do harm twice are repeated automatically.
    const retryable = endpoint.idempotent === true || Boolean(call.idempotencyKey)
    const attempts = retryable ? retryDelaysMs.length + 1 : 1
    const timeoutMs = call.timeoutMs ?? defaultTimeout

    let response: TransportResponse | undefined
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(retryDelaysMs[attempt - 1] ?? 0)
      const isLast = attempt === attempts - 1
      try {
        response = await exchange(transport, { url, method: endpoint.method, header, data, timeoutMs })
      } catch (error) {
        if (isLast || !(error instanceof ApiError) || !error.transient) throw error
        continue
      }
      if (response.statusCode === 503 && !isLast) continue
      break
    }
    if (!response) throw new ApiError('network', NETWORK_ERROR_MESSAGE)

    const { statusCode, data: payload } = response
    if (statusCode < 200 || statusCode >= 300) {
      if (statusCode === 401 && token) {
        // The access token expired or the account changed: renew it once and repeat the request
        // (a 401 means the server did nothing, so even a write may be sent again).
        const current = tokens.get()
        const renewed = !mayRenew ? null : current && current !== token ? current : await renew()
        if (renewed) return send(endpoint, args, false)
        tokens.clear()
        onUnauthorized()
      }
      throw httpError(statusCode, payload)
    }

    if (!endpoint.response) {
      // File downloads (xlsx exports) go through Taro.downloadFile, not JSON.
      throw new Error(`${endpoint.path} returns a file: use the download helper, not api()`)
    }
    if (!carriesSchema(endpoint.response)) return payload as ResponseOf<E>
    const parsed = endpoint.response.safeParse(payload)
    if (!parsed.success) {
      reportContractViolation(endpoint, parsed.error.issues)
      throw new ApiError('invalid_response', INVALID_RESPONSE_MESSAGE, statusCode)
    }
    return parsed.data as ResponseOf<E>
  }
}

/** Fills `:id`-style placeholders after checking params against the contract (a wrong id is a programming error). */
function resolvePath(endpoint: Endpoint, params: unknown): string {
  if (params === undefined || params === null) return buildPath(endpoint.path)
  const parsed = (carriesSchema(endpoint.params) ? endpoint.params.parse(params) : params) as Record<string, unknown>
  const values: Record<string, string | number> = {}
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'number') values[key] = value
  }
  return buildPath(endpoint.path, values)
}

/** False for a contract compiled for the client, whose schemas were left out (config/client-contracts.cjs). */
function carriesSchema<S extends { safeParse?: unknown }>(schema: S | null | undefined): schema is S {
  return typeof schema?.safeParse === 'function'
}

/** `?a=1&b=x&b=y`; undefined and null are left out, arrays repeat the key. */
export function queryString(query: unknown): string {
  if (query === undefined || query === null || typeof query !== 'object') return ''
  const parts: string[] = []
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null) return
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  }
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) value.forEach((item) => add(key, item))
    else add(key, value)
  }
  return parts.length ? `?${parts.join('&')}` : ''
}

/** One attempt with a hard time limit that does not depend on the platform's own timeout handling. */
function exchange(transport: Transport, request: TransportRequest): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    let settled = false
    let task: ReturnType<Transport>
    try {
      task = transport(request)
    } catch (error) {
      reject(transportError(error))
      return
    }
    const timer = setTimeout(() => {
      if (settled) return
      settled = true
      task.abort()
      reject(new ApiError('timeout', TIMEOUT_MESSAGE))
    }, request.timeoutMs)
    task.response.then(
      (response) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(response)
      },
      (error: unknown) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        reject(transportError(error))
      },
    )
  })
}

/** wx.request fails with `{ errMsg: 'request:fail timeout' }`; fetch with an AbortError or TypeError. */
function transportError(error: unknown): ApiError {
  const text =
    typeof error === 'object' && error !== null
      ? String((error as { errMsg?: unknown }).errMsg ?? (error as { message?: unknown }).message ?? '')
      : String(error)
  return /timeout|timed out|超时/i.test(text)
    ? new ApiError('timeout', TIMEOUT_MESSAGE)
    : new ApiError('network', NETWORK_ERROR_MESSAGE)
}

function httpError(status: number, payload: unknown): ApiError {
  if (isErrorBody(payload)) {
    return new ApiError('http', payload.error.message, status, payload.error.code, payload.error.details)
  }
  return new ApiError('http', fallbackHttpMessage(status), status)
}

/** A fresh key for one user action (press of a submit button); reuse it when the user retries that same action. */
export function newIdempotencyKey(): string {
  const random = () => Math.random().toString(36).slice(2, 10)
  return `${Date.now().toString(36)}-${random()}-${random()}`
}
