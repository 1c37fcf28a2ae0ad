/**
 * H5-only picking and upload of a roster (staff work at a desk), with progress
 * (`@/api/upload`). Never called in the weapp build. Downloads go through `@/api/download`.
 */
import { ApiError } from '@/api'
import { uploadRaw } from '@/api/upload'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export interface ServerError {
  status: number
  message: string
  issues: { row: number; column: string; message: string }[]
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

/** Sends the roster through the app's one raw-body upload (`@/api/upload`), as the import page shows its errors. */
export async function uploadXlsx<T>(path: string, file: Blob, onProgress: (fraction: number) => void): Promise<T> {
  try {
    return await uploadRaw<T>({ path, body: file, contentType: XLSX, onProgress })
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    if (error.kind === 'timeout') throw { status: 0, message: '导入超时，请稍后重试（数据未导入）', issues: [] } satisfies ServerError
    const issues = (error.details as { issues?: ServerError['issues'] } | undefined)?.issues ?? []
    throw { status: error.status ?? 0, message: error.message, issues } satisfies ServerError
  }
}
