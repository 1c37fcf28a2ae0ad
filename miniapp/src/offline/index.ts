/**
 * The offline pieces wired to Taro: the app's write queue, the listeners that
 * send it when the network returns and on every start, and the one helper the
 * four write forms call (`submitWrite`).
 */
import Taro from '@tarojs/taro'
import { useSyncExternalStore } from 'react'
import { ApiError } from '@/api/errors'
import { claimNow } from './clock'
import { createWriteQueue, type QueuedRequest, type QueuedWrite } from './queue'
import { sendQueued } from './senders'
import { currentAccountId, taroStore } from './storage'

export { noteServerTime } from './clock'
export { readThrough, type Cached } from './read-cache'
export { forgetAccount, rememberAccount } from './storage'
export { keepAppOnDevice } from './shell'
export { QUEUED_STATE_LABELS, type QueuedWrite } from './queue'

export const writeQueue = createWriteQueue({ store: taroStore, accountId: () => currentAccountId(), send: sendQueued })

let started = false
/** Once per app start: send what is waiting now, and again whenever the network comes back. */
export function startOfflineSync(): void {
  if (started) return
  started = true
  void writeQueue.flush()
  try {
    Taro.onNetworkStatusChange((res) => {
      if (res.isConnected) void writeQueue.flush()
    })
  } catch {
    // Not available on this platform: the browser's online event below covers H5.
  }
  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    window.addEventListener('online', () => void writeQueue.flush())
  }
}

/**
 * Makes one of the four writes: queued with its key and the time claim, then sent
 * at once if the network allows. Resolves with the write's state after that try
 * (sent, pending = saved on the phone, or refused with the server's reason).
 */
export async function submitWrite(key: string, request: QueuedRequest, summary: string): Promise<QueuedWrite> {
  const queued = claimNow()
  if (!queued) throw new ApiError('network', '本机还没有和服务器对过时间，暂时不能离线记录；请在有网络时打开“学习”页一次')
  const withClaim = { ...request, body: { ...request.body, queued } } as QueuedRequest
  return writeQueue.add({ key, request: withClaim, summary, madeAt: new Date().toISOString() })
}

/** The words a form shows after `submitWrite`. */
export function writeOutcome(write: QueuedWrite): { text: string; ok: boolean } {
  if (write.state === 'sent') return { text: write.outcome ?? '已上传', ok: true }
  if (write.state === 'refused') return { text: `未被接受：${write.outcome ?? ''}`, ok: false }
  return { text: '现在没有网络，已保存在手机上（待上传）；有网络后会自动上传，不会重复记录', ok: true }
}

export function useQueuedWrites(): QueuedWrite[] {
  return useSyncExternalStore(writeQueue.subscribe, writeQueue.list, writeQueue.list)
}
