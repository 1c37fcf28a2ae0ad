/**
 * H5-only upload of a roster (staff work at a desk), with progress:
 * XMLHttpRequest reports upload progress, fetch does not. Never called in the
 * weapp build. Downloads go through `@/api/download`.
 */
import { api } from '@/api'
import { tokenStore } from '@/session/token'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export interface ServerError {
  status: number
  message: string
  issues: { row: number; column: string; message: string }[]
}

function parseError(status: number, text: string): ServerError {
  try {
    const body = JSON.parse(text) as { error?: { message?: string; details?: { issues?: ServerError['issues'] } } }
    return { status, message: body.error?.message ?? `请求失败（${status}）`, issues: body.error?.details?.issues ?? [] }
  } catch {
    return { status, message: status === 0 ? '网络连接失败，请检查网络后重试' : `请求失败（${status}）`, issues: [] }
  }
}

/** Lets the user pick an .xlsx file. Resolves null when they cancel. */
export function pickXlsx(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = `.xlsx,${XLSX}`
    input.style.display = 'none'
    input.setAttribute('data-testid', 'import-file-input')
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null)
      input.remove()
    })
    document.body.appendChild(input)
    input.click()
  })
}

export async function uploadXlsx<T>(path: string, file: Blob, onProgress: (fraction: number) => void): Promise<T> {
  try {
    return await sendXlsx<T>(path, file, onProgress)
  } catch (error) {
    // A 401 imported nothing: renew the 15-minute access token once and send the file again.
    if ((error as ServerError).status !== 401 || !(await api.renew().catch(() => null))) throw error
    return sendXlsx<T>(path, file, onProgress)
  }
}

function sendXlsx<T>(path: string, file: Blob, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', API_BASE_URL + path)
    const token = tokenStore.get()
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.setRequestHeader('Content-Type', XLSX)
    xhr.timeout = 120_000
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as T)
      else reject(parseError(xhr.status, xhr.responseText))
    }
    xhr.onerror = () => reject(parseError(0, ''))
    xhr.ontimeout = () => reject({ status: 0, message: '导入超时，请稍后重试（数据未导入）', issues: [] } satisfies ServerError)
    xhr.send(file)
  })
}
