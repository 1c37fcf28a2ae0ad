/**
 * Sends a file as the raw request body (the server's `rawBody` routes: the roster .xlsx, a meeting photo),
 * never multipart, the same on both platforms. H5 uses XMLHttpRequest, which reports upload progress
 * (fetch does not); the mini-program reads the file into an ArrayBuffer and sends it with Taro.request
 * (wx.request takes one), whose task reports no upload progress, so it goes 0 → 1. A 401 stored nothing:
 * the 15-minute access token is renewed once and the file sent again. Failures are the client's ApiError,
 * with the server's Chinese message and details.
 */
import Taro from '@tarojs/taro'
import { tokenStore } from '@/session/token'
import { ApiError, fallbackHttpMessage, isErrorBody, NETWORK_ERROR_MESSAGE, TIMEOUT_MESSAGE } from './errors'
import { api } from './index'

export interface RawUpload {
  /** The API path with its query, `/api/members/import?basis=…`. */
  path: string
  body: Blob | ArrayBuffer
  contentType: string
  /** Sent as `Idempotency-Key`: a retry of the same file reuses it, so the server stores it once. */
  idempotencyKey?: string
  onProgress?: (fraction: number) => void
  timeoutMs?: number
}

export async function uploadRaw<T>(upload: RawUpload): Promise<T> {
  try {
    return await send<T>(upload)
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401) || !(await api.renew().catch(() => null))) throw error
    return send<T>(upload)
  }
}

function headersOf(upload: RawUpload): Record<string, string> {
  const header: Record<string, string> = { 'Content-Type': upload.contentType, Accept: 'application/json' }
  const token = tokenStore.get()
  if (token) header.Authorization = `Bearer ${token}`
  if (upload.idempotencyKey) header['Idempotency-Key'] = upload.idempotencyKey
  return header
}

function answer<T>(status: number, payload: unknown): T {
  if (status >= 200 && status < 300) return payload as T
  if (isErrorBody(payload)) throw new ApiError('http', payload.error.message, status, payload.error.code, payload.error.details)
  throw new ApiError('http', fallbackHttpMessage(status), status)
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

function send<T>(upload: RawUpload): Promise<T> {
  const timeout = upload.timeoutMs ?? 120_000
  if (process.env.TARO_ENV !== 'h5') {
    const data = upload.body instanceof ArrayBuffer ? upload.body : null
    if (!data) return Promise.reject(new Error('the mini-program sends an ArrayBuffer'))
    upload.onProgress?.(0)
    return Taro.request<unknown>({ url: API_BASE_URL + upload.path, method: 'POST', header: headersOf(upload), data, dataType: 'json', timeout }).then(
      (res) => {
        upload.onProgress?.(1)
        return answer<T>(res.statusCode, res.data)
      },
      (error: { errMsg?: string }) => {
        throw new ApiError(/timeout/i.test(error?.errMsg ?? '') ? 'timeout' : 'network', /timeout/i.test(error?.errMsg ?? '') ? TIMEOUT_MESSAGE : NETWORK_ERROR_MESSAGE)
      },
    )
  }
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', API_BASE_URL + upload.path)
    for (const [name, value] of Object.entries(headersOf(upload))) xhr.setRequestHeader(name, value)
    xhr.timeout = timeout
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) upload.onProgress?.(e.loaded / e.total)
    }
    xhr.onload = () => {
      try {
        resolve(answer<T>(xhr.status, parse(xhr.responseText)))
      } catch (error) {
        reject(error)
      }
    }
    xhr.onerror = () => reject(new ApiError('network', NETWORK_ERROR_MESSAGE))
    xhr.ontimeout = () => reject(new ApiError('timeout', TIMEOUT_MESSAGE))
    xhr.send(upload.body)
  })
}
