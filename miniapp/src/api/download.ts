import Taro from '@tarojs/taro'
import { tokenStore } from '@/session/token'
import { ApiError, NETWORK_ERROR_MESSAGE } from './errors'
import { api } from './index'

const FAILED = '下载失败，请稍后重试'

/**
 * Downloads an authenticated file (the xlsx exports and templates). H5 fetches
 * it with the token and saves it through a link, named as the server names it;
 * the mini-program downloads it to a temporary file and opens it in WeChat's
 * document viewer, from where it can be forwarded. Resolves the file's name.
 */
export async function downloadFile(pathWithQuery: string, fallbackName: string): Promise<string> {
  try {
    return await download(pathWithQuery, fallbackName)
  } catch (error) {
    // The access token expired (it lasts 15 minutes): renew it once and download again.
    if (!(error instanceof ApiError && error.status === 401) || !(await api.renew())) throw error
    return download(pathWithQuery, fallbackName)
  }
}

async function download(pathWithQuery: string, fallbackName: string): Promise<string> {
  const token = tokenStore.get()
  const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
  if (process.env.TARO_ENV !== 'h5') {
    const res = await Taro.downloadFile({ url: API_BASE_URL + pathWithQuery, header }).catch(() => {
      throw new ApiError('network', NETWORK_ERROR_MESSAGE)
    })
    if (res.statusCode !== 200) throw new ApiError('http', FAILED, res.statusCode)
    await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'xlsx', showMenu: true })
    return fallbackName
  }
  const res = await fetch(API_BASE_URL + pathWithQuery, { headers: header }).catch(() => {
    throw new ApiError('network', NETWORK_ERROR_MESSAGE)
  })
  if (!res.ok) throw await serverError(res)
  const disposition = res.headers.get('content-disposition') ?? ''
  const named = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1]
  const filename = named ? decodeURIComponent(named) : fallbackName
  const url = URL.createObjectURL(await res.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return filename
}

/**
 * An authenticated picture (a meeting photo) as a local address an <Image> and previewImage can show:
 * H5 fetches it with the token into an object URL (the caller revokes it), the mini-program downloads
 * it to a temporary file. A 401 renews the access token once.
 */
export async function imageSource(path: string): Promise<string> {
  try {
    return await fetchImage(path)
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401) || !(await api.renew())) throw error
    return fetchImage(path)
  }
}

async function fetchImage(path: string): Promise<string> {
  const token = tokenStore.get()
  const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
  if (process.env.TARO_ENV !== 'h5') {
    const res = await Taro.downloadFile({ url: API_BASE_URL + path, header }).catch(() => {
      throw new ApiError('network', NETWORK_ERROR_MESSAGE)
    })
    if (res.statusCode !== 200) throw new ApiError('http', '照片加载失败，请稍后重试', res.statusCode)
    return res.tempFilePath
  }
  const res = await fetch(API_BASE_URL + path, { headers: header }).catch(() => {
    throw new ApiError('network', NETWORK_ERROR_MESSAGE)
  })
  if (!res.ok) throw await serverError(res)
  return URL.createObjectURL(await res.blob())
}

async function serverError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } }
    return new ApiError('http', body.error?.message ?? FAILED, res.status, body.error?.code ?? null)
  } catch {
    return new ApiError('http', FAILED, res.status)
  }
}
