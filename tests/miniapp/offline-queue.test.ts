/**
 * The device's write queue (miniapp/src/offline): kept per account in storage
 * across restarts, each write with its Idempotency-Key, sent in order when the
 * network returns, 待上传 → 已上传 or 未被接受 with the server's reason.
 */
import { describe, expect, test } from 'vitest'
import { ApiError, NETWORK_ERROR_MESSAGE } from '@/api/errors'
import { claimNow, noteServerTime } from '@/offline/clock'
import { createWriteQueue, isRetryLater, type QueuedWrite, type Sender } from '@/offline/queue'
import { readThrough } from '@/offline/read-cache'
import { currentAccountId, forgetAccount, rememberAccount, type KeyValueStore } from '@/offline/storage'
import { studyWays } from '@shared/study'

/** Storage that outlives a queue, like wx storage / localStorage outlive the app (values go through JSON, as there). */
function memoryStore(): KeyValueStore & { raw: Map<string, string> } {
  const raw = new Map<string, string>()
  return {
    raw,
    get: (key) => (raw.has(key) ? JSON.parse(raw.get(key) as string) : undefined),
    set: (key, value) => void raw.set(key, JSON.stringify(value)),
    remove: (key) => void raw.delete(key),
  }
}

const offline = () => new ApiError('network', NETWORK_ERROR_MESSAGE)
const checkIn = (key: string, minutes = 30) => ({
  key,
  request: { kind: 'studyCheckIn' as const, body: { way: studyWays[4], topic: '读报', minutes } },
  summary: `填报 ${minutes}分钟`,
  madeAt: new Date().toISOString(),
})

describe('write queue', () => {
  test('offline: the write waits (待上传) with its key, survives a restart, and goes once when the network returns', async () => {
    const store = memoryStore()
    let online = false
    const sent: QueuedWrite[] = []
    const send: Sender = async (w) => {
      if (!online) throw offline()
      sent.push(w)
      return '已记入 30分钟'
    }
    const first = createWriteQueue({ store, accountId: () => 7, send })
    const queued = await first.add(checkIn('key-aaaaaaaa'))
    expect(queued).toMatchObject({ state: 'pending', waited: true })
    expect(first.pendingCount()).toBe(1)

    // The app is closed and opened again: a new queue over the same storage.
    const second = createWriteQueue({ store, accountId: () => 7, send })
    expect(second.list().map((w) => [w.key, w.state])).toEqual([['key-aaaaaaaa', 'pending']])
    online = true
    await Promise.all([second.flush(), second.flush()]) // a network event and the app start at once
    expect(sent.map((w) => w.key)).toEqual(['key-aaaaaaaa'])
    expect(second.list()).toEqual([expect.objectContaining({ state: 'sent', outcome: '已记入 30分钟', waited: true })])
    await second.flush()
    expect(sent).toHaveLength(1)
  })

  test('a refusal is kept with the server’s reason until read; the next write still goes; order is kept', async () => {
    const store = memoryStore()
    const order: string[] = []
    const send: Sender = async (w) => {
      order.push(w.key)
      if (w.key === 'key-refused') throw new ApiError('http', '离线超过24小时，无法核实时间', 422, 'unprocessable')
      return 'ok'
    }
    const q = createWriteQueue({ store, accountId: () => 1, send })
    const refused = await q.add(checkIn('key-refused'))
    expect(refused).toMatchObject({ state: 'refused', outcome: '离线超过24小时，无法核实时间' })
    await q.add(checkIn('key-next'))
    expect(order).toEqual(['key-refused', 'key-next'])
    expect(q.list().find((w) => w.key === 'key-refused')?.state).toBe('refused')
    q.dismiss('key-refused')
    expect(q.list().map((w) => w.key)).toEqual(['key-next'])
  })

  test('what waits and what is refused: no answer, 5xx, 401 and 429 wait; other 4xx are refused', () => {
    expect(isRetryLater(offline())).toBe(true)
    expect(isRetryLater(new ApiError('timeout', '超时'))).toBe(true)
    expect(isRetryLater(new ApiError('http', '维护', 503))).toBe(true)
    expect(isRetryLater(new ApiError('http', '登录已失效', 401))).toBe(true)
    expect(isRetryLater(new ApiError('http', '不在签到时间内', 409, 'conflict'))).toBe(false)
    expect(isRetryLater(new ApiError('http', '无效', 422, 'unprocessable'))).toBe(false)
  })

  test('per account: another account sees none of it, and nothing is sent while nobody is signed in', async () => {
    const store = memoryStore()
    let account: number | null = 1
    let online = false
    const sentBy: number[] = []
    const send: Sender = async () => {
      if (!online) throw offline()
      sentBy.push(account as number)
      return 'ok'
    }
    const q = createWriteQueue({ store, accountId: () => account, send })
    await q.add(checkIn('key-of-one'))
    account = 2
    expect(q.list()).toEqual([])
    expect(q.pendingCount()).toBe(0)
    expect(q.pendingCount(1)).toBe(1)
    online = true
    account = null
    await q.flush()
    expect(sentBy).toEqual([])
    account = 1
    await q.flush()
    expect(sentBy).toEqual([1])
  })

  test('the time claim: the server time at the last sync with the phone’s own clock then and now', () => {
    const store = memoryStore()
    expect(claimNow(store)).toBeNull()
    noteServerTime('2026-06-15T02:00:00.000Z', store, new Date('2026-06-14T23:00:00.000Z'))
    expect(claimNow(store, new Date('2026-06-14T23:30:00.000Z'))).toEqual({
      recordedAt: '2026-06-14T23:30:00.000Z',
      serverTimeAtSync: '2026-06-15T02:00:00.000Z',
      deviceTimeAtSync: '2026-06-14T23:00:00.000Z',
    })
  })

  test('reads survive: the last answer is shown offline with when it was saved, per account; server refusals are not hidden', async () => {
    const store = memoryStore()
    rememberAccount(5, store)
    expect(currentAccountId(store)).toBe(5)
    const fresh = await readThrough('study', async () => ({ todayMinutes: 20 }), store)
    expect(fresh).toEqual({ todayMinutes: 20, offlineSavedAt: null })
    const kept = await readThrough('study', async () => { throw offline() }, store)
    expect(kept).toMatchObject({ todayMinutes: 20, offlineSavedAt: expect.any(String) })
    await expect(readThrough('study', async () => { throw new ApiError('http', '无权限', 403) }, store)).rejects.toThrow('无权限')
    forgetAccount(store)
    await expect(readThrough('study', async () => { throw offline() }, store)).rejects.toThrow(NETWORK_ERROR_MESSAGE)
  })
})
