/**
 * The API client's session handling against a scripted transport: a 401 signs out, and an expired access token is
 * renewed with the refresh token once, however many requests wait on it.
 */
import { describe, expect, test } from 'vitest'
import { devLogin, me } from '@shared/auth'
import type { Transport } from '@/api/client'
import { client, createItem, failure, item, ok, scripted } from './api-client-bench'

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
