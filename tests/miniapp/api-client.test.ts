/**
 * The API client against a scripted transport: typed results validated by the
 * contract, timeouts, retries only where repeating is safe, and 401 handling.
 */
import { describe, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { devLogin, me } from '@shared/auth'
import { endpoint } from '@shared/http'
import { createApiClient, queryString, type TokenStore, type Transport, type TransportRequest, type TransportResponse } from '@/api/client'
import { ApiError, NETWORK_ERROR_MESSAGE, TIMEOUT_MESSAGE } from '@/api/errors'

const item = endpoint({
  method: 'GET',
  path: '/api/items/:id',
  summary: 'test',
  access: 'member',
  ownership: 'none',
  params: z.object({ id: z.coerce.number().int().positive() }),
  query: z.object({ q: z.string().optional(), tag: z.array(z.string()).optional() }),
  response: z.object({ id: z.number(), name: z.string() }),
  idempotent: true,
})

const createItem = endpoint({
  method: 'POST',
  path: '/api/items',
  summary: 'test',
  access: 'member',
  ownership: 'none',
  body: z.object({ name: z.string() }),
  response: z.object({ id: z.number(), name: z.string() }),
})

type Step = TransportResponse | 'network-error' | 'hang'

/** A transport that answers from a script, one step per request, and records the requests. */
function scripted(...steps: Step[]) {
  const requests: TransportRequest[] = []
  const aborted: number[] = []
  const transport: Transport = (request) => {
    const index = requests.push(request) - 1
    const step = steps[Math.min(index, steps.length - 1)]
    const response =
      step === 'network-error'
        ? Promise.reject(new TypeError('Failed to fetch'))
        : step === 'hang'
          ? new Promise<TransportResponse>(() => {})
          : Promise.resolve(step as TransportResponse)
    return { response, abort: () => void aborted.push(index) }
  }
  return { transport, requests, aborted }
}

function memoryTokens(initial: string | null = 'token-1', refresh: string | null = null): TokenStore & { value: string | null; refresh: string | null } {
  return {
    value: initial,
    refresh,
    get() {
      return this.value
    },
    set(token) {
      this.value = token
    },
    getRefresh() {
      return this.refresh
    },
    setRefresh(token) {
      this.refresh = token
    },
    clear() {
      this.value = null
      this.refresh = null
    },
  }
}

function client(transport: Transport, overrides: Partial<Parameters<typeof createApiClient>[0]> = {}, refresh: string | null = null) {
  const tokens = memoryTokens('token-1', refresh)
  const onUnauthorized = vi.fn()
  const reportContractViolation = vi.fn()
  const api = createApiClient({
    baseUrl: 'https://dj.test',
    transport,
    tokens,
    onUnauthorized,
    sleep: () => Promise.resolve(),
    reportContractViolation,
    ...overrides,
  })
  return { api, tokens, onUnauthorized, reportContractViolation }
}

const ok = (data: unknown): TransportResponse => ({ statusCode: 200, data })
const failure = (statusCode: number, code: string, message: string): TransportResponse => ({
  statusCode,
  data: { error: { code, message } },
})

describe('requests', () => {
  test('fills path params and query, sends the bearer token, returns the validated body', async () => {
    const { transport, requests } = scripted(ok({ id: 7, name: '学习材料' }))
    const { api } = client(transport)
    const result = await api(item, { params: { id: 7 }, query: { q: '党章', tag: ['a', 'b'] } })
    expect(result).toEqual({ id: 7, name: '学习材料' })
    expect(requests[0]).toMatchObject({
      url: 'https://dj.test/api/items/7?q=%E5%85%9A%E7%AB%A0&tag=a&tag=b',
      method: 'GET',
      header: { Authorization: 'Bearer token-1' },
    })
    expect(requests[0]?.data).toBeUndefined()
  })

  test('sends JSON bodies, and no token to public endpoints', async () => {
    const login = { token: 't', expiresAt: '2026-07-01T00:00:00Z', refreshToken: 'r', refreshExpiresAt: '2026-08-01T00:00:00Z', account: { id: 1, role: 'member', displayName: '张三', organization: null, memberId: 3 } }
    const { transport, requests } = scripted(ok(login))
    const { api } = client(transport)
    await api(devLogin, { body: { role: 'member' } })
    expect(requests[0]?.header.Authorization).toBeUndefined()
    expect(requests[0]?.header['Content-Type']).toBe('application/json')
    expect(JSON.parse(requests[0]?.data ?? '')).toEqual({ role: 'member' })
  })

  test('rejects params that break the contract before sending anything', async () => {
    const { transport, requests } = scripted(ok({}))
    const { api } = client(transport)
    await expect(api(item, { params: { id: -1 } })).rejects.toThrow()
    expect(requests).toHaveLength(0)
  })

  test('queryString leaves out empty values', () => {
    expect(queryString({ a: 1, b: undefined, c: null, d: false })).toBe('?a=1&d=false')
    expect(queryString({})).toBe('')
    expect(queryString(undefined)).toBe('')
  })
})

describe('errors', () => {
  test("shows the server's Chinese message and code", async () => {
    const { transport } = scripted(failure(409, 'conflict', '该党员已登记，请勿重复提交'))
    const { api } = client(transport)
    const error = await api(createItem, { body: { name: 'x' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ kind: 'http', status: 409, code: 'conflict', message: '该党员已登记，请勿重复提交' })
  })

  test('explains an answer without the API error body in Chinese', async () => {
    const { transport } = scripted({ statusCode: 502, data: '<html>Bad Gateway</html>' })
    const { api } = client(transport)
    await expect(api(createItem, { body: { name: 'x' } })).rejects.toMatchObject({ status: 502, message: '服务器出现问题，请稍后重试（502）' })
  })

  test('a network failure becomes the network message', async () => {
    const { transport } = scripted('network-error')
    const { api } = client(transport)
    await expect(api(createItem, { body: { name: 'x' } })).rejects.toMatchObject({ kind: 'network', message: NETWORK_ERROR_MESSAGE })
  })

  test('a response that breaks the contract is refused and reported', async () => {
    const { transport } = scripted(ok({ id: 'seven' }))
    const { api, reportContractViolation } = client(transport)
    await expect(api(item, { params: { id: 7 } })).rejects.toMatchObject({ kind: 'invalid_response' })
    expect(reportContractViolation).toHaveBeenCalledOnce()
  })
})

describe('timeout', () => {
  test('gives up after the time limit and aborts the request', async () => {
    vi.useFakeTimers()
    try {
      const { transport, requests, aborted } = scripted('hang')
      const { api } = client(transport, { timeoutMs: 15_000 })
      const pending = api(createItem, { body: { name: 'x' } }).catch((e: unknown) => e)
      await vi.advanceTimersByTimeAsync(14_999)
      expect(aborted).toEqual([])
      await vi.advanceTimersByTimeAsync(1)
      await expect(pending).resolves.toMatchObject({ kind: 'timeout', message: TIMEOUT_MESSAGE })
      // A POST without an idempotency key is never repeated.
      expect(requests).toHaveLength(1)
      expect(aborted).toEqual([0])
    } finally {
      vi.useRealTimers()
    }
  })

  test('the platform reporting a timeout counts as a timeout', async () => {
    const transport: Transport = () => ({ response: Promise.reject({ errMsg: 'request:fail timeout' }), abort: () => {} })
    const { api } = client(transport)
    await expect(api(createItem, { body: { name: 'x' } })).rejects.toMatchObject({ kind: 'timeout' })
  })
})

describe('retries', () => {
  test('an idempotent read is retried after network errors, twice at most', async () => {
    const { transport, requests } = scripted('network-error', 'network-error', ok({ id: 1, name: 'a' }))
    const { api } = client(transport)
    await expect(api(item, { params: { id: 1 } })).resolves.toEqual({ id: 1, name: 'a' })
    expect(requests).toHaveLength(3)

    const failing = scripted('network-error')
    await expect(client(failing.transport).api(item, { params: { id: 1 } })).rejects.toMatchObject({ kind: 'network' })
    expect(failing.requests).toHaveLength(3)
  })

  test('waits between attempts', async () => {
    const sleep = vi.fn(() => Promise.resolve())
    const { transport } = scripted('network-error', 'network-error', ok({ id: 1, name: 'a' }))
    await client(transport, { sleep, retryDelaysMs: [500, 1500] }).api(item, { params: { id: 1 } })
    expect(sleep.mock.calls).toEqual([[500], [1500]])
  })

  test('an idempotent read is retried on 503, not on other errors', async () => {
    const busy = scripted(failure(503, 'unavailable', '服务繁忙'), ok({ id: 1, name: 'a' }))
    await expect(client(busy.transport).api(item, { params: { id: 1 } })).resolves.toEqual({ id: 1, name: 'a' })
    expect(busy.requests).toHaveLength(2)

    const broken = scripted(failure(500, 'internal', '服务器内部错误'))
    await expect(client(broken.transport).api(item, { params: { id: 1 } })).rejects.toMatchObject({ status: 500 })
    expect(broken.requests).toHaveLength(1)

    const missing = scripted(failure(404, 'not_found', '没有找到'))
    await expect(client(missing.transport).api(item, { params: { id: 1 } })).rejects.toMatchObject({ status: 404 })
    expect(missing.requests).toHaveLength(1)
  })

  test('a write is not retried without an idempotency key', async () => {
    const { transport, requests } = scripted('network-error', ok({ id: 1, name: 'x' }))
    await expect(client(transport).api(createItem, { body: { name: 'x' } })).rejects.toMatchObject({ kind: 'network' })
    expect(requests).toHaveLength(1)
  })

  test('a write with an idempotency key is retried with the same key', async () => {
    const { transport, requests } = scripted('network-error', failure(503, 'unavailable', '忙'), ok({ id: 1, name: 'x' }))
    await expect(client(transport).api(createItem, { body: { name: 'x' }, idempotencyKey: 'key-123' })).resolves.toEqual({ id: 1, name: 'x' })
    expect(requests.map((r) => r.header['Idempotency-Key'])).toEqual(['key-123', 'key-123', 'key-123'])
  })
})

describe('401', () => {
  test('clears the stored token and hands over to the login flow', async () => {
    const { transport } = scripted(failure(401, 'unauthorized', '登录已过期，请重新登录'))
    const { api, tokens, onUnauthorized } = client(transport)
    await expect(api(me)).rejects.toMatchObject({ status: 401, message: '登录已过期，请重新登录' })
    expect(tokens.value).toBeNull()
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  test('a 401 from a public endpoint (a failed login) is only an error', async () => {
    const { transport } = scripted(failure(401, 'unauthorized', '微信登录失败'))
    const { api, tokens, onUnauthorized } = client(transport)
    await expect(api(devLogin, { body: { role: 'member' } })).rejects.toMatchObject({ status: 401 })
    expect(tokens.value).toBe('token-1')
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})

describe('renewing the access token (it lasts 15 minutes; the refresh token weeks)', () => {
  const session = (n: number) => ({
    token: `token-${n}`,
    expiresAt: '2026-07-01T00:15:00Z',
    refreshToken: `refresh-${n}`,
    refreshExpiresAt: '2026-08-15T00:00:00Z',
    account: { id: 1, role: 'member', displayName: '张三', organization: null, memberId: 3 },
  })
  const expired = failure(401, 'unauthorized', '登录已过期，请重新登录')

  test('a 401 renews the session with the refresh token and repeats the request, without a new login', async () => {
    const { transport, requests } = scripted(expired, ok(session(2)), ok({ id: 7, name: '学习材料' }))
    const { api, tokens, onUnauthorized } = client(transport, {}, 'refresh-1')
    await expect(api(item, { params: { id: 7 } })).resolves.toEqual({ id: 7, name: '学习材料' })
    expect(requests.map((r) => `${r.method} ${r.url.replace('https://dj.test', '')}`)).toEqual([
      'GET /api/items/7',
      'POST /api/auth/refresh',
      'GET /api/items/7',
    ])
    expect(requests[1]?.header.Authorization).toBeUndefined()
    expect(JSON.parse(requests[1]?.data ?? '')).toEqual({ refreshToken: 'refresh-1' })
    expect(requests[2]?.header.Authorization).toBe('Bearer token-2')
    // Rotated: the next renewal uses the new refresh token.
    expect(tokens).toMatchObject({ value: 'token-2', refresh: 'refresh-2' })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  test('a write refused for a changed account is sent again once with the renewed token, with its idempotency key', async () => {
    const { transport, requests } = scripted(
      failure(401, 'unauthorized', '账号的角色或所属组织已变更，请重新登录'),
      ok(session(2)),
      ok({ id: 1, name: 'x' }),
    )
    const { api } = client(transport, {}, 'refresh-1')
    await api(createItem, { body: { name: 'x' }, idempotencyKey: 'k-1' })
    expect(requests).toHaveLength(3)
    expect(requests[2]?.header).toMatchObject({ Authorization: 'Bearer token-2', 'Idempotency-Key': 'k-1' })
  })

  test('requests failing together share one renewal', async () => {
    let n = 0
    const transport: Transport = (request) => {
      n++
      if (request.url.endsWith('/api/auth/refresh')) return { response: Promise.resolve(ok(session(2))), abort: () => {} }
      const authorized = request.header.Authorization === 'Bearer token-2'
      return { response: Promise.resolve(authorized ? ok({ id: 7, name: 'a' }) : expired), abort: () => {} }
    }
    const { api } = client(transport, {}, 'refresh-1')
    await Promise.all([api(item, { params: { id: 7 } }), api(item, { params: { id: 7 } }), api(item, { params: { id: 7 } })])
    expect(n).toBe(3 + 1 + 3)
  })

  test('a refused refresh token (expired, account gone) clears both tokens and hands over to the login flow once', async () => {
    const { transport, requests } = scripted(expired, failure(401, 'unauthorized', '登录已过期，请重新登录'))
    const { api, tokens, onUnauthorized } = client(transport, {}, 'refresh-1')
    await expect(api(item, { params: { id: 7 } })).rejects.toMatchObject({ status: 401 })
    expect(requests).toHaveLength(2)
    expect(tokens).toMatchObject({ value: null, refresh: null })
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  test('a network failure while renewing keeps the tokens for the next try', async () => {
    const { transport } = scripted(expired, 'network-error')
    const { api, tokens, onUnauthorized } = client(transport, {}, 'refresh-1')
    await expect(api(item, { params: { id: 7 } })).rejects.toMatchObject({ kind: 'network' })
    expect(tokens).toMatchObject({ value: 'token-1', refresh: 'refresh-1' })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})
