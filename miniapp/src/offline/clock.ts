/**
 * The phone's record of the server's time at its last successful read, which
 * a queued write sends with its own time so the server can bound when it was
 * made (shared/queued-writes.ts). Kept in storage: a write made after the app
 * was closed and reopened offline still has it.
 */
import type { QueuedClaim } from '@shared/queued-writes'
import { taroStore, type KeyValueStore } from './storage'

const SYNC_KEY = 'dangjian.offline.sync'

interface SyncRecord {
  serverAt: string
  deviceAt: string
}

export function noteServerTime(serverNow: string, store: KeyValueStore = taroStore, deviceNow: Date = new Date()): void {
  if (Number.isNaN(new Date(serverNow).getTime())) return
  store.set(SYNC_KEY, { serverAt: serverNow, deviceAt: deviceNow.toISOString() } satisfies SyncRecord)
}

/** The claim for an act happening now, or null when this phone never heard the server's time. */
export function claimNow(store: KeyValueStore = taroStore, deviceNow: Date = new Date()): QueuedClaim | null {
  const sync = store.get(SYNC_KEY) as Partial<SyncRecord> | undefined
  if (!sync || typeof sync.serverAt !== 'string' || typeof sync.deviceAt !== 'string') return null
  return { recordedAt: deviceNow.toISOString(), serverTimeAtSync: sync.serverAt, deviceTimeAtSync: sync.deviceAt }
}
