/**
 * The API client against a scripted transport: typed results validated by the contract, errors, timeouts, and
 * retries only where repeating is safe. 401 handling is in api-client-session.test.ts.
 */
import { describe, expect, test, vi } from 'vitest'
import { devLogin } from '@shared/auth'
import { queryString, type Transport } from '@/api/client'
import { ApiError, NETWORK_ERROR_MESSAGE, TIMEOUT_MESSAGE } from '@/api/errors'
import { client, createItem, failure, item, ok, scripted } from './api-client-bench'

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
