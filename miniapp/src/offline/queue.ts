/**
 * The write queue: study check-ins, timer finishes, collective-study sign-ins
 * and political-birthday sign-ins made without signal wait here, in storage,
 * per account, each with the Idempotency-Key it was made with (so sending it
 * twice records it once) and the time claim the server bounds
 * (shared/queued-writes.ts). States: 待上传 (pending) → 已上传 (sent), or 未被接受
 * (refused, with the server's reason). Nothing here knows Taro: storage and
 * the sender are handed in, so tests drive it directly.
 */
import type { BodyOf } from '@shared/http'
import type { signIn as birthdaySignIn } from '@shared/birthdays'
import type { checkIn, finishSession, signIn as eventSignIn } from '@shared/study'
import { ApiError } from '@/api/errors'
import type { KeyValueStore } from './storage'

export type QueuedRequest =
  | { kind: 'studyCheckIn'; body: BodyOf<typeof checkIn> }
  | { kind: 'timerFinish'; params: { id: number }; body: BodyOf<typeof finishSession> }
  | { kind: 'eventSignIn'; params: { id: number }; body: BodyOf<typeof eventSignIn> }
  | { kind: 'birthdaySignIn'; body: BodyOf<typeof birthdaySignIn> }

export type QueuedState = 'pending' | 'sent' | 'refused'
export const QUEUED_STATE_LABELS: Record<QueuedState, string> = { pending: '待上传', sent: '已上传', refused: '未被接受' }

export interface QueuedWrite {
  /** The Idempotency-Key, also the write's id in the queue. */
  key: string
  request: QueuedRequest
  /** What the member did, in words ("自主填报 30分钟：阅读党章"). */
  summary: string
  /** The phone's time of the act, for display. */
  madeAt: string
  state: QueuedState
  /** 已上传: what the server recorded; 未被接受: the server's reason. */
  outcome: string | null
  /** It had to wait for the network at least once (then the member sees it in the list). */
  waited: boolean
}

/** Sends one write; resolves with the words for what was recorded, rejects with the client's ApiError. */
export type Sender = (write: QueuedWrite) => Promise<string>

export interface WriteQueueOptions {
  store: KeyValueStore
  /** The signed-in account (its queue); null when nobody is signed in. */
  accountId: () => number | null
  send: Sender
}

/** Sent entries stay listed this long, so the member sees that the waiting ones went through. */
const KEEP_SENT_MS = 3 * 24 * 3_600_000

/** Not the write's fault: keep it and try again later (no answer, the server briefly down, the session to renew). */
export function isRetryLater(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true
  return error.transient || error.status === null || error.status === 401 || error.status === 429 || error.status >= 500
}

export function createWriteQueue({ store, accountId, send }: WriteQueueOptions) {
  const listeners = new Set<() => void>()
  let flushing: Promise<void> | null = null
  let again = false
  let snapshot: { account: number | null; list: QueuedWrite[] } = { account: null, list: [] }

  const storageKey = (account: number) => `dangjian.offline.queue.${account}`

  function load(account: number | null): QueuedWrite[] {
    if (account === null) return []
    const value = store.get(storageKey(account))
    return Array.isArray(value) ? (value as QueuedWrite[]) : []
  }

  function save(account: number, list: QueuedWrite[]): void {
    const cutoff = Date.now() - KEEP_SENT_MS
    const kept = list.filter((w) => w.state !== 'sent' || new Date(w.madeAt).getTime() > cutoff)
    store.set(storageKey(account), kept)
    snapshot = { account, list: kept }
    listeners.forEach((l) => l())
  }

  function update(account: number, key: string, change: Partial<QueuedWrite>): QueuedWrite | undefined {
    const list = load(account).map((w) => (w.key === key ? { ...w, ...change } : w))
    save(account, list)
    return list.find((w) => w.key === key)
  }

  async function flushOnce(): Promise<void> {
    const account = accountId()
    if (account === null) return
    for (const write of load(account).filter((w) => w.state === 'pending')) {
      try {
        const outcome = await send(write)
        update(account, write.key, { state: 'sent', outcome })
      } catch (error) {
        if (isRetryLater(error)) {
          update(account, write.key, { waited: true })
          return // offline: the rest would fail alike, in order
        }
        update(account, write.key, { state: 'refused', outcome: error instanceof Error ? error.message : String(error), waited: true })
      }
    }
  }

  /** Sends every pending write of the signed-in account, one at a time, in the order they were made. */
  function flush(): Promise<void> {
    if (flushing) {
      again = true
      return flushing
    }
    flushing = (async () => {
      do {
        again = false
        await flushOnce()
      } while (again)
    })().finally(() => {
      flushing = null
    })
    return flushing
  }

  return {
    /** Queues a write (pending) and tries to send it at once; resolves with its state after that try. */
    async add(write: Omit<QueuedWrite, 'state' | 'outcome' | 'waited'>): Promise<QueuedWrite> {
      const account = accountId()
      if (account === null) throw new ApiError('http', '请先登录', 401)
      const list = load(account)
      if (!list.some((w) => w.key === write.key)) save(account, [...list, { ...write, state: 'pending', outcome: null, waited: false }])
      await flush()
      return load(account).find((w) => w.key === write.key) ?? { ...write, state: 'pending', outcome: null, waited: true }
    },
    flush,
    /** What the member sees: writes that waited or were refused. */
    list(): QueuedWrite[] {
      const account = accountId()
      if (snapshot.account !== account) snapshot = { account, list: load(account) }
      return snapshot.list
    },
    pendingCount(account: number | null = accountId()): number {
      return load(account).filter((w) => w.state === 'pending').length
    },
    /** The member has read a sent or refused entry. */
    dismiss(key: string): void {
      const account = accountId()
      if (account === null) return
      save(account, load(account).filter((w) => w.key !== key || w.state === 'pending'))
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

export type WriteQueue = ReturnType<typeof createWriteQueue>
