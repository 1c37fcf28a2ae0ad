/**
 * The API client's test bench: two contracts, a transport that answers from a script and records the requests, an
 * in-memory token store, and a client wired to them with its callbacks as mocks.
 */
import { vi } from 'vitest'
import { z } from 'zod'
import { endpoint } from '@shared/http'
import { createApiClient, type TokenStore, type Transport, type TransportRequest, type TransportResponse } from '@/api/client'

export const item = endpoint({
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

export const createItem = endpoint({
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
export function scripted(...steps: Step[]) {
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

export function client(transport: Transport, overrides: Partial<Parameters<typeof createApiClient>[0]> = {}, refresh: string | null = null) {
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

export const ok = (data: unknown): TransportResponse => ({ statusCode: 200, data })
export const failure = (statusCode: number, code: string, message: string): TransportResponse => ({
  statusCode,
  data: { error: { code, message } },
})
