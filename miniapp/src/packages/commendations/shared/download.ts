import Taro from '@tarojs/taro'
import { tokenStore } from '@/auth/token'

/**
 * Downloads an authenticated file (the xlsx export). H5 fetches it with the
 * token and saves it through a link; the mini-program downloads it to a
 * temporary file and opens it in WeChat's document viewer (which can share it).
 */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const token = tokenStore.get()
  const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(API_BASE_URL + path, { headers: header })
    if (!res.ok) throw new Error(await failureMessage(res))
    const blob = await res.blob()
    const url = URL.createObjectURL(blob)
    const link = document.createElement('a')
    link.href = url
    link.download = filename
    document.body.appendChild(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return
  }
  const res = await Taro.downloadFile({ url: API_BASE_URL + path, header })
  if (res.statusCode !== 200) throw new Error('导出失败，请稍后重试')
  await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'xlsx', showMenu: true })
}

async function failureMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } }
    return body.error?.message ?? '导出失败，请稍后重试'
  } catch {
    return '导出失败，请稍后重试'
  }
}
