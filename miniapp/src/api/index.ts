/**
 * The configured API client. Pages import `api` from here:
 *
 *   const me = await api(meEndpoint)
 *   await api(createThing, { body, idempotencyKey })
 */
import { setMe } from '@/session/store'
import { goToLogin } from '@/session/navigation'
import { tokenStore } from '@/session/token'
import { createApiClient } from './client'
import { taroTransport } from './taro-transport'

export const api = createApiClient({
  baseUrl: API_BASE_URL,
  transport: taroTransport,
  tokens: tokenStore,
  onUnauthorized: () => {
    setMe(null)
    goToLogin()
  },
})

export { ApiError, errorMessage, NETWORK_ERROR_MESSAGE } from './errors'
export { newIdempotencyKey } from './client'
export { useApi, type ApiState } from './useApi'
